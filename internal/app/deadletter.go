package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/logctx"
	"github.com/tracegate/tracegate/internal/store"
)

// deadLetter reports a job that used its attempts: its check run
// completes with conclusion failure and the reason, and the audit log
// records the decision (verdict error). Jobs without a check run (the
// fan-outs, installation records) are logged.
func (a *App) deadLetter(ctx context.Context, job store.Job) error {
	log := logctx.From(ctx)
	log.Error("job dead-lettered", "reason", job.Reason)
	if strings.Contains(job.Reason, ErrNotInstalled.Error()) {
		return nil // nothing of the repository may be touched, nor shown
	}
	cause := fmt.Errorf("tracegate gave up evaluating this commit, retrying did not help (%s)", job.Reason)
	switch job.Kind {
	case kindPR:
		var args prArgs
		if err := json.Unmarshal(job.Args, &args); err != nil {
			return store.Permanent(err)
		}
		ra, err := a.access(ctx, job.InstallationID, job.Key.Repository)
		if err != nil {
			return err
		}
		d := decision{check: checkPR, gate: gate.GatePR, sha: job.Key.SHA, ref: "pull/" + strconv.Itoa(args.PR.Number),
			extID: externalID(kindPR, args), details: a.web + "/" + ra.name + "/pull/" + strconv.Itoa(args.PR.Number), res: errored(gate.GatePR, cause)}
		return a.decide(ctx, ra, job, d)
	case kindRelease:
		var args releaseArgs
		if err := json.Unmarshal(job.Args, &args); err != nil {
			return store.Permanent(err)
		}
		ra, err := a.access(ctx, job.InstallationID, job.Key.Repository)
		if err != nil {
			return err
		}
		d := decision{check: checkRelease, gate: gate.GateRelease, sha: args.SHA, ref: "branch:" + args.Branch,
			extID: externalID(kindRelease, args), details: a.web + "/" + ra.name + "/commit/" + args.SHA, res: errored(gate.GateRelease, cause)}
		if args.Tag != "" {
			d.ref, d.details = args.Tag, a.web+"/"+ra.name+"/releases/tag/"+args.Tag
			if d.sha, err = ra.repo.Resolve(ctx, args.Tag); err != nil {
				log.Warn("a dead-lettered release job's tag does not resolve: no check run to complete", "tag", args.Tag, "error", err.Error())
				return nil
			}
		}
		return a.decide(ctx, ra, job, d)
	}
	return nil
}
