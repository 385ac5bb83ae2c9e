package action

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/evidence"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/report/resultdoc"
	"github.com/tracegate/tracegate/internal/report/soupdoc"
	"github.com/tracegate/tracegate/internal/safefile"
	"github.com/tracegate/tracegate/internal/soup"
	"github.com/tracegate/tracegate/internal/version"
)

// SummaryLimit is GitHub's limit on one step's summary (1 MiB): a larger
// summary is refused whole. The summary is rendered within it, less a
// margin, by summarising rather than cutting.
const SummaryLimit = 1 << 20

const summaryMargin = 4 << 10

// Env is what a run reads and where it writes: the process's environment
// and standard output in a workflow, injected in tests.
type Env struct {
	Getenv func(string) string
	Stdout io.Writer
}

// Files are the result files a run writes.
type Files struct {
	Dir      string // the evidence directory
	JSON     string // the JSON result (output findings-json)
	SARIF    string // output sarif
	Markdown string // the step summary as written
	SOUPList string // the SOUP list as JSON (output soup-list); "" when no SBOM was judged
	// Bundle and Zip are the release gate's evidence bundle, written in
	// Dir (outputs evidence-bundle and evidence-zip); "" for other gates.
	Bundle, Zip string
}

// Run runs the Action: it evaluates the gate the inputs and the event
// call for, publishes the result and returns the step's exit code: 0 pass
// (or fail with fail-on never), 1 the gate failed, 2 the step is
// misconfigured, 3 the evaluation could not complete.
func Run(ctx context.Context, env Env) int {
	gha := githubactions.New(githubactions.WithGetenv(env.Getenv), githubactions.WithWriter(env.Stdout))
	// First thing: the token is masked before anything can print it.
	in, inErr := readInputs(gha)
	r := &run{gha: gha, out: env.Stdout, getenv: env.Getenv, in: in, gh: readContext(env.Getenv)}
	return r.main(withDebugLog(ctx, gha, env.Getenv), inErr)
}

type run struct {
	gha    *githubactions.Action
	out    io.Writer
	getenv func(string) string
	in     Inputs
	gh     Context
	dir    string // the evidence directory, absolute; "" until made
	soup   *soup.List
	// bundle is the release gate's evidence bundle, once written.
	bundle *evidence.Bundle
}

func (r *run) main(ctx context.Context, inErr error) int {
	var p Plan
	var res *gate.Result
	// The directory comes first: even a run that stops at once writes its
	// errored result there.
	dir, dirErr := r.evidenceDir()
	r.dir = dir
	var err error
	switch {
	case inErr != nil:
		err = usagef("%v", inErr)
	case r.gh.Workspace == "":
		err = usagef("GITHUB_WORKSPACE is not set: `tracegate action` runs as a step of a GitHub Actions workflow (locally, use tracegate check)")
	case dirErr != nil:
		err = dirErr
	default:
		p, err = plan(r.in.Mode, r.gh)
	}
	if err == nil {
		r.gha.Infof("tracegate %s gate: %s", p.Gate, p.Why)
		res, err = r.evaluate(ctx, p)
	}
	if res == nil {
		name := p.Gate
		if name == "" {
			name = gate.GateValidate
		}
		res = gate.Errored(name, []string{err.Error()})
	}
	v, c := version.Get()
	res.Tool = gate.Tool{Name: "tracegate", Version: v, Commit: c}

	files, werr := r.write(res, p)
	if werr != nil {
		// The verdict cannot be published: the step fails, whatever it was.
		r.gha.Errorf("tracegate could not write its result files: %s", werr)
	}
	if uerr := r.upload(ctx, p); uerr != nil {
		// The gate's verdict stands, but the release lacks its evidence:
		// the step fails so that nobody takes the release as documented.
		r.gha.Errorf("tracegate could not attach the evidence bundle to the release %s: %s", p.Tag, uerr)
		werr = errors.Join(werr, uerr)
	}
	r.log(res)
	as, total := annotations(res)
	annotate(r.gha, as)
	if serr := r.summary(res, files, len(as), total); serr != nil {
		r.gha.Warningf("tracegate could not write the step summary (%s); the result files hold the result", serr)
	}
	result := string(res.Verdict)
	if werr != nil || err != nil {
		// Judged, but not all was done (the evidence bundle was not
		// written): the step's result is an error, as its exit code is.
		result = string(gate.Error)
	}
	if oerr := r.outputs(result, files); oerr != nil {
		r.gha.Errorf("tracegate could not set the step outputs: %s", oerr)
		werr = errors.Join(werr, oerr)
	}
	code := exitCode(res.Verdict, r.in.FailOn, err)
	if werr != nil && (code == check.ExitPass || code == check.ExitFail) {
		code = check.ExitError
	}
	switch {
	case code == check.ExitPass && res.Verdict == gate.Fail:
		r.gha.Noticef("tracegate %s: the gate failed; fail-on is never, so the step passes", res.Gate)
	case code == check.ExitUsage || code == check.ExitError:
		r.gha.Infof("tracegate: the evaluation could not complete; this is a failure, not a pass (exit %d)", code)
	}
	return code
}

// exitCode maps the evaluation to the step's exit code (check.ExitCode),
// except that with fail-on never a failed gate keeps the step green: the
// result still says fail. An evaluation that could not complete fails the
// step whatever fail-on says.
func exitCode(v gate.Verdict, failOn string, err error) int {
	code := check.ExitCode(v, err)
	if code == check.ExitFail && failOn == "never" {
		return check.ExitPass
	}
	return code
}

// evaluate runs the gate. The result is nil only when nothing could be
// evaluated at all; otherwise an error comes with an errored result.
func (r *run) evaluate(ctx context.Context, p Plan) (*gate.Result, error) {
	// fail-on never still judges at error, so that the result says "fail"
	// when the gate fails; never only keeps the step green.
	sev, _ := gate.ParseSeverity(r.in.FailOn)
	if r.in.FailOn == "never" {
		sev = gate.SevError
	}
	l := check.Local{
		Dir: r.gh.Workspace, NeedGit: p.Gate == gate.GatePR || p.Tag != "",
		Token: r.in.Token, APIURL: r.gh.APIURL, Repo: r.gh.Repository,
		NoToken: "no GitHub token was given (the github-token input is empty)",
		OSVURL:  r.getenv("TRACEGATE_OSV_URL"),
	}
	if p.PR != nil && p.PR.Repo != "" {
		l.Repo = p.PR.Repo
	}
	if p.Gate == gate.GateValidate {
		// The model lint reads files only.
		l.Token = ""
	}
	src, closeRepo, err := check.Open(ctx, l)
	if err != nil {
		return nil, err
	}
	defer closeRepo()
	opts := check.Options{
		ConfigPath: r.in.Config, Tests: r.in.Tests, FailOn: sev,
		SOUP: check.SOUPOptions{SBOMs: r.in.SBOMs},
	}
	switch p.Gate {
	case gate.GatePR:
		pr, err := r.currentPR(ctx, src, *p.PR)
		if err != nil {
			return nil, err
		}
		f, err := check.GatherPR(ctx, src, pr, p.Base, p.Head, opts)
		if err != nil {
			if errors.Is(err, facts.ErrNotFound) && strings.TrimSpace(r.gh.EventName) == "pull_request_target" {
				r.gha.Warningf("pull_request_target checks out the base branch: fetch the pull request's head without checking it out (git fetch origin refs/pull/%d/head) so that the gate can read it; see the Action's documentation", pr.Number)
			}
			return check.Errored(gate.GatePR, err), err
		}
		if f.SOUP != nil {
			r.soup = f.SOUP.List
		}
		return gate.EvaluatePR(f, opts.FailOn), nil
	case gate.GateRelease:
		return r.release(ctx, src, p, opts)
	default:
		return check.Validate(ctx, src, opts)
	}
}

// release runs the release gate by writing its evidence bundle, which
// evaluates the gate and records that same evaluation with its documents:
// the bundle attached to a release is the record of the run that gated it,
// not of a second one. It is written into the evidence directory whatever
// the verdict; an evaluation that cannot complete writes none.
func (r *run) release(ctx context.Context, src *check.Sources, p Plan, opts check.Options) (*gate.Result, error) {
	date, err := evidence.ParseSourceDateEpoch(r.getenv("SOURCE_DATE_EPOCH"))
	if err != nil {
		return nil, usagef("%v", err)
	}
	o := evidence.Options{Check: opts, Date: date, Product: r.gh.Repository, WorkDir: r.gh.Workspace}
	if r.gh.Repository != "" && strings.HasPrefix(r.gh.ServerURL, "https://") {
		o.RepoURL = strings.TrimSuffix(r.gh.ServerURL, "/") + "/" + r.gh.Repository
	}
	if o.Product == "" {
		o.Product = filepath.Base(r.gh.Workspace)
	}
	r.completeClone(ctx, src.Repo)
	b, err := evidence.Build(ctx, src, p.Tag, r.dir, o)
	if b.Facts != nil && b.Facts.SOUP != nil {
		r.soup = b.Facts.SOUP.List
	}
	if err != nil {
		return b.Result, err
	}
	r.bundle = b
	r.gha.Infof("tracegate wrote the evidence bundle %s (%d files, zip SHA-256 %s)", b.Dir, len(b.Files)+1, b.ZipSHA256)
	return b.Result, nil
}

// completeClone fetches the history and tags that a checkout with
// actions/checkout's defaults (one commit, no tags) lacks, so that the
// release gate finds the previous release rather than failing for want of
// it. A failed fetch is only a warning: the gate then fails on what is
// missing, and says what to fetch.
func (r *run) completeClone(ctx context.Context, repo facts.Repository) {
	c, ok := repo.(interface{ Complete(context.Context) error })
	if !ok {
		return
	}
	if err := c.Complete(ctx); err != nil {
		r.gha.Warningf("tracegate could not fetch the repository's history and tags (%s): the release gate needs them to find the previous release", err)
	}
}

// upload attaches the evidence bundle to the GitHub release of the tag as
// the upload-evidence input says: auto when the release exists (a release
// event, or a tag push after a step that made the release), true always
// (no release is an error), false never. The release itself is never
// created or edited: publishing stays the workflow's decision.
func (r *run) upload(ctx context.Context, p Plan) error {
	if r.bundle == nil || r.in.UploadEvidence == "false" {
		return nil
	}
	if p.Tag == "" {
		if r.in.UploadEvidence == "true" {
			return errors.New("upload-evidence is true, but the run is on no tag: a release candidate has no GitHub release")
		}
		return nil
	}
	if r.in.Token == "" {
		if r.in.UploadEvidence == "true" {
			return errors.New("upload-evidence is true, but the github-token input is empty")
		}
		r.gha.Noticef("no GitHub token: the evidence bundle is not attached to the release %s", p.Tag)
		return nil
	}
	client, err := githubapi.NewClient(githubapi.Options{APIURL: r.gh.APIURL, Token: r.in.Token})
	if err != nil {
		return err
	}
	pub, err := githubapi.NewPublisher(client, r.gh.Repository)
	if err != nil {
		return err
	}
	up, err := pub.UploadReleaseAssets(ctx, p.Tag, r.bundle.Assets())
	if errors.Is(err, githubapi.ErrNoRelease) && r.in.UploadEvidence == "auto" {
		r.gha.Noticef("there is no GitHub release for %s yet: the evidence bundle is not attached (it is in the evidence-zip output; run on the release event, or create the release in an earlier step, to attach it)", p.Tag)
		return nil
	}
	if err != nil {
		return err
	}
	for _, u := range up {
		verb := "attached"
		if u.Replaced {
			verb = "replaced"
		}
		r.gha.Infof("%s %s to the release %s: %s", verb, u.Name, p.Tag, u.URL)
	}
	return nil
}

// currentPR completes the event's pull request with its current title,
// body and labels from the API: a re-run reuses the event of the first
// run, so a link added to the description since then would otherwise not
// count. The commits judged stay the event's, which are the ones checked
// out. Without a token the event's copy is judged.
func (r *run) currentPR(ctx context.Context, src *check.Sources, pr facts.PullRequest) (facts.PullRequest, error) {
	if src.PRs == nil || pr.Number == 0 {
		return pr, nil
	}
	cur, err := src.PRs.PullRequest(ctx, pr.Repo, pr.Number)
	if err != nil {
		return pr, fmt.Errorf("looking up pull request #%d: %w", pr.Number, err)
	}
	pr.Title, pr.Body, pr.Labels, pr.Draft = cur.Title, cur.Body, cur.Labels, cur.Draft
	if cur.URL != "" {
		pr.URL = cur.URL
	}
	if cur.HeadSHA != "" && cur.HeadSHA != pr.HeadSHA {
		r.gha.Infof("pull request #%d has moved on to %s since this run's event; the gate judges the commits of the event (%s), with the current title, description and labels", pr.Number, model.ShortSHA(cur.HeadSHA), model.ShortSHA(pr.HeadSHA))
	}
	return pr, nil
}

// evidenceDir makes the evidence directory: the input, else
// $RUNNER_TEMP/tracegate, else a new temporary directory.
func (r *run) evidenceDir() (string, error) {
	dir := r.in.EvidenceDir
	switch {
	case dir != "":
		dir = r.inWorkspace(dir)
	case r.gh.RunnerTemp != "":
		dir = filepath.Join(r.gh.RunnerTemp, "tracegate")
	default:
		d, err := os.MkdirTemp("", "tracegate-")
		if err != nil {
			return "", fmt.Errorf("evidence-dir: %w", err)
		}
		dir = d
	}
	// Outputs are read by later steps, which may run elsewhere: absolute.
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if err := r.noLinks(dir); err != nil {
		return "", fmt.Errorf("evidence-dir: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("evidence-dir: %w", err)
	}
	return dir, nil
}

// write writes the result files into the evidence directory.
func (r *run) write(res *gate.Result, p Plan) (Files, error) {
	dir := r.dir
	if dir == "" {
		return Files{}, errors.New("there is no evidence directory to write to")
	}
	base := "tracegate-" + res.Gate
	f := Files{Dir: dir, JSON: filepath.Join(dir, base+".json"), SARIF: filepath.Join(dir, base+".sarif"), Markdown: filepath.Join(dir, base+".md")}
	if r.in.SARIFFile != "" {
		f.SARIF = r.inWorkspace(r.in.SARIFFile)
		if abs, err := filepath.Abs(f.SARIF); err == nil {
			f.SARIF = abs
		}
		if err := r.noLinks(f.SARIF); err != nil {
			return f, fmt.Errorf("sarif-file: %w", err)
		}
		if err := os.MkdirAll(filepath.Dir(f.SARIF), 0o755); err != nil {
			return f, fmt.Errorf("sarif-file: %w", err)
		}
	}
	if err := writeFile(f.JSON, func(w io.Writer) error { return resultdoc.Write(w, res, "json") }); err != nil {
		return f, err
	}
	sarif := resultdoc.SARIFOptions{}
	if r.gh.Workspace != "" {
		if abs, err := filepath.Abs(r.gh.Workspace); err == nil {
			sarif.SourceRoot = "file://" + filepath.ToSlash(abs) + "/"
		}
	}
	if err := writeFile(f.SARIF, func(w io.Writer) error { return resultdoc.WriteSARIF(w, res, gate.Catalog(), sarif) }); err != nil {
		return f, err
	}
	if r.bundle != nil {
		f.Bundle, f.Zip = r.bundle.Dir, r.bundle.Zip
	}
	if r.soup != nil {
		f.SOUPList = filepath.Join(dir, "soup-list.json")
		v, c := version.Get()
		if err := writeFile(f.SOUPList, func(w io.Writer) error {
			return soupdoc.Write(w, r.soup, "json", soupdoc.Options{ToolVersion: v, Commit: c})
		}); err != nil {
			return f, err
		}
	}
	return f, nil
}

// inWorkspace resolves a path input: relative paths are relative to the
// checkout, as everywhere in a workflow.
func (r *run) inWorkspace(p string) string {
	if filepath.IsAbs(p) || r.gh.Workspace == "" {
		return filepath.Clean(p)
	}
	return filepath.Join(r.gh.Workspace, p)
}

// noLinks refuses a path that a link in the checkout (the pull request's)
// or in the runner's temporary directory (an earlier step's) would lead
// elsewhere.
func (r *run) noLinks(path string) error {
	for _, root := range []string{r.gh.Workspace, r.gh.RunnerTemp} {
		if root == "" {
			continue
		}
		if err := safefile.CheckInside(root, path); err != nil {
			return err
		}
	}
	return nil
}

// writeFile renders a result file and writes it through safefile: never
// through a link, never half.
func writeFile(path string, render func(io.Writer) error) error {
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return safefile.WriteFile(path, b.Bytes())
}

// log prints the text report. It is fenced with stop-commands under a
// random token: its text comes from the repository and the pull request,
// and a line of it must not act as a workflow command.
func (r *run) log(res *gate.Result) {
	var b bytes.Buffer
	if werr := resultdoc.Write(&b, res, "text"); werr != nil {
		fmt.Fprintf(&b, "rendering the result: %v\n", werr)
	}
	tok, terr := randomToken()
	if terr != nil {
		// Without a token to resume with, the report stays out of the log;
		// the summary and the files have it.
		r.gha.Warningf("the report is not printed to the log (%s); see the step summary", terr)
		return
	}
	r.gha.IssueCommand(&githubactions.Command{Name: "stop-commands", Message: tok})
	text := b.String()
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	fmt.Fprint(r.out, text)
	r.gha.IssueCommand(&githubactions.Command{Name: tok})
}

func randomToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "tracegate-" + hex.EncodeToString(b[:]), nil
}

// summary appends the Markdown summary to the step summary and keeps a
// copy beside the result.
func (r *run) summary(res *gate.Result, f Files, shown, total int) error {
	note := annotationNote(shown, total, filepath.Base(f.JSON))
	o := resultdoc.MarkdownOptions{
		Budget:     SummaryLimit - summaryMargin - len(note),
		FullReport: fmt.Sprintf("the JSON result %s (step output findings-json)", filepath.Base(f.JSON)),
	}
	if r.gh.Repository != "" && r.gh.SHA != "" && strings.HasPrefix(r.gh.ServerURL, "https://") {
		o.LinkBase = strings.TrimSuffix(r.gh.ServerURL, "/") + "/" + r.gh.Repository + "/blob/" + r.gh.SHA + "/"
	}
	var b bytes.Buffer
	b.WriteString(note)
	if err := resultdoc.WriteMarkdown(&b, res, o); err != nil {
		return err
	}
	var errs []error
	if f.Markdown != "" {
		if err := safefile.WriteFile(f.Markdown, b.Bytes()); err != nil {
			errs = append(errs, err)
		}
	}
	if r.gh.Summary != "" {
		if err := appendFile(r.gh.Summary, b.String()); err != nil {
			errs = append(errs, fmt.Errorf("GITHUB_STEP_SUMMARY: %w", err))
		}
	}
	return errors.Join(errs...)
}

// outputs sets the step outputs. Paths, not contents: an output is
// limited in size (1 MB, and 50 MB for all of a workflow run's) and is
// copied into every expression that reads it, while a result can run to
// megabytes; the files can be uploaded, attached and read by later steps.
func (r *run) outputs(result string, f Files) error {
	if r.gh.Output == "" {
		r.gha.Warningf("GITHUB_OUTPUT is not set: the step outputs are not written")
		return nil
	}
	text, err := formatOutputs([]Output{
		{"result", result},
		{"findings-json", f.JSON},
		{"sarif", f.SARIF},
		{"soup-list", f.SOUPList},
		{"evidence-dir", f.Dir},
		{"evidence-bundle", f.Bundle},
		{"evidence-zip", f.Zip},
	})
	if err != nil {
		return err
	}
	if err := appendFile(r.gh.Output, text); err != nil {
		return fmt.Errorf("GITHUB_OUTPUT: %w", err)
	}
	return nil
}
