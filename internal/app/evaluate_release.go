package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/evidence"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/logctx"
	"github.com/tracegate/tracegate/internal/store"
)

// runRelease evaluates the release gate: on a tag (its push, its
// creation, its release published), or on a default-branch commit as a
// release candidate (the readiness check a tag ruleset can require). The
// policy is the evaluated commit's. For a published release, and when the
// policy asks (app.release), a failing release is turned back into a
// draft with a comment that says why, and a passing one gets the evidence
// bundle attached.
func (a *App) runRelease(ctx context.Context, job store.Job) error {
	var args releaseArgs
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return store.Permanent(fmt.Errorf("release job %d: %w", job.ID, err))
	}
	start := time.Now()
	ra, err := a.access(ctx, job.InstallationID, job.Key.Repository)
	if err != nil {
		return permanentUnless(err)
	}
	d := decision{check: checkRelease, gate: gate.GateRelease, sha: args.SHA, extID: externalID(kindRelease, args)}
	if args.Tag != "" {
		d.ref = args.Tag
		d.details = a.web + "/" + ra.name + "/releases/tag/" + args.Tag
		if d.sha, err = ra.repo.Resolve(ctx, args.Tag); err != nil {
			if transient(err) {
				return err
			}
			// No commit to show a check run on: the tag is gone.
			return store.Permanent(fmt.Errorf("release %s: %w", args.Tag, err))
		}
	} else {
		d.ref = "branch:" + args.Branch
		d.details = a.web + "/" + ra.name + "/commit/" + args.SHA
	}
	for attempt := 0; ; attempt++ {
		pol, err := ra.policy(ctx, d.sha)
		if err != nil {
			return a.failed(ctx, ra, job, d, err)
		}
		d.policy = pol.digest
		src, err := a.sources(ra, pol)
		if err != nil {
			return a.failed(ctx, ra, job, d, err)
		}
		tag := args.Tag
		if tag == "" {
			// The candidate's files are the commit's, placed in history
			// by it.
			if src.WorkTree, err = ra.repo.Tree(ctx, d.sha); err != nil {
				return a.failed(ctx, ra, job, d, err)
			}
			src.WorkHead = d.sha
		}
		rel := pol.cfg != nil && args.Release != 0
		attach := rel && pol.cfg.App.Release.AttachEvidence
		var bundle *evidence.Bundle
		var docs *check.ReleaseDocs
		if attach {
			dir, derr := os.MkdirTemp("", "tracegate-app-")
			if derr != nil {
				return derr
			}
			defer os.RemoveAll(dir)
			bundle, err = evidence.Build(ctx, src, tag, dir, evidence.Options{Check: check.Options{FailOn: gate.SevError}, Product: ra.name,
				RepoURL: a.web + "/" + ra.name})
			if bundle != nil {
				d.res, d.inputs = bundle.Result, bundle.InputsDigest
			}
		} else {
			docs, err = check.ReleaseWithDocs(ctx, src, tag, "", check.Options{FailOn: gate.SevError})
			if docs != nil {
				d.res, d.inputs = docs.Result, docs.InputsDigest
			}
		}
		var pe *facts.PendingError
		if errors.As(err, &pe) {
			again, err := a.waiting(ctx, ra, d, src.Evidence, pe, attempt == 0)
			if again {
				continue
			}
			return err
		}
		if err != nil {
			if ferr := a.failed(ctx, ra, job, d, err); ferr != nil {
				return ferr
			}
			d.res = errored(d.gate, err)
		} else if err := a.decide(ctx, ra, job, d); err != nil {
			return err
		}
		a.m.evaluation.WithLabelValues(gate.GateRelease, string(d.res.Verdict)).Observe(time.Since(start).Seconds())
		if !rel {
			return nil
		}
		return a.afterRelease(ctx, ra, args, d, pol, bundle)
	}
}

// afterRelease does to the GitHub release what the policy asks: a release
// whose gate did not pass back to a draft, with a comment on its commit
// that says why; a passing one's evidence bundle attached.
func (a *App) afterRelease(ctx context.Context, ra *repoAccess, args releaseArgs, d decision, pol policyAt, b *evidence.Bundle) error {
	log := logctx.From(ctx)
	if d.res.Verdict != gate.Pass {
		if !pol.cfg.App.Release.DraftOnFailure {
			return nil
		}
		if err := ra.pub.DraftRelease(ctx, args.Release); err != nil {
			return err
		}
		var why []string
		for _, e := range d.res.Errors {
			why = append(why, "- evaluation error: "+escapeMD(e))
		}
		for _, f := range d.res.Findings {
			if f.Severity == gate.SevError {
				why = append(why, "- "+escapeMD(f.Rule+" "+f.Subject+": "+f.Message))
			}
		}
		if len(why) > 50 {
			why = append(why[:50], fmt.Sprintf("- … and %d more (see the check run tracegate/release)", len(why)-50))
		}
		body := fmt.Sprintf("**tracegate turned the release %s back into a draft**: its release gate %s (policy `.github/tracegate.yml`, app.release.draft_on_failure).\n\n%s\n\nThe check run `tracegate/release` on this commit has the whole result. Publish the release again once the gate passes.\n",
			escapeMD(args.Tag), verdictWords(d.res.Verdict), strings.Join(why, "\n"))
		url, err := ra.pub.CommentCommit(ctx, d.sha, body)
		if err != nil {
			return err
		}
		log.Info("release drafted", "tag", args.Tag, "comment", url)
		return nil
	}
	if b == nil {
		return nil
	}
	up, err := ra.pub.UploadReleaseAssets(ctx, args.Tag, b.Assets())
	if err != nil {
		return err
	}
	log.Info("evidence attached", "tag", args.Tag, "assets", len(up), "zip_sha256", b.ZipSHA256)
	return nil
}

func verdictWords(v gate.Verdict) string {
	if v == gate.Fail {
		return "failed"
	}
	return "could not be evaluated"
}
