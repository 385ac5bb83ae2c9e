package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tracegate/tracegate/internal/cpuslot"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/logctx"
	"github.com/tracegate/tracegate/internal/store"
)

// handle does one job: the store's Runner calls it from its workers.
// Errors fail the job (retried with backoff, dead-lettered after the
// bound); a rate limit defers it to the limit's end instead.
func (a *App) handle(ctx context.Context, job store.Job) error {
	var err error
	outcome := "done"
	defer func() { a.m.jobs.WithLabelValues(job.Kind, outcome).Inc() }()
	if job.Kind == kindInstallation { // bookkeeping: a write to the store
		err = a.runInstallation(ctx, job)
		if err != nil {
			outcome = "failed"
		}
		return err
	}
	// The job computes on one of the CPU slots, and gives it up for every
	// wait (see cpuslot). A panic passes through this deferred release
	// before the runner turns it into the job's error.
	ctx, hold, err := a.cpu.Hold(ctx)
	if err != nil {
		outcome = "failed"
		return err
	}
	defer hold.Release()
	if job.DeadLetter {
		outcome = "dead_letter"
		return a.deadLetter(ctx, job)
	}
	if until, low := a.clients.RateLow(job.InstallationID); low {
		outcome = "deferred"
		return a.deferJob(ctx, job, until, "the installation's rate limit is nearly spent")
	}
	ctx, calls := countCalls(ctx)
	defer func() {
		if job.Kind == kindPR || job.Kind == kindRelease {
			a.m.evalCalls.WithLabelValues(job.Kind).Observe(float64(calls.Load()))
		}
		logctx.From(ctx).Info("job done", "outcome", outcome, "api_calls", calls.Load())
	}()
	switch job.Kind {
	case kindPR:
		err = a.runPR(ctx, job)
	case kindRelease:
		err = a.runRelease(ctx, job)
	case kindIssue:
		err = a.runIssue(ctx, job)
	case kindWaiting:
		err = a.runWaiting(ctx, job)
	default:
		err = store.Permanent(fmt.Errorf("unknown job kind %q", job.Kind))
	}
	if at, ok := githubapi.RetryAt(err); ok && err != nil {
		outcome = "deferred"
		return a.deferJob(ctx, job, at, err.Error())
	}
	if err != nil {
		outcome = "failed"
	}
	return err
}

// maxDefer bounds how long a job is held back for a rate limit.
const maxDefer = time.Hour

// deferJob enqueues job again to run at until (a rate limit's reset) and
// ends this one: a rate limit is not the job's failure.
func (a *App) deferJob(ctx context.Context, job store.Job, until time.Time, why string) error {
	d := min(max(time.Until(until), time.Second), maxDefer)
	_, err := cpuslot.OffValue(ctx, func() ([]store.Enqueued, error) {
		return a.store.Enqueue(ctx, store.JobSpec{Kind: job.Kind, Key: job.Key, InstallationID: job.InstallationID,
			DeliveryID: job.DeliveryID, Args: job.Args, Delay: d})
	})
	if err != nil {
		return errors.Join(errors.New(why), err)
	}
	logctx.From(ctx).Warn("job deferred", "until", until.UTC().Format(time.RFC3339), "why", why)
	return nil
}

// fanOut enqueues the evaluations a fan-out job (an issue's linking pull
// requests, what waited for a run's artifacts) found, as coming from the
// job's delivery.
func (a *App) fanOut(ctx context.Context, job store.Job, in *intake) error {
	if len(in.jobs) == 0 {
		return nil
	}
	for i := range in.jobs {
		in.jobs[i].DeliveryID = job.DeliveryID
	}
	return cpuslot.Off(ctx, func() error {
		_, err := a.store.Enqueue(ctx, in.jobs...)
		return err
	})
}
