package app_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
	"github.com/tracegate/tracegate/internal/store"
)

// The tests start the real `tracegate serve` binary against a fake GitHub
// Enterprise Server (fakegithub: the App's JWT, installation tokens, the
// git repository the fake serves, check runs, hook deliveries), and play
// GitHub's webhook sender with the payloads of @octokit/webhooks-examples,
// signed with the real HMAC. Loopback only.

const (
	appID    = 4242
	instID   = 77
	repoName = "acme/mini"
	secret   = "whsec-tracegate-test-0123456789"
)

var (
	binary string // the built tracegate
	keyPEM []byte // the App's private key
	appKey *rsa.PublicKey
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "tracegate-app-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "tracegate")
	build := exec.Command("go", "build", "-o", binary, "github.com/tracegate/tracegate/cmd/tracegate")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building tracegate: %v\n%s", err, out)
		return 1
	}
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	appKey = &k.PublicKey
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	return m.Run()
}

// examples are the payloads of @octokit/webhooks-examples, by event, as
// scripts/deps.d/webhooks-examples.sh installs them.
var (
	examplesOnce sync.Once
	examples     map[string][]json.RawMessage
	examplesErr  error
)

const examplesFile = "../../.tools/webhooks-examples/api.github.com/index.json"

func example(t testing.TB, event, action string) map[string]any {
	t.Helper()
	examplesOnce.Do(func() {
		data, err := os.ReadFile(examplesFile)
		if err != nil {
			examplesErr = err
			return
		}
		var index []struct {
			Name     string            `json:"name"`
			Examples []json.RawMessage `json:"examples"`
		}
		if examplesErr = json.Unmarshal(data, &index); examplesErr != nil {
			return
		}
		examples = map[string][]json.RawMessage{}
		for _, e := range index {
			examples[e.Name] = append(examples[e.Name], e.Examples...)
		}
	})
	if examplesErr != nil {
		msg := fmt.Sprintf("@octokit/webhooks-examples: %v (scripts/deps.d/webhooks-examples.sh installs it)", examplesErr)
		if os.Getenv("TRACEGATE_REQUIRE_TOOLS") == "1" || os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	for _, raw := range examples[event] {
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if a, _ := m["action"].(string); a == action || action == "" {
			return m
		}
	}
	t.Fatalf("no %s %s example", event, action)
	return nil
}

// fixture is a fake GitHub serving a small design history file in git,
// with the App installed on it.
type fixture struct {
	t    testing.TB
	gh   *fakegithub.Server
	git  *gittest.Repo
	base string // main's commit
	dir  string
	db   string
	seq  atomic.Int64
}

// miniPolicy is the policy of the small repository: class A, one
// requirement, its test report and an SBOM in the commit.
const miniPolicy = `version: 1
safety_class: A
requirements:
  - path: "docs/requirements/*.yml"
tests:
  - path: "reports/*.xml"
    format: junit
release:
  plans: []
  first: v1.0.0
`

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{t: t, gh: fakegithub.New(t), git: gittest.New(t), dir: t.TempDir()}
	f.db = filepath.Join(f.dir, "tracegate.db")
	g := f.git
	g.Write(".github/tracegate.yml", miniPolicy)
	g.Write("docs/requirements/app.yml", "type: software\nstatus: approved\nrequirements:\n  - id: SRS-001\n    title: Greeting\n    text: The software shall greet.\n")
	g.Write("reports/junit.xml", `<testsuites><testsuite name="s" tests="1"><testcase name="TestGreet SRS-001" classname="x"/></testsuite></testsuites>`+"\n")
	g.Write("sbom/bom.json", `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{"component":{"type":"application","name":"mini","version":"1.0.0"}},"components":[]}`+"\n")
	g.Write("docs/soup/soup.yml", "soup: []\n")
	f.base = g.Commit("Start the design history file (SRS-001)")
	g.Branch("feature")
	g.Checkout("feature")
	f.gh.AddGitRepo(repoName, g.Dir())
	f.gh.SetApp(appID, appKey)
	f.gh.AddInstallation(fakegithub.Installation{ID: instID, Account: "acme", Repos: []string{repoName}})
	f.gh.AddInstallation(fakegithub.Installation{ID: instID + 1, Account: "other", Repos: []string{"other/secret"}})
	return f
}

// commit makes a commit on the feature branch and returns its SHA.
func (f *fixture) commit(path, content, msg string) string {
	f.git.Write(path, content)
	return f.git.Commit(msg)
}

// server is a running tracegate serve.
type server struct {
	t    testing.TB
	cmd  *exec.Cmd
	url  string
	logs string
	done chan struct{}
	err  error
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// env is the server's environment: the fixture's settings, then extra
// (KEY=VALUE, later ones win).
func (f *fixture) env(port int, extra ...string) []string {
	keyFile := filepath.Join(f.dir, "app.pem")
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		f.t.Fatal(err)
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + f.dir,
		"TRACEGATE_APP_ID=" + strconv.Itoa(appID), "TRACEGATE_PRIVATE_KEY_FILE=" + keyFile,
		"TRACEGATE_WEBHOOK_SECRET=" + secret, "TRACEGATE_GITHUB_URL=" + f.gh.APIURL() + "/",
		"TRACEGATE_DB=" + f.db, "TRACEGATE_LISTEN=127.0.0.1:" + strconv.Itoa(port), "TRACEGATE_WORKERS=4",
		"TRACEGATE_RETRY_DELAY=300ms", "TRACEGATE_JOB_ATTEMPTS=3"}
	return append(env, extra...)
}

// start runs tracegate serve and waits until it is ready; it is stopped
// (SIGTERM) when the test ends.
func (f *fixture) start(extra ...string) *server {
	f.t.Helper()
	port := freePort(f.t)
	s := &server{t: f.t, url: "http://127.0.0.1:" + strconv.Itoa(port), done: make(chan struct{}),
		logs: filepath.Join(f.dir, fmt.Sprintf("serve-%d.log", f.seq.Add(1)))}
	logf, err := os.Create(s.logs)
	if err != nil {
		f.t.Fatal(err)
	}
	// GitHub knows the App's webhook URL before the App starts: its
	// recovery's redeliveries come at once.
	f.gh.SetWebhook(s.url+"/webhook", []byte(secret), &http.Client{Timeout: 30 * time.Second})
	s.cmd = exec.Command(binary, "serve")
	s.cmd.Env = f.env(port, extra...)
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		f.t.Fatal(err)
	}
	go func() { s.err = s.cmd.Wait(); logf.Close(); close(s.done) }()
	f.t.Cleanup(func() { s.stop() })
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(s.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-s.done:
			f.t.Fatalf("tracegate serve exited: %v\n%s", s.err, s.log())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("tracegate serve not ready after a minute\n%s", s.log())
		}
	}
	return s
}

func (s *server) log() string {
	b, _ := os.ReadFile(s.logs)
	return string(b)
}

// stop ends the server gracefully (SIGTERM), and kills it if it does not
// stop within a minute.
func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(time.Minute):
		s.cmd.Process.Kill()
		<-s.done
		s.t.Errorf("tracegate serve did not stop on SIGTERM within a minute")
	}
}

// kill ends the server with SIGKILL, as a crash would.
func (s *server) kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

// pointAt makes an example payload about the fixture's repository and
// installation.
func (f *fixture) pointAt(p map[string]any) {
	owner, name, _ := strings.Cut(repoName, "/")
	if r, ok := p["repository"].(map[string]any); ok {
		r["full_name"], r["name"], r["default_branch"] = repoName, name, "main"
		if o, ok := r["owner"].(map[string]any); ok {
			o["login"] = owner
		}
	}
	p["installation"] = map[string]any{"id": instID, "node_id": "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNzc="}
}

// pr is a pull request of the fixture.
type pr struct {
	number      int
	head, title string
	body        string
	labels      []string
}

// prPayload is a pull_request payload for p, from the example of opened.
func (f *fixture) prPayload(action string, p pr) []byte {
	ev := example(f.t, "pull_request", "opened")
	ev["action"], ev["number"] = action, p.number
	f.pointAt(ev)
	pl := ev["pull_request"].(map[string]any)
	pl["number"], pl["title"], pl["body"], pl["state"], pl["draft"] = p.number, p.title, p.body, "open", false
	pl["html_url"] = fmt.Sprintf("%s/%s/pull/%d", f.gh.URL(), repoName, p.number)
	labels := []any{}
	for _, l := range p.labels {
		labels = append(labels, map[string]any{"name": l, "color": "ededed"})
	}
	pl["labels"] = labels
	head, base := pl["head"].(map[string]any), pl["base"].(map[string]any)
	head["sha"], head["ref"] = p.head, "feature"
	base["sha"], base["ref"] = f.base, "main"
	for _, side := range []map[string]any{head, base} {
		if r, ok := side["repo"].(map[string]any); ok {
			r["full_name"] = repoName
		}
	}
	return marshal(f.t, ev)
}

func marshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// guid is a new delivery ID.
func (f *fixture) guid() string {
	return fmt.Sprintf("%08x-0000-4000-8000-%012d", time.Now().UnixNano()&0xffffffff, f.seq.Add(1))
}

// deliver sends a webhook through the fake GitHub and wants 202.
func (f *fixture) deliver(event string, payload []byte) string {
	f.t.Helper()
	id := f.guid()
	if code := f.gh.Deliver(event, id, payload); code != http.StatusAccepted {
		f.t.Fatalf("delivery of %s: %d, want 202", event, code)
	}
	return id
}

// waitFor polls cond until it holds, failing after timeout.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkRun is the newest check run of name on sha.
func (f *fixture) checkRun(name, sha string) (fakegithub.CheckRun, bool) {
	var out fakegithub.CheckRun
	found := false
	for _, c := range f.gh.CheckRuns(repoName) {
		if c.Name == name && c.HeadSHA == sha && (!found || c.ID > out.ID) {
			out, found = c, true
		}
	}
	return out, found
}

// completed waits for the newest check run of name on sha to complete.
func (f *fixture) completed(name, sha string) fakegithub.CheckRun {
	f.t.Helper()
	var c fakegithub.CheckRun
	waitFor(f.t, name+" on "+sha[:7]+" to complete", 90*time.Second, func() bool {
		var ok bool
		c, ok = f.checkRun(name, sha)
		return ok && c.Status == "completed"
	})
	return c
}

// audit reads the audit log through `tracegate audit`.
func (f *fixture) audit(db string, args ...string) []store.Decision {
	f.t.Helper()
	cmd := exec.Command(binary, append([]string{"audit", "--db", db, "--format", "json"}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		f.t.Fatalf("tracegate audit: %v\n%s", err, errb.String())
	}
	var ds []store.Decision
	dec := json.NewDecoder(&out)
	for {
		var d store.Decision
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			f.t.Fatalf("tracegate audit printed %q: %v", out.String(), err)
		}
		ds = append(ds, d)
	}
	return ds
}

// metric reads one sample of /metrics: the first line that starts with
// name{labels…}.
func (s *server) metric(t testing.TB, prefix string) float64 {
	t.Helper()
	resp, err := http.Get(s.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, prefix+" ") {
			v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(line, prefix)), 64)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
	}
	return 0
}

// storeKnown tells which deliveries the App's database holds.
func storeKnown(t testing.TB, db string, ids ...string) map[string]bool {
	t.Helper()
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	known, err := st.Known(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	return known
}

// installationRepos are the repositories the App's store holds for an
// installation.
func installationRepos(t testing.TB, db string, id int64) []string {
	t.Helper()
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in, err := st.Installation(context.Background(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return in.Repositories
}

// evidenceFromCI makes the base name the CI workflow whose artifact holds
// the test reports (evidencePolicy), which are no longer in the commit,
// and brings the feature branch up to it.
func (f *fixture) evidenceFromCI() {
	f.git.Checkout("main")
	f.git.Remove("reports/junit.xml")
	f.git.Write(".github/tracegate.yml", miniPolicy+evidencePolicy)
	f.base = f.git.Commit("Evidence from CI")
	f.git.Checkout("feature")
	f.git.Run("merge", "--ff-only", "main")
}
