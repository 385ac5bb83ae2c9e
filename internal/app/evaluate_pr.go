package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/store"
)

// runPR evaluates the PR gate on the job's head SHA, the policy read at
// the pull request's base, the design history file at its head, the
// evidence from CI's artifacts for the head, and posts tracegate/pr.
func (a *App) runPR(ctx context.Context, job store.Job) error {
	var args prArgs
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return store.Permanent(fmt.Errorf("PR job %d: %w", job.ID, err))
	}
	start := time.Now()
	ra, err := a.access(ctx, job.InstallationID, job.Key.Repository)
	if err != nil {
		return permanentUnless(err)
	}
	pr := args.PR
	pr.Repo, pr.HeadSHA = ra.name, job.Key.SHA
	d := decision{check: checkPR, gate: gate.GatePR, sha: job.Key.SHA, ref: "pull/" + strconv.Itoa(pr.Number),
		extID: externalID(kindPR, args), details: a.web + "/" + ra.name + "/pull/" + strconv.Itoa(pr.Number)}
	if args.Refresh || !isSHA(pr.BaseSHA) {
		// The event did not carry the pull request: read its current
		// title, body and labels (and base, if unknown). The commits
		// judged stay the job's.
		cur, err := ra.tracker.PullRequest(ctx, ra.name, pr.Number)
		if err != nil {
			return a.failed(ctx, ra, job, d, err)
		}
		pr.Title, pr.Body, pr.Labels, pr.Draft, pr.Author, pr.URL = cur.Title, cur.Body, cur.Labels, cur.Draft, cur.Author, cur.URL
		if !isSHA(pr.BaseSHA) || cur.HeadSHA == pr.HeadSHA {
			pr.BaseSHA, pr.BaseRef = cur.BaseSHA, cur.BaseRef
		}
		if pr.HeadRef == "" {
			pr.HeadRef = cur.HeadRef
		}
	}
	if pr.URL != "" {
		d.details = pr.URL
	}
	for attempt := 0; ; attempt++ {
		// The pull request cannot weaken its own gate: the policy, and so
		// where its evidence comes from, is the base's.
		pol, err := ra.policy(ctx, pr.BaseSHA)
		if err != nil {
			return a.failed(ctx, ra, job, d, err)
		}
		d.policy = pol.digest
		src, err := a.sources(ra, pol)
		if err != nil {
			return a.failed(ctx, ra, job, d, err)
		}
		f, err := check.GatherPR(ctx, src, pr, pr.BaseSHA, pr.HeadSHA, check.Options{FailOn: gate.SevError})
		var pe *facts.PendingError
		if errors.As(err, &pe) {
			again, err := a.waiting(ctx, ra, d, src.Evidence, pe, attempt == 0)
			if again {
				continue
			}
			return err
		}
		if err != nil {
			return a.failed(ctx, ra, job, d, err)
		}
		d.res = gate.EvaluatePR(f, gate.SevError)
		d.inputs = prInputsDigest(f)
		err = a.decide(ctx, ra, job, d)
		a.m.evaluation.WithLabelValues(gate.GatePR, string(d.res.Verdict)).Observe(time.Since(start).Seconds())
		return err
	}
}

// failed handles an evaluation error: one that retrying may cure shows
// the check run as interrupted and fails the job (retried, or
// dead-lettered: a completed failure); any other is the evaluation's
// decision, verdict error, a completed failure now. Never a success.
func (a *App) failed(ctx context.Context, ra *repoAccess, job store.Job, d decision, err error) error {
	if transient(err) {
		a.interrupted(ctx, ra, job, d, err)
		return err
	}
	d.res = errored(d.gate, err)
	if derr := a.decide(ctx, ra, job, d); derr != nil {
		return errors.Join(err, derr)
	}
	a.m.evaluation.WithLabelValues(d.gate, string(gate.Error)).Observe(0)
	return nil
}

// permanentUnless marks an error retrying will not cure as permanent.
func permanentUnless(err error) error {
	if transient(err) {
		return err
	}
	return store.Permanent(err)
}

// prInputsDigest is the SHA-256 over what the PR gate judged beyond the
// policy: the commits (base, head and each commit between), the pull
// request's text and labels, its links, and the linked records and issues
// as read.
func prInputsDigest(f *gate.PRFacts) string {
	var commits []string
	for _, c := range f.Commits {
		commits = append(commits, c.SHA)
	}
	b, _ := json.Marshal(struct {
		PR      facts.PullRequest
		Commits []string
		Links   any
		Records any
		Issues  any
		Tests   int
	}{f.PR, commits, f.Links, f.Records, f.Issues, len(f.Head.DHF.Tests)})
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
