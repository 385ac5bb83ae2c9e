package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/cpuslot"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/logctx"
	"github.com/tracegate/tracegate/internal/report/resultdoc"
	"github.com/tracegate/tracegate/internal/store"
	"github.com/tracegate/tracegate/internal/version"
)

// decision is what one evaluation decided, ready to record and publish.
type decision struct {
	check   string // tracegate/pr, tracegate/release
	gate    string
	sha     string
	ref     string // pull/N, a tag, a branch
	extID   string
	details string // the details URL
	res     *gate.Result
	policy  string // the policy's digest
	inputs  string // the inputs' digest
}

// transient tells an error that retrying may cure (GitHub unavailable or
// rate limited, the network, a token that could not be had, a deadline)
// from one that is the evaluation's answer (a policy that does not load,
// an input that cannot be read: a decision, verdict error).
func transient(err error) bool {
	if err == nil {
		return false
	}
	var re *githubapi.RetryError
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	var he *ghinstallation.HTTPError
	var ne net.Error
	var ue *url.Error
	var er *github.ErrorResponse
	switch {
	case errors.As(err, &he):
		// No installation token: GitHub unavailable (retry) or refusing
		// (4xx: the repository is not the installation's, the App is not
		// installed: retrying will not help).
		return he.Response == nil || he.Response.StatusCode >= 500 || he.Response.StatusCode == http.StatusTooManyRequests
	case errors.As(err, &re), errors.As(err, &rl), errors.As(err, &ab), errors.As(err, &ne), errors.As(err, &ue):
		return true
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return true
	case errors.As(err, &er) && er.Response != nil && er.Response.StatusCode >= 500:
		return true
	case errors.Is(err, ErrNoInstallation), errors.Is(err, ErrNotInstalled):
		return false
	}
	return false
}

// conclusion maps a verdict to a check run's conclusion: only a pass is a
// success; a failed gate and an evaluation that could not complete are
// failures.
func conclusion(v gate.Verdict) string {
	if v == gate.Pass {
		return "success"
	}
	return "failure"
}

// title is the check run's one-line title.
func title(res *gate.Result) string {
	s := res.Summary
	switch res.Verdict {
	case gate.Pass:
		return fmt.Sprintf("Passed: %d rules checked, %d warnings", s.RulesChecked, s.Warnings)
	case gate.Fail:
		return fmt.Sprintf("Failed: %d errors, %d warnings, %d of %d rules failed", s.Errors, s.Warnings, s.RulesFailed, s.RulesChecked)
	}
	return "Could not be evaluated: this is a failure, not a pass"
}

// summary is the Markdown the Action writes to the step summary, within a
// check run's budget.
func (a *App) summary(res *gate.Result, repo, sha string) (string, error) {
	var b bytes.Buffer
	err := resultdoc.WriteMarkdown(&b, res, resultdoc.MarkdownOptions{
		Budget:     githubapi.MaxCheckRunText,
		LinkBase:   a.web + "/" + repo + "/blob/" + sha + "/",
		FullReport: "the audit log (tracegate audit --sha " + sha + ") and `tracegate check` run locally",
	})
	return b.String(), err
}

// checkAnnotations are the findings that have a place in a file, most
// severe first, errors as failures.
func checkAnnotations(res *gate.Result) []githubapi.CheckAnnotation {
	fs := append([]gate.Finding(nil), res.Findings...)
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Severity.Rank() > fs[j].Severity.Rank() })
	var out []githubapi.CheckAnnotation
	for _, f := range fs {
		if f.Location == nil || f.Location.File == "" || f.Location.Line < 1 {
			continue
		}
		level := "notice"
		switch f.Severity {
		case gate.SevError:
			level = "failure"
		case gate.SevWarning:
			level = "warning"
		}
		msg := f.Message
		if f.Remediation != "" {
			msg += "\n\nFix: " + f.Remediation
		}
		out = append(out, githubapi.CheckAnnotation{Path: f.Location.File, StartLine: f.Location.Line, EndLine: f.Location.Line,
			Level: level, Title: strings.TrimSpace(f.Rule + " " + f.Name), Message: shorten(msg, 4000)})
	}
	return out
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s[:n])
	return string(r[:len(r)-1]) + "…"
}

// decide records d in the audit log, then publishes it as a completed
// check run: nothing is shown that the log does not hold.
func (a *App) decide(ctx context.Context, ra *repoAccess, job store.Job, d decision) error {
	v, c := version.Get()
	d.res.Tool = gate.Tool{Name: "tracegate", Version: v, Commit: c}
	sum, err := a.summary(d.res, ra.name, d.sha)
	if err != nil {
		return fmt.Errorf("rendering the summary: %w", err)
	}
	detail := title(d.res)
	if len(d.res.Errors) > 0 {
		detail += ": " + strings.Join(d.res.Errors, "; ")
	}
	rec := store.Decision{Repository: ra.name, Ref: d.ref, SHA: d.sha, Gate: d.gate, Verdict: string(d.res.Verdict),
		PolicyDigest: d.policy, InputsDigest: d.inputs, DeliveryID: job.DeliveryID, JobID: job.ID, Detail: shorten(detail, 8000)}
	if err := cpuslot.Off(ctx, func() error { _, err := a.store.Record(ctx, rec); return err }); err != nil {
		return err
	}
	run := githubapi.CheckRun{Name: d.check, HeadSHA: d.sha, Status: "completed", Conclusion: conclusion(d.res.Verdict),
		DetailsURL: d.details, ExternalID: d.extID, Title: title(d.res), Summary: sum, Annotations: checkAnnotations(d.res), Rerun: true}
	if _, err := ra.pub.PublishCheckRun(githubapi.WithRetrySafe(ctx), run); err != nil {
		return err
	}
	logctx.From(ctx).Info("decided", "gate", d.gate, "verdict", string(d.res.Verdict), "ref", d.ref,
		"findings", len(d.res.Findings), "policy_digest", d.policy)
	return nil
}

// waiting shows an evaluation that waits for CI's evidence: an
// in-progress check run whose summary says for what. It reports whether
// to evaluate again at once: the run may have completed between the look
// and the post, when its workflow_run event found no waiting check run to
// evaluate again, so the evidence is looked at once more (on the first
// pass, recheck) now that the check run shows.
func (a *App) waiting(ctx context.Context, ra *repoAccess, d decision, ev facts.Evidence, pe *facts.PendingError, recheck bool) (bool, error) {
	sum := fmt.Sprintf("tracegate waits for the evidence CI makes of this commit: the artifacts of the workflow **%s** for `%s`.\n\n"+
		"%s.\n\nThe check completes when that run completes (the App evaluates again on its `workflow_run` event). "+
		"Until then this check is not a pass.\n", escapeMD(pe.Workflow), d.sha, escapeMD(upperFirst(pe.Reason)))
	run := githubapi.CheckRun{Name: d.check, HeadSHA: d.sha, Status: "in_progress", DetailsURL: d.details, ExternalID: d.extID,
		Title: "Waiting for the " + pe.Workflow + " workflow's artifacts", Summary: sum, Rerun: true}
	if _, err := ra.pub.PublishCheckRun(githubapi.WithRetrySafe(ctx), run); err != nil {
		return false, err
	}
	logctx.From(ctx).Info("waiting for evidence", "gate", d.gate, "workflow", pe.Workflow, "reason", pe.Reason)
	if !recheck || ev == nil {
		return false, nil
	}
	_, err := ev.Evidence(ctx, d.sha)
	return !errors.Is(err, facts.ErrPending), nil
}

// interrupted shows an evaluation that failed for a reason that retrying
// may cure, and that will be retried: the check run stays in progress
// (never a success), and says so. Best effort: GitHub may be what failed.
func (a *App) interrupted(ctx context.Context, ra *repoAccess, job store.Job, d decision, cause error) {
	sum := fmt.Sprintf("The evaluation of this commit was interrupted (attempt %d): %s\n\ntracegate tries again; "+
		"if it keeps failing the check completes as a failure.\n", job.Attempt, escapeMD(cause.Error()))
	run := githubapi.CheckRun{Name: d.check, HeadSHA: d.sha, Status: "in_progress", DetailsURL: d.details, ExternalID: d.extID,
		Title: "Evaluation interrupted; retrying", Summary: sum, Rerun: true}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, err := ra.pub.PublishCheckRun(ctx, run); err != nil {
		logctx.From(ctx).Warn("could not show the interruption", "error", err.Error())
	}
}

// escapeMD neutralises text from GitHub or the repository for Markdown.
func escapeMD(s string) string {
	r := strings.NewReplacer("\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]", "<", "&lt;", ">", "&gt;", "|", "\\|", "#", "\\#", "\r", " ", "\n", " ")
	return r.Replace(s)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// errored is the decision of an evaluation that could not complete for a
// reason retrying will not cure.
func errored(gateName string, err error) *gate.Result {
	return check.Errored(gateName, err)
}
