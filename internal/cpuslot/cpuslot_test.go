package cpuslot

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// ended is a context that has ended: a take with it succeeds only when a
// slot is free at once, which tells a free slot from none without timing.
func ended() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// free tells whether a slot of s is free now, leaving s as it was.
func free(s *Slots) bool {
	if s.take(ended()) != nil {
		return false
	}
	s.put()
	return true
}

// The slots bound the jobs that compute at once: n holds, and no more,
// until one is released.
func TestCPUSlotsBound(t *testing.T) {
	for _, n := range []int{1, 2, 3} {
		s := New(n)
		var holds []*Hold
		for i := range n {
			_, h, err := s.Hold(ended())
			if err != nil {
				t.Fatalf("%d slots: hold %d of %d: %v", n, i+1, n, err)
			}
			holds = append(holds, h)
		}
		if _, _, err := s.Hold(ended()); !errors.Is(err, context.Canceled) {
			t.Fatalf("%d slots: a hold past the capacity: %v, want to wait (here: the context's end)", n, err)
		}
		holds[0].Release()
		if _, h, err := s.Hold(ended()); err != nil {
			t.Fatalf("%d slots: no hold after a release: %v", n, err)
		} else {
			h.Release()
		}
		for _, h := range holds {
			h.Release()
		}
		if s.InUse() != 0 {
			t.Fatalf("%d slots: %d in use after every release", n, s.InUse())
		}
	}
	if got := New(0); got.Cap() != 1 {
		t.Errorf("New(0) has %d slots, want 1", got.Cap())
	}
}

// Goroutines computing under holds are never more than the slots.
func TestCPUSlotsConcurrency(t *testing.T) {
	s := New(2)
	var now, most atomic.Int32
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, h, err := s.Hold(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			defer h.Release()
			n := now.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			for range 1000 { // compute a little, so that holders overlap
				_ = strings.Repeat("x", 16)
			}
			now.Add(-1)
		}()
	}
	wg.Wait()
	if most.Load() > 2 {
		t.Errorf("%d goroutines computed at once under 2 slots", most.Load())
	}
	if s.InUse() != 0 {
		t.Errorf("%d slots in use after every job", s.InUse())
	}
}

// A job's slot is released on every way out of the job: it returns, it
// fails, it panics (the runner recovers the panic as the job's error),
// and its context ends while it waits for the slot again after a wait.
func TestCPUSlotReleasedOnEveryPath(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name string
		job  func(ctx context.Context) error
		want error
	}{
		{"returns", func(ctx context.Context) error { return nil }, nil},
		{"fails", func(ctx context.Context) error { return boom }, boom},
		{"panics", func(ctx context.Context) error { panic("judging went wrong") }, errPanicked},
		{"fails after a wait", func(ctx context.Context) error {
			return Off(ctx, func() error { return boom })
		}, boom},
		{"panics in a wait", func(ctx context.Context) error {
			return Off(ctx, func() error { panic("in the wait") })
		}, errPanicked},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(1)
			err := recovered(func() error {
				ctx, h, err := s.Hold(context.Background())
				if err != nil {
					return err
				}
				defer h.Release()
				return tc.job(ctx)
			})
			if !errors.Is(err, tc.want) {
				t.Errorf("the job's error %v, want %v", err, tc.want)
			}
			if s.InUse() != 0 {
				t.Errorf("%d slots in use after the job", s.InUse())
			}
		})
	}
}

var errPanicked = errors.New("panicked")

// recovered runs f as store.Runner does, a panic becoming an error.
func recovered(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errPanicked
		}
	}()
	return f()
}

// A wait gives the slot up, for another job to compute, and takes one
// again after; nested waits give it back only after the outermost; a
// context that ends while the job waits for a slot again ends the job
// without a slot, and its release gives none back twice.
func TestCPUSlotWaits(t *testing.T) {
	s := New(1)
	ctx, h, err := s.Hold(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var during []bool
	err = Off(ctx, func() error {
		during = append(during, free(s))
		return Off(ctx, func() error {
			during = append(during, free(s))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	during = append(during, free(s))
	if want := []bool{true, true, false}; !slices.Equal(during, want) {
		t.Errorf("a slot free in the wait, the nested wait, after both: %v, want %v", during, want)
	}

	// Another job takes the slot while this one waits: this one's context
	// ends before it gets it back.
	jctx, cancel := context.WithCancel(ctx)
	var other *Hold
	err = Off(jctx, func() error {
		_, other, err = s.Hold(context.Background())
		cancel()
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("the wait's end without a slot: %v, want the context's end", err)
	}
	h.Release()
	if s.InUse() != 1 {
		t.Fatalf("%d slots in use with the other job holding its own, want 1", s.InUse())
	}
	other.Release()
	other.Release() // idempotent
	if s.InUse() != 0 {
		t.Fatalf("%d slots in use after both released", s.InUse())
	}
	// A context without a hold: the wait is just run.
	if err := Off(context.Background(), func() error { return nil }); err != nil {
		t.Fatal(err)
	}
}

// roundTrip answers with a body, noting whether a slot was free while it
// was asked and while its body was read.
type roundTrip struct {
	s                *Slots
	asked, readFrees []bool
}

func (rt *roundTrip) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.asked = append(rt.asked, free(rt.s))
	return &http.Response{StatusCode: 200, Body: io.NopCloser(&noter{rt: rt, r: strings.NewReader("answer")}), Request: req}, nil
}

type noter struct {
	rt *roundTrip
	r  io.Reader
}

func (n *noter) Read(p []byte) (int, error) {
	n.rt.readFrees = append(n.rt.readFrees, free(n.rt.s))
	return n.r.Read(p)
}

// A request to GitHub is a wait up to its answer's headers; a download's
// body is read without the slot too, an API answer's (parsed as it is
// read) with it.
func TestOffCPUTransport(t *testing.T) {
	for _, body := range []bool{false, true} {
		s := New(1)
		ctx, h, err := s.Hold(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		rt := &roundTrip{s: s}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1/x", nil)
		resp, err := Transport{Base: rt, Body: body}.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		if free(s) {
			t.Errorf("body %v: the slot not taken again after the answer's headers", body)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "answer" {
			t.Errorf("body %v: read %q", body, b)
		}
		if !slices.Equal(rt.asked, []bool{true}) {
			t.Errorf("body %v: a slot free while asked: %v, want [true]", body, rt.asked)
		}
		for _, f := range rt.readFrees {
			if f != body {
				t.Errorf("body %v: a slot free while the body was read: %v", body, rt.readFrees)
				break
			}
		}
		h.Release()
		if s.InUse() != 0 {
			t.Errorf("body %v: %d slots in use after the release", body, s.InUse())
		}
	}
}
