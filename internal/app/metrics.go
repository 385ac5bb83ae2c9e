package app

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tracegate/tracegate/internal/cpuslot"
	"github.com/tracegate/tracegate/internal/metrics"
	"github.com/tracegate/tracegate/internal/store"
)

// appMetrics are what /metrics serves. Each App has its own registry, so that
// tests can run several in one process.
type appMetrics struct {
	reg        *metrics.Registry
	deliveries *metrics.CounterVec   // event, outcome
	evaluation *metrics.HistogramVec // gate, verdict
	evalCalls  *metrics.HistogramVec // gate
	apiCalls   *metrics.CounterVec   // route, status
	rateLimit  *metrics.GaugeVec     // installation
	jobs       *metrics.CounterVec   // kind, outcome
	redelivery *metrics.CounterVec   // outcome
}

// Delivery outcomes.
const (
	outcomeAccepted  = "accepted"
	outcomeDuplicate = "duplicate"
	outcomeIgnored   = "ignored" // stored, no job: an event or action tracegate does not act on
	outcomeBadSig    = "bad_signature"
	outcomeTooLarge  = "too_large"
	outcomeInvalid   = "invalid"
	outcomeError     = "error"
)

func newMetrics(q store.Queue) *appMetrics {
	reg := metrics.NewRegistry()
	m := &appMetrics{reg: reg}
	m.deliveries = reg.Counter("tracegate_webhook_deliveries_total",
		"Webhook deliveries received, by event and outcome (accepted, duplicate, ignored, bad_signature, too_large, invalid, error).", "event", "outcome")
	m.evaluation = reg.Histogram("tracegate_evaluation_seconds",
		"Time to evaluate a gate and publish its check run, by gate and verdict.", metrics.ExponentialBuckets(0.01, 2, 14), "gate", "verdict")
	m.evalCalls = reg.Histogram("tracegate_evaluation_github_api_calls",
		"GitHub API requests one evaluation made (token, reads, check run), by gate.", []float64{1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64}, "gate")
	m.apiCalls = reg.Counter("tracegate_github_api_calls_total",
		"GitHub API requests, by route (the path with numbers, SHAs and names replaced) and status.", "route", "status")
	m.rateLimit = reg.Gauge("tracegate_github_rate_limit_remaining",
		"X-RateLimit-Remaining of the last GitHub answer, by installation (0: the App's own JWT requests).", "installation")
	m.jobs = reg.Counter("tracegate_jobs_total", "Jobs worked, by kind and outcome (done, failed, deferred, dead_letter).", "kind", "outcome")
	m.redelivery = reg.Counter("tracegate_redeliveries_total", "Failed hook deliveries found by the recovery, by outcome (requested, failed).", "outcome")
	reg.Runtime()
	if q != nil {
		queueMetrics(reg, q)
	}
	return m
}

// cpuSlots adds the CPU slots' capacity and use to the metrics.
func (m *appMetrics) cpuSlots(s *cpuslot.Slots) {
	m.reg.GaugeFunc("tracegate_cpu_slots", "Evaluations that may compute at once (TRACEGATE_CPU_SLOTS).", func() float64 { return float64(s.Cap()) })
	m.reg.GaugeFunc("tracegate_cpu_slots_in_use", "Evaluations computing now; the others in flight wait for GitHub, the database or a slot.", func() float64 { return float64(s.InUse()) })
}

func (m *appMetrics) handler() http.Handler { return m.reg.Handler() }

// queueMetrics reads the queue's depth and age at each scrape, both from
// one read of its statistics; a queue that does not answer fails the
// scrape.
func queueMetrics(reg *metrics.Registry, q store.Queue) {
	var (
		mu   sync.Mutex
		last store.QueueStats
	)
	read := func() (store.QueueStats, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		st, err := q.Stats(ctx)
		if err == nil {
			mu.Lock()
			last = st
			mu.Unlock()
		}
		return st, err
	}
	// The families are written in name order: depth (tracegate_queue_jobs)
	// reads the statistics, age (tracegate_queue_oldest_ready_seconds)
	// takes the same reading.
	reg.Collect("tracegate_queue_jobs", "Jobs in the queue, by state (waiting, ready, running, dead).", "gauge", []string{"state"}, func() ([]metrics.Sample, error) {
		st, err := read()
		if err != nil {
			return nil, err
		}
		var out []metrics.Sample
		for state, n := range map[string]int64{"waiting": st.Waiting, "ready": st.Ready, "running": st.Running, "dead": st.Dead} {
			out = append(out, metrics.Sample{Values: []string{state}, Value: float64(n)})
		}
		return out, nil
	})
	reg.Collect("tracegate_queue_oldest_ready_seconds", "How long the oldest ready job has waited.", "gauge", nil, func() ([]metrics.Sample, error) {
		mu.Lock()
		defer mu.Unlock()
		return []metrics.Sample{{Value: last.OldestReady.Seconds()}}, nil
	})
}

// apiRoute names a GitHub API path by its endpoint, so that the metric's
// labels stay few: owners, names, numbers, SHAs and refs become
// placeholders (/repos/{owner}/{repo}/commits/{ref}/check-runs).
func apiRoute(path string) string {
	if i := strings.Index(path, "/api/v3/"); i >= 0 {
		path = path[i+len("/api/v3"):]
	}
	if i := strings.Index(path, "/api/uploads/"); i >= 0 {
		path = path[i+len("/api/uploads"):]
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) >= 3 && parts[0] == "repos" {
		parts[1], parts[2] = "{owner}", "{repo}"
	}
	// What follows these names is a value, not a route segment.
	valued := map[string]string{"commits": "{ref}", "compare": "{basehead}", "tarball": "{ref}", "zipball": "{ref}",
		"ref": "{ref}", "matching-refs": "{ref}", "tags": "{tag}", "trees": "{sha}", "blobs": "{sha}", "contents": "{path}"}
	for i := 1; i < len(parts); i++ {
		if _, err := strconv.ParseInt(parts[i], 10, 64); err == nil {
			parts[i] = "{id}"
			continue
		}
		if v, ok := valued[parts[i-1]]; ok && !strings.HasPrefix(parts[i], "{") {
			parts[i] = v
			// A ref or path runs to the end, but for the check-runs of a commit.
			if v == "{ref}" || v == "{path}" || v == "{basehead}" {
				rest := parts[i+1:]
				if len(rest) > 0 && rest[len(rest)-1] == "check-runs" {
					parts = append(parts[:i+1], "check-runs")
				} else {
					parts = parts[:i+1]
				}
				break
			}
		}
	}
	if len(parts) > 8 {
		parts = parts[:8]
	}
	return "/" + strings.Join(parts, "/")
}
