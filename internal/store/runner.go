package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/tracegate/tracegate/internal/logctx"
)

// Handler does one job. A nil error completes it; an error fails it (see
// Queue.Fail: wrap with Permanent for an error retrying cannot fix). The
// context ends when the job's lease is lost or a drain runs out of time.
type Handler func(ctx context.Context, job Job) error

// Runner works a queue with a fixed number of workers: it claims jobs
// while workers are free, keeps their leases extended while they run, and
// completes, fails or releases them. Run returns after a graceful
// shutdown: stop claiming, let running jobs finish, release the rest. It
// logs to the logger Run's context carries (internal/logctx), and hands
// each job a context whose logger names the job, its delivery,
// installation, repository, number and SHA.
type Runner struct {
	Queue  Queue
	Handle Handler
	// Owner names this replica in leases; default host-pid.
	Owner string
	// Workers is the number of jobs run at once; default 4.
	Workers int
	// Lease is how long a claim holds without being extended; it is
	// extended every third of it. Default 1 min.
	Lease time.Duration
	// Poll is how long an idle runner waits before claiming again, unless
	// woken; default 1 s.
	Poll time.Duration
	// Drain is how long running jobs may go on once Run's context ends;
	// then their contexts end and the jobs that return are released.
	// Default 30 s.
	Drain time.Duration

	wakeOnce sync.Once
	wake     chan struct{}
}

func (r *Runner) wakeChan() chan struct{} {
	r.wakeOnce.Do(func() { r.wake = make(chan struct{}, 1) })
	return r.wake
}

// Wake makes an idle runner claim now (after a delivery was accepted).
func (r *Runner) Wake() {
	select {
	case r.wakeChan() <- struct{}{}:
	default:
	}
}

func (r *Runner) defaults() {
	if r.Owner == "" {
		host, _ := os.Hostname()
		if !validToken(host, 100) {
			host = "tracegate"
		}
		r.Owner = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	if r.Workers <= 0 {
		r.Workers = 4
	}
	if r.Lease <= 0 {
		r.Lease = time.Minute
	}
	if r.Poll <= 0 {
		r.Poll = time.Second
	}
	if r.Drain <= 0 {
		r.Drain = 30 * time.Second
	}
}

// bookkeeping bounds the store calls that finish a job, which must happen
// even after Run's context ended.
const bookkeeping = 30 * time.Second

// Run works the queue until ctx ends, then drains. It returns nil after a
// graceful shutdown.
func (r *Runner) Run(ctx context.Context) error {
	if r.Queue == nil || r.Handle == nil {
		return errors.New("runner: no queue or no handler")
	}
	r.defaults()
	wake := r.wakeChan()
	// Jobs run under work, which outlives ctx by the drain.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	free := make(chan struct{}, r.Workers)
	for range r.Workers {
		free <- struct{}{}
	}
	var running sync.WaitGroup
	for ctx.Err() == nil {
		n := 0
		select { // wait for a free worker
		case <-free:
			n = 1
		case <-ctx.Done():
			continue
		}
	more:
		for n < r.Workers {
			select {
			case <-free:
				n++
			default:
				break more
			}
		}
		jobs, err := r.Queue.Claim(ctx, r.Owner, n, r.Lease)
		if err != nil && ctx.Err() == nil {
			logctx.From(ctx).LogAttrs(ctx, slog.LevelError, "claim jobs", slog.String("error", err.Error()))
		}
		for _, j := range jobs {
			n--
			if ctx.Err() != nil { // claimed as the shutdown began: not started, give back
				r.finish(jobContext(work, j), j, r.release)
				free <- struct{}{}
				continue
			}
			running.Add(1)
			go func() {
				defer func() { free <- struct{}{}; running.Done() }()
				r.run(work, j)
			}()
		}
		for ; n > 0; n-- {
			free <- struct{}{}
		}
		if len(jobs) == 0 || err != nil {
			select {
			case <-wake:
			case <-time.After(r.Poll):
			case <-ctx.Done():
			}
		}
	}
	drained := make(chan struct{})
	go func() { running.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(r.Drain):
		logctx.From(ctx).LogAttrs(ctx, slog.LevelWarn, "drain timed out: cancelling running jobs", slog.Duration("drain", r.Drain))
		stopWork()
		<-drained
	}
	return nil
}

// errLeaseLost ends a job's context when its lease could not be kept.
var errLeaseLost = errors.New("the job's lease was lost")

// run does job j: the handler under a context that ends if the lease is
// lost, while a keeper extends the lease.
func (r *Runner) run(work context.Context, j Job) {
	work = jobContext(work, j)
	ctx, cancel := context.WithCancelCause(work)
	defer cancel(nil)
	kept := make(chan struct{})
	stop := make(chan struct{})
	go func() { defer close(kept); r.keepLease(work, j, stop, cancel) }()
	start := time.Now()
	err := r.call(ctx, j)
	close(stop)
	<-kept
	attrs := []slog.Attr{slog.Duration("took", time.Since(start))}
	switch {
	case errors.Is(context.Cause(ctx), errLeaseLost):
		logctx.From(ctx).LogAttrs(ctx, slog.LevelWarn, "job abandoned: lease lost", attrs...)
	case err == nil:
		r.finish(work, j, r.Queue.Complete)
	case work.Err() != nil && errors.Is(err, context.Canceled):
		logctx.From(ctx).LogAttrs(ctx, slog.LevelWarn, "job released: drain timed out", attrs...)
		r.finish(work, j, r.release)
	default:
		logctx.From(ctx).LogAttrs(ctx, slog.LevelWarn, "job failed", append(attrs, slog.String("error", err.Error()))...)
		r.finish(work, j, func(ctx context.Context, j Job) error {
			_, err := r.Queue.Fail(ctx, j, err)
			return err
		})
	}
}

// jobContext is ctx with a logger that names job j.
func jobContext(ctx context.Context, j Job) context.Context {
	return logctx.With(ctx, logctx.From(ctx).With(slog.Int64("job", j.ID), slog.String("kind", j.Kind),
		slog.String("delivery", j.DeliveryID), slog.Int64("installation", j.InstallationID), slog.String("repository", j.Key.Repository),
		slog.Int("number", j.Key.Number), slog.String("sha", j.Key.SHA), slog.Int("attempt", j.Attempt)))
}

func (r *Runner) release(ctx context.Context, j Job) error { return r.Queue.Release(ctx, j) }

// finish records the end of job j, even when work (which names the job in
// its logger) already ended.
func (r *Runner) finish(work context.Context, j Job, record func(context.Context, Job) error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(work), bookkeeping)
	defer cancel()
	if err := record(ctx, j); err != nil {
		level := slog.LevelError
		if errors.Is(err, ErrLeaseLost) {
			level = slog.LevelWarn
		}
		logctx.From(ctx).LogAttrs(ctx, level, "finish job", slog.String("error", err.Error()))
	}
}

// call runs the handler; a panic fails the job instead of the process.
func (r *Runner) call(ctx context.Context, j Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			logctx.From(ctx).LogAttrs(ctx, slog.LevelError, "job panicked", slog.String("stack", string(debug.Stack())))
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return r.Handle(ctx, j)
}

// keepLease extends j's lease every third of it until stop is closed. A
// lease found lost cancels the job; an extension that fails otherwise is
// tried again until the lease would run out.
func (r *Runner) keepLease(work context.Context, j Job, stop <-chan struct{}, cancel context.CancelCauseFunc) {
	t := time.NewTicker(r.Lease / 3)
	defer t.Stop()
	until := j.LeaseUntil
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		ctx, done := context.WithTimeout(context.WithoutCancel(work), r.Lease/3)
		next, err := r.Queue.Extend(ctx, j, r.Lease)
		done()
		switch {
		case err == nil:
			until = next
		case errors.Is(err, ErrLeaseLost) || time.Now().After(until):
			cancel(errLeaseLost)
			return
		default:
			logctx.From(work).LogAttrs(work, slog.LevelWarn, "extend lease", slog.String("error", err.Error()))
		}
	}
}
