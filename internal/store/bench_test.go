package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/store/pgtest"
)

// The benchmarks compare the backends side by side in one run:
//
//	go test -run '^$' -bench . -benchtime 2000x ./internal/store/
//
// PostgreSQL runs with fsync on (a durable cluster of its own), so that a
// commit costs what it costs SQLite with synchronous=FULL.

var (
	pgDurableOnce sync.Once
	pgDurable     *pgtest.Cluster
	pgDurableErr  error
	benchSchemas  atomic.Int64
)

// benchBackends are the stores the benchmarks open: a SQLite file with
// either synchronous setting, and a schema on the durable cluster.
func benchBackends() []struct {
	name string
	dsn  func(b *testing.B) string
	opts Options
} {
	sqlite := func(b *testing.B) string { return filepath.Join(b.TempDir(), "bench.db") }
	return []struct {
		name string
		dsn  func(b *testing.B) string
		opts Options
	}{
		{"sqlite-full", sqlite, Options{Synchronous: "FULL"}},
		{"sqlite-normal", sqlite, Options{Synchronous: "NORMAL"}},
		{"postgres", durablePostgres, Options{}},
	}
}

func durablePostgres(b *testing.B) string {
	pgDurableOnce.Do(func() { pgDurable, pgDurableErr = pgtest.Start(context.Background(), pgtest.Options{Durable: true}) })
	if pgDurableErr != nil {
		if !pgtest.Required() {
			b.Skip(pgDurableErr)
		}
		b.Fatal(pgDurableErr)
	}
	url, err := pgDurable.CreateSchema(context.Background(), fmt.Sprintf("bench_%d", benchSchemas.Add(1)))
	if err != nil {
		b.Fatal(err)
	}
	return url
}

// payload is a pull_request payload's size (GitHub's are 20–30 KB).
var payload = []byte(`{"action":"synchronize","pull_request":{"body":"` + strings.Repeat("x", 25_000) + `"}}`)

// percentiles reports p50 and p99 of ds as metrics.
func percentiles(b *testing.B, ds []time.Duration) {
	slices.Sort(ds)
	at := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(float64(ds[len(ds)-1].Microseconds())/1000, "max-ms")
}

var benchDeliveries atomic.Int64

func benchDelivery() Delivery {
	n := benchDeliveries.Add(1)
	return Delivery{ID: fmt.Sprintf("bench-%d", n), Event: "pull_request", Action: "synchronize", InstallationID: 1,
		Repository: "acme/device", Payload: payload}
}

func benchJob(n int64) JobSpec {
	return JobSpec{Kind: "pr", Key: Key{Repository: "acme/device", Number: int(n), SHA: "0123456789abcdef0123456789abcdef01234567"}, Args: []byte(`{"pr":1}`)}
}

// BenchmarkAccept is the durable insert the webhook handler waits for,
// back to back: latency percentiles and, as ns/op, its throughput for one
// client.
func BenchmarkAccept(b *testing.B) {
	for _, be := range benchBackends() {
		b.Run(be.name, func(b *testing.B) {
			s := open(b, be.dsn(b), be.opts)
			ctx := context.Background()
			ds := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				d := benchDelivery()
				start := time.Now()
				if _, err := s.Accept(ctx, d, benchJob(benchDeliveries.Load())); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
			}
			b.StopTimer()
			percentiles(b, ds)
		})
	}
}

// BenchmarkFsyncFloor is the floor under a durable insert on this disk:
// append a payload to a file and fdatasync it, back to back. A SQLite
// commit with synchronous=FULL costs at least one of these.
func BenchmarkFsyncFloor(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "floor"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if _, err := f.Write(payload); err != nil {
			b.Fatal(err)
		}
		if err := syscall.Fdatasync(int(f.Fd())); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	b.StopTimer()
	percentiles(b, ds)
}

// BenchmarkAcceptAt200PerSecond offers b.N deliveries at a steady 200 per
// second, each in its own goroutine at its scheduled time (open loop, so
// that a slow commit delays the ones behind it and shows in their latency):
// the App's acknowledgement target is p99 under 10 ms on SQLite.
func BenchmarkAcceptAt200PerSecond(b *testing.B) {
	for _, be := range benchBackends() {
		b.Run(be.name, func(b *testing.B) {
			s := open(b, be.dsn(b), be.opts)
			b.ResetTimer()
			ds := acceptAt200(b, s, func() {})
			b.StopTimer()
			percentiles(b, ds)
		})
	}
}

// acceptAt200 offers b.N deliveries to s at 200 a second, open loop,
// calling accepted after each, and returns each Accept's latency.
func acceptAt200(b *testing.B, s Store, accepted func()) []time.Duration {
	const interval = time.Second / 200
	ds := make([]time.Duration, b.N)
	var wg sync.WaitGroup
	var failed atomic.Value
	start := time.Now()
	for i := range b.N {
		time.Sleep(time.Until(start.Add(time.Duration(i) * interval)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := benchDelivery()
			t0 := time.Now()
			if _, err := s.Accept(context.Background(), d, benchJob(int64(i))); err != nil {
				failed.Store(err)
			}
			ds[i] = time.Since(t0)
			accepted()
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	return ds
}

// BenchmarkClaimComplete works b.N waiting jobs off with Runners of four
// workers and a handler that does nothing: one Runner on SQLite, two
// (two store handles, as two replicas) on PostgreSQL. jobs/s is the queue's
// own overhead per evaluation.
func BenchmarkClaimComplete(b *testing.B) {
	for _, be := range []struct {
		name     string
		dsn      func(b *testing.B) string
		replicas int
	}{
		{"sqlite", func(b *testing.B) string { return filepath.Join(b.TempDir(), "bench.db") }, 1},
		{"postgres-2-replicas", durablePostgres, 2},
	} {
		b.Run(be.name, func(b *testing.B) {
			ctx := context.Background()
			dsn := be.dsn(b)
			var stores []Store
			for range be.replicas {
				stores = append(stores, open(b, dsn, Options{}))
			}
			for i := 0; i < b.N; i += 500 {
				specs := make([]JobSpec, 0, 500)
				for j := i; j < min(i+500, b.N); j++ {
					specs = append(specs, benchJob(int64(j)))
				}
				if _, err := stores[0].Enqueue(ctx, specs...); err != nil {
					b.Fatal(err)
				}
			}
			var done atomic.Int64
			all := make(chan struct{})
			runCtx, stop := context.WithCancel(ctx)
			defer stop()
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for i, s := range stores {
				r := &Runner{Queue: s, Workers: 4, Poll: time.Millisecond, Owner: fmt.Sprintf("bench-%d", i),
					Handle: func(context.Context, Job) error {
						if done.Add(1) == int64(b.N) {
							close(all)
						}
						return nil
					}}
				wg.Add(1)
				go func() { defer wg.Done(); _ = r.Run(runCtx) }()
			}
			<-all
			elapsed := time.Since(start)
			stop()
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "jobs/s")
		})
	}
}

// BenchmarkAcceptUnderWork is BenchmarkAcceptAt200PerSecond while a Runner
// of four workers works the jobs the deliveries make, each recording a
// decision in the audit log (as an evaluation does): the webhook's durable
// insert competes with the workers' claims, records and completions for
// the database's one writer, as in `tracegate serve`. The workers' jobs
// either wait 3 ms ("io") or compute for 8 ms ("cpu": four of them keep
// two cores busy, as evaluations do); -cpu 2,6 shows what processors to
// spare (GOMAXPROCS above the workers) do to the insert's latency.
func BenchmarkAcceptUnderWork(b *testing.B) {
	for _, be := range benchBackends() {
		for _, work := range []string{"io", "cpu"} {
			b.Run(be.name+"/"+work, func(b *testing.B) {
				s := open(b, be.dsn(b), be.opts)
				ctx, stop := context.WithCancel(context.Background())
				var worked atomic.Int64
				r := &Runner{Queue: s, Workers: 4, Poll: 10 * time.Millisecond, Owner: "bench",
					Handle: func(ctx context.Context, j Job) error {
						if work == "io" {
							time.Sleep(3 * time.Millisecond)
						} else {
							spin(8 * time.Millisecond)
						}
						_, err := s.Record(ctx, Decision{Repository: j.Key.Repository, Ref: "pull/1", SHA: j.Key.SHA, Gate: "pr",
							Verdict: "pass", PolicyDigest: "sha256:0", InputsDigest: "sha256:0", DeliveryID: j.DeliveryID, JobID: j.ID})
						worked.Add(1)
						return err
					}}
				ran := make(chan error, 1)
				go func() { ran <- r.Run(ctx) }()
				b.ResetTimer()
				start := time.Now()
				ds := acceptAt200(b, s, r.Wake)
				b.StopTimer()
				stop()
				if err := <-ran; err != nil {
					b.Fatal(err)
				}
				percentiles(b, ds)
				b.ReportMetric(float64(worked.Load())/time.Since(start).Seconds(), "jobs/s")
			})
		}
	}
}

// spin keeps a processor busy for d.
func spin(d time.Duration) {
	sum := 0
	for start := time.Now(); time.Since(start) < d; {
		for i := range 1000 {
			sum += i
		}
	}
	_ = sum
}
