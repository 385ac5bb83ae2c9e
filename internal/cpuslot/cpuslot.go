// Package cpuslot bounds the jobs that use a core at once, apart from the
// jobs in flight. A job of `tracegate serve` — an evaluation — mostly
// waits: for GitHub's answers, for the database, for another job's fetch
// of the same commit; between the waits it is CPU-bound: it decompresses
// and reads the tarball and the files, judges, renders. It holds a slot
// (Slots.Hold) for that work only and makes every wait without it (Off,
// Transport, Sleep), so that many jobs can wait at once while at most the
// slots' capacity of them compute.
//
// The App sizes the slots one core fewer than GOMAXPROCS, at least one,
// which keeps a core for the webhook: a delivery is acknowledged only
// after its commit, and the goroutines that read it, commit it and answer
// it each need a core when they wake; with every core busy judging they
// wait for the Go scheduler to preempt a judge (a 10 ms time slice). This
// is the scheduler of palantir/go-githubapp with an explicit capacity,
// applied to the cores rather than to the jobs.
//
// A job must never wait for another job while it holds a slot: the other
// may need a slot to finish (deadlock, once every slot is held by such a
// waiter). So a wait on another job — a lock held across a request, a
// fetch made once for all who ask (ghfacts' cache) — is made with Off too,
// and the work done for the others inside it, with On.
//
// Without a hold in the context every function here just runs what it is
// given: the CLI and the Action never hold one.
package cpuslot

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/tracegate/tracegate/internal/backoff"
)

// Slots is a capacity of jobs computing at once.
type Slots struct {
	sem chan struct{} // a token per slot in use
}

// Default is one core fewer than the Go scheduler has, at least one.
func Default() int { return max(1, runtime.GOMAXPROCS(0)-1) }

// New returns n slots (at least one).
func New(n int) *Slots {
	return &Slots{sem: make(chan struct{}, max(n, 1))}
}

// Cap is the number of slots.
func (s *Slots) Cap() int { return cap(s.sem) }

// InUse is the number of slots held now.
func (s *Slots) InUse() int { return len(s.sem) }

// take waits for a free slot, or for ctx to end.
func (s *Slots) take(ctx context.Context) error {
	select {
	case s.sem <- struct{}{}:
		return nil
	default:
	}
	select {
	case s.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

func (s *Slots) put() { <-s.sem }

// Hold is one job's slot: held while the job computes, given up while it
// waits. Waits nest (a download's retries sleep inside the download) and
// the job's goroutines share the slot: it is given up when the first wait
// begins and taken again when the last one ends — a job whose concurrent
// requests (OSV's parallel fetches) are not all answered computes
// meanwhile without it.
type Hold struct {
	slots *Slots
	// mu is held across a take, so that a pause cannot give up a slot
	// that is still being taken.
	mu      sync.Mutex
	waiting int // waits in progress
	held    bool
	done    bool // released for good: the job ended
}

type holdKey struct{}

// Hold waits for a slot for the job whose context is ctx, and returns the
// context that carries it: the waits made with that context give it up
// meanwhile. Release it when the job ends, on every path (defer).
func (s *Slots) Hold(ctx context.Context) (context.Context, *Hold, error) {
	if err := s.take(ctx); err != nil {
		return ctx, nil, err
	}
	h := &Hold{slots: s, held: true}
	return context.WithValue(ctx, holdKey{}, h), h, nil
}

func holdOf(ctx context.Context) *Hold {
	h, _ := ctx.Value(holdKey{}).(*Hold)
	return h
}

// Release gives the slot back for good; a later wait's end takes none.
// It is idempotent.
func (h *Hold) Release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.done = true
	if h.held {
		h.held = false
		h.slots.put()
	}
}

// pause begins a wait: the first gives the slot up.
func (h *Hold) pause() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.waiting++
	if h.held {
		h.held = false
		h.slots.put()
	}
}

// resume ends a wait: after the last, it takes a slot again, or fails
// with ctx's cause.
func (h *Hold) resume(ctx context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.waiting--
	if h.waiting > 0 || h.held || h.done {
		return nil
	}
	if err := h.slots.take(ctx); err != nil {
		return err
	}
	h.held = true
	return nil
}

// Off runs wait, a wait for something outside the job (GitHub, the
// database, another job), without the slot of the job ctx belongs to, and
// takes one again after. A wait that succeeded while the job's context
// ended meanwhile fails with the context's cause: the job cannot go on.
func Off(ctx context.Context, wait func() error) error {
	h := holdOf(ctx)
	if h == nil {
		return wait()
	}
	h.pause()
	err := wait()
	if rerr := h.resume(ctx); rerr != nil && err == nil {
		return rerr
	}
	return err
}

// OffValue is Off for a wait with a result.
func OffValue[T any](ctx context.Context, wait func() (T, error)) (T, error) {
	var v T
	err := Off(ctx, func() (err error) {
		v, err = wait()
		return err
	})
	return v, err
}

// On runs work, which computes, with a slot, inside a wait made with Off:
// the fetch one job makes for all the jobs that wait for it, which must
// not be held up by their waiting. Outside a wait it just runs work.
func On(ctx context.Context, work func() error) error {
	h := holdOf(ctx)
	if h == nil {
		return work()
	}
	h.mu.Lock()
	inWait := h.waiting > 0
	h.mu.Unlock()
	if !inWait {
		return work()
	}
	if err := h.resume(ctx); err != nil {
		h.pause() // the wait goes on, as Off expects
		return err
	}
	defer h.pause()
	return work()
}

// Sleep waits d, or until ctx ends, without the job's slot: a retry's
// back-off.
func Sleep(ctx context.Context, d time.Duration) error {
	return Off(ctx, func() error { return backoff.Sleep(ctx, d) })
}

// Transport makes every request a wait without the job's slot, up to its
// answer's headers; with Body set, the reads of the answer's body too
// (downloads, which are copied as they are read, not parsed). Put it above
// whatever may wait for another job (ghinstallation's token, refreshed
// under a lock): the slot is given up before.
type Transport struct {
	Base http.RoundTripper
	Body bool
}

func (t Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	resp, err := OffValue(ctx, func() (*http.Response, error) { return t.Base.RoundTrip(req) })
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		return nil, err
	}
	if t.Body && resp.Body != nil && holdOf(ctx) != nil {
		resp.Body = offBody{ctx: ctx, ReadCloser: resp.Body}
	}
	return resp, nil
}

type offBody struct {
	ctx context.Context
	io.ReadCloser
}

func (b offBody) Read(p []byte) (int, error) {
	var n int
	err := Off(b.ctx, func() (err error) {
		n, err = b.ReadCloser.Read(p)
		return err
	})
	return n, err
}
