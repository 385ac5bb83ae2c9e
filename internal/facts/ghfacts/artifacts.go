package ghfacts

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/memfs"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/logctx"
)

// Artifacts is the evidence CI leaves as the artifacts of a named
// workflow's run for a commit: the run GitHub lists last for the SHA, its
// artifacts downloaded (each a zip, served through a redirect) and
// unpacked in memory, each under its name. It is safe for concurrent use;
// a completed run's files are kept in the Cache.
type Artifacts struct {
	remote
	workflow string
	names    []string
	mount    map[string]string
}

var _ facts.Evidence = (*Artifacts)(nil)

// ArtifactsOptions configure NewArtifacts; zero fields take defaults.
type ArtifactsOptions struct {
	// Workflow is the workflow's file name (ci.yml: the runs of
	// .github/workflows/ci.yml) or, without a .yml or .yaml suffix, its
	// name ("CI").
	Workflow string
	// Names are the artifacts to read, each of which must exist; every
	// artifact of the run when empty.
	Names []string
	// Mount places an artifact's files under a directory of the evidence
	// ("" is the top), so that the policy's globs (reports/unit/*.jsonl)
	// mean in the artifacts what they mean in a checkout: upload-artifact
	// drops the directories its paths share. An artifact not named here
	// sits under its own name. Two artifacts holding one path are an
	// error.
	Mount    map[string]string
	Cache    *Cache
	Download *http.Client
	// Limits bound all artifacts of a run together (DefaultMaxBytes,
	// DefaultMaxFiles when zero).
	Limits   memfs.Limits
	MaxPages int
}

// NewArtifacts returns the evidence store of repo (owner/name).
func NewArtifacts(client *github.Client, repo string, opts ArtifactsOptions) (*Artifacts, error) {
	rm, err := newRemote(client, repo, opts.Cache, opts.Download, opts.Limits, opts.MaxPages)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(opts.Workflow) == "" {
		return nil, errors.New("ghfacts: evidence from artifacts needs the workflow that uploads them")
	}
	for _, n := range opts.Names {
		if n == "" || !memfs.ValidPath(n) || strings.Contains(n, "/") {
			return nil, fmt.Errorf("artifact name %q cannot be a directory name", n)
		}
	}
	for n, dir := range opts.Mount {
		if dir != "" && !memfs.ValidPath(dir) {
			return nil, fmt.Errorf("artifact %q: %q is not a directory of the evidence", n, dir)
		}
	}
	return &Artifacts{remote: rm, workflow: opts.Workflow, names: opts.Names, mount: opts.Mount}, nil
}

func (a *Artifacts) byFile() bool {
	return strings.HasSuffix(a.workflow, ".yml") || strings.HasSuffix(a.workflow, ".yaml")
}

// Evidence returns the artifacts of the workflow's latest run for sha,
// each under a directory of its name or where Mount puts it. It is pending (facts.ErrPending)
// while there is no run for the commit, the run has not completed, or a
// named artifact is not there yet in a run still going. A completed run
// without a named artifact, an expired artifact, or one past the limits is
// an error: the evidence cannot be read, and a gate must not pass for it.
func (a *Artifacts) Evidence(ctx context.Context, sha string) (fs.FS, error) {
	if !fullSHA().MatchString(sha) {
		return nil, fmt.Errorf("evidence of %q: want a commit SHA", sha)
	}
	start := time.Now()
	run, err := a.latestRun(ctx, sha)
	if err != nil {
		return nil, err
	}
	pending := func(format string, args ...any) error {
		return &facts.PendingError{Workflow: a.workflow, SHA: sha, Reason: fmt.Sprintf(format, args...)}
	}
	if run == nil {
		return nil, pending("no run of the workflow for this commit yet")
	}
	if run.GetStatus() != "completed" {
		return nil, pending("run %d (%s) is %s", run.GetID(), run.GetHTMLURL(), strings.ReplaceAll(run.GetStatus(), "_", " "))
	}
	key := a.key("run", strconv.FormatInt(run.GetID(), 10), strconv.Itoa(run.GetRunAttempt()))
	files, hit, err := cached(ctx, a.cache, key, func(ctx context.Context) ([]memfs.File, int64, error) {
		return a.download(ctx, run)
	})
	if err != nil {
		return nil, err
	}
	t, err := memfs.New(files, nil)
	if err != nil {
		return nil, fmt.Errorf("artifacts of run %d: %w", run.GetID(), err)
	}
	logctx.From(ctx).Debug("github: evidence", "repo", a.repo, "sha", sha, "workflow", a.workflow, "run", run.GetID(),
		"conclusion", run.GetConclusion(), "cached", hit, "took", time.Since(start))
	return t, nil
}

// latestRun is the run of the workflow for sha GitHub created last (the
// newest attempt of it), nil when there is none.
func (a *Artifacts) latestRun(ctx context.Context, sha string) (*github.WorkflowRun, error) {
	what := fmt.Sprintf("runs of workflow %s for %s in %s", a.workflow, sha, a.repo)
	runs, err := githubapi.All(ctx, a.maxPages, func(ctx context.Context, page int) ([]*github.WorkflowRun, *github.Response, error) {
		opts := &github.ListWorkflowRunsOptions{HeadSHA: sha, ListOptions: github.ListOptions{Page: page, PerPage: githubapi.PerPage}}
		var list *github.WorkflowRuns
		var resp *github.Response
		var err error
		if a.byFile() {
			list, resp, err = a.client.Actions.ListWorkflowRunsByFileName(ctx, a.owner, a.name, path.Base(a.workflow), opts)
		} else {
			list, resp, err = a.client.Actions.ListRepositoryWorkflowRuns(ctx, a.owner, a.name, opts)
		}
		if err != nil {
			return nil, resp, apiError(what, resp, err)
		}
		return list.WorkflowRuns, resp, nil
	})
	if err != nil {
		return nil, err
	}
	var best *github.WorkflowRun
	for _, r := range runs {
		if r.GetHeadSHA() != sha || (!a.byFile() && r.GetName() != a.workflow) {
			continue
		}
		if best == nil || r.GetCreatedAt().After(best.GetCreatedAt().Time) ||
			(r.GetCreatedAt().Time.Equal(best.GetCreatedAt().Time) && r.GetID() > best.GetID()) {
			best = r
		}
	}
	return best, nil
}

// download reads the run's artifacts, every named one or all.
func (a *Artifacts) download(ctx context.Context, run *github.WorkflowRun) ([]memfs.File, int64, error) {
	id := run.GetID()
	what := fmt.Sprintf("artifacts of run %d of workflow %s in %s", id, a.workflow, a.repo)
	list, err := githubapi.All(ctx, a.maxPages, func(ctx context.Context, page int) ([]*github.Artifact, *github.Response, error) {
		l, resp, err := a.client.Actions.ListWorkflowRunArtifacts(ctx, a.owner, a.name, id, &github.ListOptions{Page: page, PerPage: githubapi.PerPage})
		if err != nil {
			return nil, resp, apiError(what, resp, err)
		}
		return l.Artifacts, resp, nil
	})
	if err != nil {
		return nil, 0, err
	}
	byName := map[string]*github.Artifact{}
	for _, art := range list {
		if old, dup := byName[art.GetName()]; !dup || art.GetID() > old.GetID() {
			byName[art.GetName()] = art
		}
	}
	names := a.names
	if len(names) == 0 {
		for n := range byName {
			names = append(names, n)
		}
		slices.Sort(names)
	}
	if len(names) == 0 {
		return nil, 0, fmt.Errorf("%s: the run (%s) completed (%s) with no artifacts: there is no evidence to read", what, run.GetHTMLURL(), run.GetConclusion())
	}
	var files []memfs.File
	size := int64(0)
	lim := a.limits
	for _, n := range names {
		if lim.MaxBytes <= 0 || lim.MaxFiles <= 0 {
			return nil, 0, fmt.Errorf("%s: artifact %q: %w: the artifacts before it used the whole bound", what, n, memfs.ErrTooLarge)
		}
		art := byName[n]
		switch {
		case art == nil:
			return nil, 0, fmt.Errorf("%s: the run (%s) completed (%s) without an artifact %q: there is no evidence to read", what, run.GetHTMLURL(), run.GetConclusion(), n)
		case art.GetExpired():
			return nil, 0, fmt.Errorf("%s: artifact %q has expired: run the workflow again to make the evidence", what, n)
		case !memfs.ValidPath(n) || strings.Contains(n, "/"):
			return nil, 0, fmt.Errorf("%s: artifact name %q cannot be a directory name", what, n)
		}
		start := time.Now()
		u, resp, err := a.client.Actions.DownloadArtifact(ctx, a.owner, a.name, art.GetID(), 1)
		if err != nil {
			return nil, 0, apiError(fmt.Sprintf("%s: artifact %q", what, n), resp, err)
		}
		data, err := githubapi.Download(ctx, a.dl, u, lim.MaxBytes)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: artifact %q: %w", what, n, err)
		}
		members, err := memfs.ReadZip(data, false, lim)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: artifact %q: %w", what, n, err)
		}
		for _, m := range members {
			lim.MaxBytes -= m.Size
			size += m.Size
		}
		lim.MaxFiles -= len(members)
		dir, ok := a.mount[n]
		if !ok {
			dir = n
		}
		if dir != "" {
			members = memfs.Under(dir, members)
		}
		files = append(files, members...)
		logctx.From(ctx).Debug("github: fetched", "what", "artifact", "repo", a.repo, "run", id, "artifact", n,
			"bytes", len(data), "files", len(members), "took", time.Since(start))
	}
	return files, size, nil
}
