package app

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tracegate/tracegate/internal/cpuslot"
	"github.com/tracegate/tracegate/internal/store"
)

// metrics are what /metrics serves. Each App has its own registry, so that
// tests can run several in one process.
type metrics struct {
	reg        *prometheus.Registry
	deliveries *prometheus.CounterVec   // event, outcome
	evaluation *prometheus.HistogramVec // gate, verdict
	evalCalls  *prometheus.HistogramVec // gate
	apiCalls   *prometheus.CounterVec   // route, status
	rateLimit  *prometheus.GaugeVec     // installation
	jobs       *prometheus.CounterVec   // kind, outcome
	redelivery *prometheus.CounterVec   // outcome
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

func newMetrics(q store.Queue) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tracegate_webhook_deliveries_total",
		Help: "Webhook deliveries received, by event and outcome (accepted, duplicate, ignored, bad_signature, too_large, invalid, error)."},
		[]string{"event", "outcome"})
	m.evaluation = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "tracegate_evaluation_seconds",
		Help: "Time to evaluate a gate and publish its check run, by gate and verdict.", Buckets: prometheus.ExponentialBuckets(0.01, 2, 14)},
		[]string{"gate", "verdict"})
	m.evalCalls = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "tracegate_evaluation_github_api_calls",
		Help: "GitHub API requests one evaluation made (token, reads, check run), by gate.", Buckets: []float64{1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64}},
		[]string{"gate"})
	m.apiCalls = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tracegate_github_api_calls_total",
		Help: "GitHub API requests, by route (the path with numbers, SHAs and names replaced) and status."},
		[]string{"route", "status"})
	m.rateLimit = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "tracegate_github_rate_limit_remaining",
		Help: "X-RateLimit-Remaining of the last GitHub answer, by installation (0: the App's own JWT requests)."},
		[]string{"installation"})
	m.jobs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tracegate_jobs_total",
		Help: "Jobs worked, by kind and outcome (done, failed, deferred, dead_letter)."}, []string{"kind", "outcome"})
	m.redelivery = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tracegate_redeliveries_total",
		Help: "Failed hook deliveries found by the recovery, by outcome (requested, failed)."}, []string{"outcome"})
	m.reg.MustRegister(m.deliveries, m.evaluation, m.evalCalls, m.apiCalls, m.rateLimit, m.jobs, m.redelivery,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if q != nil {
		m.reg.MustRegister(&queueCollector{q: q,
			depth: prometheus.NewDesc("tracegate_queue_jobs", "Jobs in the queue, by state (waiting, ready, running, dead).", []string{"state"}, nil),
			age:   prometheus.NewDesc("tracegate_queue_oldest_ready_seconds", "How long the oldest ready job has waited.", nil, nil),
		})
	}
	return m
}

// cpuSlots adds the CPU slots' capacity and use to the metrics.
func (m *metrics) cpuSlots(s *cpuslot.Slots) {
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tracegate_cpu_slots",
			Help: "Evaluations that may compute at once (TRACEGATE_CPU_SLOTS)."}, func() float64 { return float64(s.Cap()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tracegate_cpu_slots_in_use",
			Help: "Evaluations computing now; the others in flight wait for GitHub, the database or a slot."}, func() float64 { return float64(s.InUse()) }))
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// queueCollector reads the queue's depth and age at each scrape.
type queueCollector struct {
	q          store.Queue
	depth, age *prometheus.Desc
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.depth; ch <- c.age }

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.q.Stats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.depth, err)
		return
	}
	for state, n := range map[string]int64{"waiting": st.Waiting, "ready": st.Ready, "running": st.Running, "dead": st.Dead} {
		ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(n), state)
	}
	ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, st.OldestReady.Seconds())
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
