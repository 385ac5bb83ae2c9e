package metrics

import (
	"bufio"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// hostile is a label value and help text the format must escape.
const hostile = "a \"quoted\" \\ back\nslash"

// TestSameTextAsClientGolang records the same observations in a registry
// of this package and in one of client_golang, and compares the text both
// write, byte for byte: families by name, series by label values, labels
// by name, values and bucket bounds formatted alike, escapes alike.
func TestSameTextAsClientGolang(t *testing.T) {
	ours := NewRegistry()
	theirs := prometheus.NewRegistry()

	oc := ours.Counter("t_deliveries_total", "Deliveries "+hostile+".", "outcome", "event")
	tc := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "t_deliveries_total", Help: "Deliveries " + hostile + "."}, []string{"outcome", "event"})
	og := ours.Gauge("t_rate_limit_remaining", "Remaining.", "installation")
	tg := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "t_rate_limit_remaining", Help: "Remaining."}, []string{"installation"})
	buckets := ExponentialBuckets(0.01, 2, 14)
	oh := ours.Histogram("t_evaluation_seconds", "Time.", buckets, "verdict", "gate")
	th := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "t_evaluation_seconds", Help: "Time.", Buckets: prometheus.ExponentialBuckets(0.01, 2, 14)}, []string{"verdict", "gate"})
	oe := ours.Counter("t_empty_total", "Never incremented.", "x")
	te := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "t_empty_total", Help: "Never incremented."}, []string{"x"})
	ours.GaugeFunc("t_slots", "Slots.", func() float64 { return 3 })
	theirs.MustRegister(tc, tg, th, te, prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "t_slots", Help: "Slots."}, func() float64 { return 3 }))
	ours.Collect("t_queue_jobs", "Jobs.", "gauge", []string{"state"}, func() ([]Sample, error) {
		return []Sample{{Values: []string{"waiting"}, Value: 2}, {Values: []string{"dead"}, Value: 0}, {Values: []string{"ready"}, Value: 1e21}}, nil
	})
	tq := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "t_queue_jobs", Help: "Jobs."}, []string{"state"})
	tq.WithLabelValues("waiting").Set(2)
	tq.WithLabelValues("dead").Set(0)
	tq.WithLabelValues("ready").Set(1e21)
	theirs.MustRegister(tq)
	if len(oe.v.series) != 0 || te == nil {
		t.Fatal("setup")
	}

	for _, e := range []struct{ outcome, event string }{{"accepted", "push"}, {"duplicate", "pull_request"}, {"accepted", "pull_request"}, {"accepted", "push"}, {hostile, "x"}} {
		oc.WithLabelValues(e.outcome, e.event).Inc()
		tc.WithLabelValues(e.outcome, e.event).Inc()
	}
	oc.WithLabelValues("accepted", "push").Add(0.5)
	tc.WithLabelValues("accepted", "push").Add(0.5)
	for _, g := range []struct {
		inst string
		v    float64
	}{{"77", 4999}, {"0", 12}, {"78", math.Inf(1)}, {"79", -0.25}, {"80", 1234567.0}} {
		og.WithLabelValues(g.inst).Set(g.v)
		tg.WithLabelValues(g.inst).Set(g.v)
	}
	for _, o := range []struct {
		verdict, gate string
		x             float64
	}{{"pass", "pr", 0.01}, {"pass", "pr", 0.011}, {"fail", "pr", 3}, {"pass", "release", 500}, {"error", "pr", 0}, {"pass", "pr", 81.92}, {"pass", "pr", 81.93}} {
		oh.WithLabelValues(o.verdict, o.gate).Observe(o.x)
		th.WithLabelValues(o.verdict, o.gate).Observe(o.x)
	}

	var want strings.Builder
	mfs, err := theirs.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if _, err := expfmt.MetricFamilyToText(&want, mf); err != nil {
			t.Fatal(err)
		}
	}
	var got strings.Builder
	if err := ours.WriteText(&got); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("ours:\n%s\nclient_golang:\n%s", got.String(), want.String())
	}
	if !strings.Contains(got.String(), `outcome="a \"quoted\" \\ back\nslash"`) {
		t.Errorf("label value not escaped:\n%s", got.String())
	}
}

// The runtime's and the process's metrics carry client_golang's names,
// types and help texts, parse as the text format, and hold plausible
// values.
func TestRuntimeAsClientGolang(t *testing.T) {
	ours := NewRegistry()
	ours.Runtime()
	var text strings.Builder
	if err := ours.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	got, err := p.TextToMetricFamilies(strings.NewReader(text.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, text.String())
	}
	theirs := prometheus.NewRegistry()
	theirs.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mfs, err := theirs.Gather()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{}
	for _, mf := range mfs {
		want[mf.GetName()] = [2]string{mf.GetType().String(), mf.GetHelp()}
	}
	for _, name := range []string{"go_goroutines", "go_threads", "go_info", "go_memstats_alloc_bytes", "go_memstats_sys_bytes", "go_sched_gomaxprocs_threads",
		"process_cpu_seconds_total", "process_open_fds", "process_max_fds", "process_resident_memory_bytes", "process_start_time_seconds"} {
		mf, ok := got[name]
		if !ok {
			t.Errorf("no %s", name)
			continue
		}
		if w := want[name]; mf.GetType().String() != w[0] || mf.GetHelp() != w[1] {
			t.Errorf("%s: %s %q, client_golang %s %q", name, mf.GetType(), mf.GetHelp(), w[0], w[1])
		}
	}
	for name, mf := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s is no metric of client_golang's collectors", name)
		}
		for _, m := range mf.GetMetric() {
			v := m.GetGauge().GetValue() + m.GetCounter().GetValue()
			if v <= 0 && name != "process_cpu_seconds_total" {
				t.Errorf("%s = %v", name, v)
			}
		}
	}
	if st := got["process_start_time_seconds"].GetMetric()[0].GetGauge().GetValue(); st < 1.7e9 {
		t.Errorf("start time %v", st)
	}
}

// A family that cannot be read fails the scrape with 500, naming the error;
// the page is served whole or not at all.
func TestHandler(t *testing.T) {
	r := NewRegistry()
	r.Counter("a_total", "A.").WithLabelValues().Inc()
	fail := false
	r.Collect("b", "B.", "gauge", nil, func() ([]Sample, error) {
		if fail {
			return nil, errors.New("database not answering")
		}
		return []Sample{{Value: 1}}, nil
	})
	srv := httptest.NewServer(r.Handler())
	defer srv.Close()
	get := func() (int, string, string) {
		resp, err := http.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
		}
		return resp.StatusCode, resp.Header.Get("Content-Type"), b.String()
	}
	if code, ct, body := get(); code != 200 || ct != ContentType || body != "# HELP a_total A.\n# TYPE a_total counter\na_total 1\n# HELP b B.\n# TYPE b gauge\nb 1\n" {
		t.Errorf("%d %q\n%s", code, ct, body)
	}
	fail = true
	if code, _, body := get(); code != 500 || !strings.Contains(body, "database not answering") || strings.Contains(body, "a_total") {
		t.Errorf("%d\n%s", code, body)
	}
}
