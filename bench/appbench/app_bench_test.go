// Package appbench measures the GitHub App, `tracegate serve` (the real
// binary), on loopback against the fake GitHub: 10,000 signed deliveries
// at a steady 200 a second — acknowledgement latency (p50, p99, max),
// evaluations per second, the queue's depth over time, deliveries lost —
// and the GitHub API calls of a cold and a warm pull request evaluation;
// on SQLite with one replica and on PostgreSQL with two. Run by
// bench/app.sh; not part of the test suite.
package appbench

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
	"github.com/tracegate/tracegate/internal/store"
	"github.com/tracegate/tracegate/internal/store/pgtest"
)

const (
	appID    = 4242
	instID   = 77
	repoName = "acme/mini"
	secret   = "whsec-bench"
	examples = "../../.tools/webhooks-examples/api.github.com/index.json"
)

func env(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkApp runs the load once per backend (use -benchtime 1x).
// APPBENCH_DELIVERIES (10000) and APPBENCH_RATE (200 a second) change the
// load. APPBENCH_BEFORE names another build of tracegate (an older
// commit's) to measure side by side: each round runs both, in turns (the
// first round this build first, the next the other first), so that both
// meet the same load from the rest of the machine; APPBENCH_ROUNDS (1)
// repeats the rounds, and a table of every run ends each backend's log.
func BenchmarkApp(b *testing.B) {
	builds := []build{{"this", buildThis(b)}}
	if p := os.Getenv("APPBENCH_BEFORE"); p != "" {
		builds = append(builds, build{"before", p})
	}
	keyFile := writeKey(b)
	rounds := env("APPBENCH_ROUNDS", 1)
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			var results []result
			for round := range rounds {
				for i := range builds {
					bd := builds[(i+round)%len(builds)]
					// Named by round: a '#' of a repeated name would reach
					// the SQLite path, which refuses it.
					b.Run(fmt.Sprintf("%s-round%d", bd.name, round+1), func(b *testing.B) {
						for range b.N {
							res := runLoad(b, bd.bin, keyFile, backend, env("APPBENCH_DELIVERIES", 10000), env("APPBENCH_RATE", 200))
							res.build, res.round = bd.name, round+1
							results = append(results, res)
						}
					})
				}
			}
			b.Logf("%s, every run:\n%s", backend, table(results))
		})
	}
}

// build is a tracegate binary under test: this checkout's, or the one
// APPBENCH_BEFORE names.
type build struct{ name, bin string }

// result is one run's figures.
type result struct {
	build                string
	round                int
	p50, p99, max        time.Duration
	evals                int
	evalsPerS            float64
	drained              time.Duration
	peakWaiting          float64
	callsPerEval         float64
	lost                 int
	serverCPU            float64 // seconds, every replica
	loadBefore, loadThen string
}

func table(rs []result) string {
	var s strings.Builder
	fmt.Fprintf(&s, "  %-6s %-5s %9s %9s %9s %7s %8s %8s %8s %6s %8s %9s %5s  %s\n", "build", "round", "ack p50", "ack p99", "ack max",
		"evals", "evals/s", "drained", "peak q", "calls", "cpu s", "cpu/eval", "lost", "load average (before; after)")
	for _, r := range rs {
		fmt.Fprintf(&s, "  %-6s %-5d %9s %9s %9s %7d %8.1f %8s %8.0f %6.2f %8.1f %9s %5d  %s; %s\n", r.build, r.round,
			ms(r.p50), ms(r.p99), ms(r.max), r.evals, r.evalsPerS, r.drained.Round(100*time.Millisecond), r.peakWaiting, r.callsPerEval,
			r.serverCPU, ms(time.Duration(r.serverCPU/float64(max(r.evals, 1))*float64(time.Second))), r.lost, r.loadBefore, r.loadThen)
	}
	return s.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// loadAverage is the machine's 1, 5 and 15-minute load averages.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func buildThis(b *testing.B) string {
	bin := filepath.Join(b.TempDir(), "tracegate")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/tracegate/tracegate/cmd/tracegate").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func writeKey(b *testing.B) string {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(b.TempDir(), "app.pem")
	os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}), 0o600)
	b.Cleanup(func() {})
	pubKeys[p] = &k.PublicKey
	return p
}

var pubKeys = map[string]*rsa.PublicKey{}

const policy = `version: 1
safety_class: A
requirements:
  - path: "docs/requirements/*.yml"
tests:
  - path: "reports/*.xml"
    format: junit
release:
  plans: []
  first: v1.0.0
app:
  evidence:
    workflow: CI
    artifacts:
      - name: test-reports
        path: reports
`

type rig struct {
	gh    *fakegithub.Server
	base  string
	heads []string
	pr    map[string]any // the opened example
}

func newRig(b *testing.B, shas int) *rig {
	g := gittest.New(b)
	g.Write(".github/tracegate.yml", policy)
	g.Write("docs/requirements/app.yml", "type: software\nstatus: approved\nrequirements:\n  - id: SRS-001\n    title: Greeting\n    text: The software shall greet.\n")
	g.Write("sbom/bom.json", `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{"component":{"type":"application","name":"mini","version":"1.0.0"}},"components":[]}`+"\n")
	g.Write("docs/soup/soup.yml", "soup: []\n")
	r := &rig{gh: fakegithub.New(b)}
	r.base = g.Commit("Start (SRS-001)")
	g.Branch("feature")
	g.Checkout("feature")
	for i := range shas {
		g.Write("docs/step.md", fmt.Sprintf("step %d\n", i))
		r.heads = append(r.heads, g.Commit(fmt.Sprintf("Step %d", i)))
	}
	r.gh.AddGitRepo(repoName, g.Dir())
	r.gh.AddInstallation(fakegithub.Installation{ID: instID, Account: "acme", Repos: []string{repoName}})
	r.gh.AddIssue(repoName, fakegithub.Issue{Number: 9, Title: "CR-9: greet louder", Labels: []string{"change-request", "approved"}})
	for _, h := range r.heads {
		run := r.gh.AddWorkflowRun(repoName, fakegithub.WorkflowRun{Name: "CI", Path: ".github/workflows/ci.yml", HeadSHA: h})
		r.gh.AddArtifact(run, fakegithub.Artifact{Name: "test-reports", Files: map[string]string{
			"junit.xml": `<testsuites><testsuite name="s" tests="1"><testcase name="TestGreet SRS-001" classname="x"/></testsuite></testsuites>`}})
	}
	data, err := os.ReadFile(examples)
	if err != nil {
		b.Fatalf("%v (scripts/deps.d/webhooks-examples.sh installs it)", err)
	}
	var index []struct {
		Name     string           `json:"name"`
		Examples []map[string]any `json:"examples"`
	}
	if err := json.Unmarshal(data, &index); err != nil {
		b.Fatal(err)
	}
	for _, e := range index {
		if e.Name == "pull_request" {
			for _, ex := range e.Examples {
				if ex["action"] == "opened" && r.pr == nil {
					r.pr = ex
				}
			}
		}
	}
	return r
}

// payload is a pull_request delivery of PR n at head, with title.
func (r *rig) payload(action string, n int, head, title string) []byte {
	ev := r.pr
	ev["action"], ev["number"] = action, n
	rp := ev["repository"].(map[string]any)
	rp["full_name"], rp["name"] = repoName, "mini"
	ev["installation"] = map[string]any{"id": instID}
	pl := ev["pull_request"].(map[string]any)
	pl["number"], pl["title"], pl["body"], pl["state"], pl["draft"], pl["labels"] = n, title, "Implements SRS-001 for CR-9.", "open", false, []any{}
	pl["head"].(map[string]any)["sha"], pl["head"].(map[string]any)["ref"] = head, "feature"
	pl["base"].(map[string]any)["sha"], pl["base"].(map[string]any)["ref"] = r.base, "main"
	b, _ := json.Marshal(ev)
	return b
}

type replica struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{}
}

func start(b *testing.B, bin, keyFile, db, api string) *replica {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	r := &replica{url: "http://127.0.0.1:" + strconv.Itoa(port), done: make(chan struct{})}
	logPath := filepath.Join(b.TempDir(), "serve.log")
	logf, _ := os.Create(logPath)
	r.cmd = exec.Command(bin, "serve", "--log-level", "warn")
	r.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + b.TempDir(), "TRACEGATE_APP_ID=" + strconv.Itoa(appID),
		"TRACEGATE_PRIVATE_KEY_FILE=" + keyFile, "TRACEGATE_WEBHOOK_SECRET=" + secret, "TRACEGATE_GITHUB_URL=" + api + "/",
		"TRACEGATE_DB=" + db, "TRACEGATE_LISTEN=127.0.0.1:" + strconv.Itoa(port), "TRACEGATE_SQLITE_SYNCHRONOUS=" + os.Getenv("APPBENCH_SYNC")}
	if w := os.Getenv("APPBENCH_WORKERS"); w != "" {
		r.cmd.Env = append(r.cmd.Env, "TRACEGATE_WORKERS="+w)
	}
	if n := os.Getenv("APPBENCH_CPU_SLOTS"); n != "" { // a build before the slots ignores it
		r.cmd.Env = append(r.cmd.Env, "TRACEGATE_CPU_SLOTS="+n)
	}
	r.cmd.Env = append(r.cmd.Env, strings.Fields(os.Getenv("APPBENCH_SERVER_ENV"))...) // GOGC=200 GOMAXPROCS=3 …
	r.cmd.Stdout, r.cmd.Stderr = logf, logf
	if err := r.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	go func() { r.cmd.Wait(); logf.Close(); close(r.done) }()
	for deadline := time.Now().Add(time.Minute); ; {
		resp, err := http.Get(r.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(logPath)
			b.Fatalf("not ready after a minute; its log:\n%s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.Cleanup(func() {
		r.cmd.Process.Signal(syscall.SIGTERM)
		<-r.done
	})
	return r
}

func (r *replica) metric(prefix string) float64 {
	resp, err := http.Get(r.url + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	for _, line := range strings.Split(buf.String(), "\n") {
		if v, ok := strings.CutPrefix(line, prefix+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}

var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 30 * time.Second}

func post(url, id string, body []byte) (int, time.Duration) {
	req, _ := http.NewRequest(http.MethodPost, url+"/webhook", bytes.NewReader(body))
	req.Header.Set("X-GitHub-Event", "pull_request")
	req.Header.Set("X-GitHub-Delivery", id)
	req.Header.Set("X-Hub-Signature-256", fakegithub.Sign([]byte(secret), body))
	start := time.Now()
	resp, err := client.Do(req)
	d := time.Since(start)
	if err != nil {
		return 0, d
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, d
}

func decisions(b *testing.B, db string) int {
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	n := 0
	st.Audit(context.Background(), store.AuditQuery{Limit: 100000}, func(store.Decision) error { n++; return nil })
	return n
}

func apiCalls(gh *fakegithub.Server) []string {
	var out []string
	for _, r := range gh.Requests() {
		if r.Host == "api" {
			out = append(out, fmt.Sprintf("%s %s %d", r.Method, r.Path, r.Status))
		}
	}
	return out
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	i := int(float64(len(ds)-1) * p)
	return ds[i]
}

func runLoad(b *testing.B, bin, keyFile, backend string, deliveries, rate int) result {
	const prs = 2000
	loadBefore := loadAverage()
	r := newRig(b, 100)
	r.gh.SetApp(appID, pubKeys[keyFile])
	var db string
	var reps []*replica
	switch backend {
	case "sqlite":
		db = filepath.Join(b.TempDir(), "tracegate.db")
		reps = []*replica{start(b, bin, keyFile, db, r.gh.APIURL())}
	default:
		c := pgtest.New(b, pgtest.Options{Durable: true})
		var err error
		if db, err = c.CreateDatabase(context.Background(), "bench"); err != nil {
			b.Fatal(err)
		}
		reps = []*replica{start(b, bin, keyFile, db, r.gh.APIURL()), start(b, bin, keyFile, db, r.gh.APIURL())}
	}

	// API calls of one cold and one warm evaluation, alone: after each
	// replica's recovery made its first look at the hook deliveries.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		looks := 0
		for _, q := range r.gh.Requests() {
			if strings.HasSuffix(q.Path, "/app/hook/deliveries") {
				looks++
			}
		}
		if looks >= len(reps) {
			break
		}
		if time.Now().After(deadline) {
			b.Fatal("the recovery made no first look")
		}
	}
	r.gh.ResetLog()
	if code, _ := post(reps[0].url, "probe-cold", r.payload("opened", 100000, r.heads[0], "Greet (SRS-001)")); code != 202 {
		b.Fatalf("probe: %d", code)
	}
	waitDecisions(b, db, 1)
	cold := apiCalls(r.gh)
	r.gh.ResetLog()
	post(reps[0].url, "probe-warm", r.payload("edited", 100000, r.heads[0], "Greet louder (SRS-001)"))
	waitDecisions(b, db, 2)
	warm := apiCalls(r.gh)
	b.Logf("%s: cold PR evaluation: %d API calls\n  %s", backend, len(cold), strings.Join(cold, "\n  "))
	b.Logf("%s: warm PR evaluation (title edited): %d API calls\n  %s", backend, len(warm), strings.Join(warm, "\n  "))
	b.ReportMetric(float64(len(cold)), "api-calls-cold")
	b.ReportMetric(float64(len(warm)), "api-calls-warm")

	// The load: PR i (of 2,000, on 100 head commits) opened, then edited.
	r.gh.ResetLog()
	var mu sync.Mutex
	lat := make([]time.Duration, 0, deliveries)
	failed := 0
	var wg sync.WaitGroup
	type sample struct {
		at                               time.Duration
		waiting, ready, running, decided float64
	}
	var samples []sample
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(sampled)
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stopSampling:
				return
			case <-t.C:
			}
			s := sample{at: time.Since(start)}
			for _, rp := range reps {
				s.waiting += rp.metric(`tracegate_queue_jobs{state="waiting"}`)
				s.ready = rp.metric(`tracegate_queue_jobs{state="ready"}`)
				s.running = rp.metric(`tracegate_queue_jobs{state="running"}`)
				s.decided += rp.metric(`tracegate_jobs_total{kind="pr",outcome="done"}`)
			}
			samples = append(samples, s)
		}
	}()
	tick := time.NewTicker(time.Second / time.Duration(rate))
	for i := range deliveries {
		<-tick.C
		n := i%prs + 1
		action := "opened"
		if i >= prs {
			action = "edited"
		}
		if a := os.Getenv("APPBENCH_ACTION"); a != "" {
			action = a // "closed": intake alone, no evaluation
		}
		body := r.payload(action, n, r.heads[n%len(r.heads)], fmt.Sprintf("Greet (SRS-001) v%d", i/prs))
		url := reps[i%len(reps)].url
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			code, d := post(url, id, body)
			mu.Lock()
			defer mu.Unlock()
			if code != http.StatusAccepted {
				failed++
				return
			}
			lat = append(lat, d)
		}(fmt.Sprintf("bench-%s-%d", backend, i))
	}
	tick.Stop()
	wg.Wait()
	sent := time.Since(start)
	// Drained: the queue empty on every replica.
	for deadline := time.Now().Add(10 * time.Minute); ; {
		busy := 0.0
		for _, rp := range reps {
			busy += rp.metric(`tracegate_queue_jobs{state="waiting"}`) + rp.metric(`tracegate_queue_jobs{state="running"}`)
		}
		if busy == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	total := time.Since(start)
	serverCPU := 0.0 // the replicas' CPU time, user and system: what the load cost them whatever else ran
	for _, rp := range reps {
		serverCPU += rp.metric("process_cpu_seconds_total")
	}
	close(stopSampling)
	<-sampled
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	evals := decisions(b, db) - 2
	calls := len(apiCalls(r.gh))
	stored := 0
	{
		st, err := store.Open(context.Background(), db, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		ids := make([]string, deliveries)
		for i := range ids {
			ids[i] = fmt.Sprintf("bench-%s-%d", backend, i)
		}
		known, err := st.Known(context.Background(), ids)
		if err != nil {
			b.Fatal(err)
		}
		stored = len(known)
		st.Close()
	}
	b.Logf("%s (%d replica(s)): %d deliveries at %d/s in %s (sent), drained after %s; acknowledged %d, refused %d, stored %d (lost %d)",
		backend, len(reps), deliveries, rate, sent.Round(time.Millisecond), total.Round(time.Millisecond), len(lat), failed, stored, deliveries-stored)
	b.Logf("%s: ack latency p50 %s, p99 %s, max %s", backend, pct(lat, 0.5), pct(lat, 0.99), pct(lat, 1))
	b.Logf("%s: %d evaluations (deliveries of one PR and head coalesce), %.1f evaluations/s over the run, %.2f API calls per evaluation",
		backend, evals, float64(evals)/total.Seconds(), float64(calls)/float64(max(evals, 1)))
	var series []string
	for _, s := range samples {
		series = append(series, fmt.Sprintf("%3.0fs waiting %4.0f running %2.0f done %5.0f", s.at.Seconds(), s.waiting, s.running, s.decided))
	}
	b.Logf("%s: queue depth over time:\n  %s", backend, strings.Join(series, "\n  "))
	b.ReportMetric(float64(pct(lat, 0.5).Microseconds())/1000, "ack-p50-ms")
	b.ReportMetric(float64(pct(lat, 0.99).Microseconds())/1000, "ack-p99-ms")
	b.ReportMetric(float64(evals)/total.Seconds(), "evals/s")
	b.ReportMetric(float64(deliveries-stored), "lost")
	b.ReportMetric(total.Seconds(), "drained-s")
	peak := 0.0
	for _, s := range samples {
		peak = max(peak, s.waiting)
	}
	return result{p50: pct(lat, 0.5), p99: pct(lat, 0.99), max: pct(lat, 1), evals: evals, evalsPerS: float64(evals) / total.Seconds(),
		drained: total, peakWaiting: peak, callsPerEval: float64(calls) / float64(max(evals, 1)), lost: deliveries - stored, serverCPU: serverCPU,
		loadBefore: loadBefore, loadThen: loadAverage()}
}

func waitDecisions(b *testing.B, db string, n int) {
	for deadline := time.Now().Add(2 * time.Minute); decisions(b, db) < n; {
		if time.Now().After(deadline) {
			b.Fatalf("fewer than %d decisions", n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
