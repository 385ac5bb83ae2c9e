package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/cpuslot"
	"github.com/tracegate/tracegate/internal/facts/ghfacts"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/ingest/readers"
	"github.com/tracegate/tracegate/internal/ingest/soupreg"
	"github.com/tracegate/tracegate/internal/osv"
)

// repoAccess is one job's access to its repository: the installation's
// client for it, the GitHub-backed repository and tracker over it, and
// the publisher.
type repoAccess struct {
	name    string
	gh      *github.Client
	repo    *ghfacts.Repo
	tracker *ghfacts.Tracker
	pub     *githubapi.Publisher
}

// access opens repo as installation id.
func (a *App) access(ctx context.Context, id int64, repo string) (*repoAccess, error) {
	gh, err := cpuslot.OffValue(ctx, func() (*github.Client, error) { return a.clients.Repo(ctx, id, repo) })
	if err != nil {
		return nil, err
	}
	r, err := ghfacts.NewRepo(gh, repo, ghfacts.RepoOptions{Files: ghfacts.Tarball, Download: a.clients.Download(), Cache: a.cache})
	if err != nil {
		return nil, err
	}
	tr, err := ghfacts.New(gh, repo)
	if err != nil {
		return nil, err
	}
	pub, err := githubapi.NewPublisher(gh, repo)
	if err != nil {
		return nil, err
	}
	return &repoAccess{name: repo, gh: gh, repo: r, tracker: tr, pub: pub}, nil
}

// policyAt is the policy of a commit as the gates read it, with the
// digest of its file ("defaults" when the commit has none). A policy that
// does not load is returned as its error: the gate will say the same.
type policyAt struct {
	cfg    *config.Config
	digest string
	err    error
}

func (ra *repoAccess) policy(ctx context.Context, sha string) (policyAt, error) {
	tree, err := ra.repo.Tree(ctx, sha)
	if err != nil {
		return policyAt{}, err
	}
	cfg, err := config.Load(tree, config.DefaultPath, true)
	if err != nil {
		return policyAt{err: err}, nil
	}
	if cfg.File == "" {
		return policyAt{cfg: cfg, digest: "defaults"}, nil
	}
	data, err := fs.ReadFile(tree, cfg.File)
	if err != nil {
		return policyAt{}, fmt.Errorf("policy %s at %s: %w", cfg.File, sha, err)
	}
	sum := sha256.Sum256(data)
	return policyAt{cfg: cfg, digest: "sha256:" + hex.EncodeToString(sum[:])}, nil
}

// osvHTTP is osv's default client (a minute per attempt) whose requests
// are waits without the job's CPU slot.
var osvHTTP = &http.Client{Timeout: time.Minute, Transport: cpuslot.Transport{Base: http.DefaultTransport}}

// sources are the GitHub-backed sources of an evaluation under the policy
// p: the evidence is the artifacts of the workflow the policy names
// (app.evidence), and without one the evaluated commit's own files.
func (a *App) sources(ra *repoAccess, p policyAt) (*check.Sources, error) {
	src := &check.Sources{Repo: ra.repo, Tracker: ra.tracker, PRs: ra.tracker, Reviews: ra.tracker, Readers: readers.All(), Register: soupreg.Read,
		RepoName: ra.name, Hosts: []string{a.host},
		// soup.anomalies: osv asks osv.dev, or the mirror the server's
		// environment names, as the CLI and the Action do; a wait without
		// the job's CPU slot, as GitHub's answers are.
		OSV: &osv.Client{BaseURL: os.Getenv("TRACEGATE_OSV_URL"), HTTPClient: osvHTTP}}
	if p.cfg == nil || p.cfg.App.Evidence.Workflow == "" {
		return src, nil
	}
	ev := p.cfg.App.Evidence
	opts := ghfacts.ArtifactsOptions{Workflow: ev.Workflow, Download: a.clients.Download(), Cache: a.cache, Mount: map[string]string{}}
	for _, art := range ev.Artifacts {
		opts.Names = append(opts.Names, art.Name)
		opts.Mount[art.Name] = art.Path
	}
	store, err := ghfacts.NewArtifacts(ra.gh, ra.name, opts)
	if err != nil {
		return nil, &check.UsageError{Err: fmt.Errorf("app.evidence: %w", err)}
	}
	src.Evidence = store
	return src, nil
}
