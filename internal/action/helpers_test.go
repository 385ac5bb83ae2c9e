package action

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
)

const (
	sample   = "../../testdata/sample-device"
	webhooks = "../../testdata/webhooks"
	ghRepo   = "acme/syringeflow"
)

// sampleRepo is the sample device in a git repository, released as v2.3.0.
// With issues, its problem reports and change requests are GitHub issues
// (labelled problem-report and change-request) rather than files.
func sampleRepo(t *testing.T, issues bool) *gittest.Repo {
	t.Helper()
	r := gittest.New(t)
	r.CopyDir(sample)
	if issues {
		p := filepath.Join(r.Dir(), ".github/tracegate.yml")
		policy := strings.Replace(readFile(t, p), "labels: []", "labels: [problem-report]", 1)
		policy = strings.Replace(policy, "labels: []", "labels: [change-request]", 1)
		r.Write(".github/tracegate.yml", policy)
	}
	r.Commit("SyringeFlow SP-1 2.3.0\n\nCloses CR-017.")
	r.Tag("v2.3.0", true, "SyringeFlow SP-1 2.3.0")
	return r
}

func readFile(t testing.TB, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// payload reads a real webhook payload of testdata/webhooks and applies
// edits: a JSON path ("pull_request.head.sha") to its new value.
func payload(t testing.TB, file string, edits map[string]any) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(webhooks, file))), &m); err != nil {
		t.Fatal(err)
	}
	for path, v := range edits {
		keys := strings.Split(path, ".")
		cur := m
		for _, k := range keys[:len(keys)-1] {
			next, ok := cur[k].(map[string]any)
			if !ok {
				t.Fatalf("%s: no object at %s", file, k)
			}
			cur = next
		}
		cur[keys[len(keys)-1]] = v
	}
	return m
}

// step is one run of the Action with the environment a runner gives a
// step: the files it creates for outputs and the summary, a temp
// directory, and the context variables.
type step struct {
	t   *testing.T
	env map[string]string
	out bytes.Buffer
}

func newStep(t *testing.T, workspace, eventName string, event map[string]any) *step {
	t.Helper()
	dir := t.TempDir()
	s := &step{t: t, env: map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_WORKSPACE":    workspace,
		"GITHUB_EVENT_NAME":   eventName,
		"GITHUB_REPOSITORY":   ghRepo,
		"GITHUB_SERVER_URL":   "https://github.com",
		"RUNNER_TEMP":         filepath.Join(dir, "tmp"),
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
		"INPUT_MODE":          "auto",
		"INPUT_FAIL_ON":       "error",
	}}
	for _, f := range []string{"output", "summary"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	if event != nil {
		data, err := json.Marshal(event)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "event.json")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		s.env["GITHUB_EVENT_PATH"] = p
	}
	return s
}

func (s *step) set(kv ...string) *step {
	for i := 0; i+1 < len(kv); i += 2 {
		s.env[kv[i]] = kv[i+1]
	}
	return s
}

func (s *step) run() int {
	s.out.Reset()
	return Run(context.Background(), Env{Getenv: func(k string) string { return s.env[k] }, Stdout: &s.out})
}

// outputs reads GITHUB_OUTPUT as the runner does.
func (s *step) outputs() map[string]string {
	s.t.Helper()
	m, err := runnerOutputs(readFile(s.t, s.env["GITHUB_OUTPUT"]))
	if err != nil {
		s.t.Fatalf("GITHUB_OUTPUT: %v", err)
	}
	return m
}

func (s *step) summary() string { return readFile(s.t, s.env["GITHUB_STEP_SUMMARY"]) }

// result reads the JSON result the findings-json output names.
func (s *step) result() (res struct {
	Verdict  string
	Gate     string
	Errors   []string
	Findings []struct{ Rule, Subject, Message string }
}) {
	s.t.Helper()
	p := s.outputs()["findings-json"]
	if err := json.Unmarshal([]byte(readFile(s.t, p)), &res); err != nil {
		s.t.Fatalf("%s: %v", p, err)
	}
	return res
}

func (s *step) rules() []string {
	var out []string
	for _, f := range s.result().Findings {
		out = append(out, f.Rule+" "+f.Subject)
	}
	return out
}

// runnerOutputs parses a GITHUB_OUTPUT file the way the runner does
// (actions/runner, FileCommandManager: EnvFileKeyValuePairs and ReadLine,
// Linux line endings): NAME=VALUE lines, and NAME<<DELIMITER followed by
// the value's lines up to the first line equal to DELIMITER. A later value
// of a name replaces an earlier one.
func runnerOutputs(text string) (map[string]string, error) {
	out := map[string]string{}
	idx := 0
	readLine := func() (line string, nl bool, ok bool) {
		if idx >= len(text) {
			return "", false, false
		}
		start := idx
		lf := strings.IndexByte(text[idx:], '\n')
		if lf < 0 {
			idx = len(text)
			return text[start:], false, true
		}
		idx = start + lf + 1
		return text[start : start+lf], true, true
	}
	for {
		line, _, ok := readLine()
		if !ok {
			return out, nil
		}
		if line == "" {
			continue
		}
		eq, hd := strings.Index(line, "="), strings.Index(line, "<<")
		switch {
		case eq >= 0 && (hd < 0 || eq < hd):
			k, v, _ := strings.Cut(line, "=")
			if k == "" {
				return nil, fmt.Errorf("invalid format %q: name must not be empty", line)
			}
			out[k] = v
		case hd >= 0 && (eq < 0 || hd < eq):
			k, delim, _ := strings.Cut(line, "<<")
			if k == "" || delim == "" {
				return nil, fmt.Errorf("invalid format %q", line)
			}
			start, end := idx, idx
			for {
				l, nl, ok := readLine()
				if !ok {
					return nil, fmt.Errorf("invalid value: matching delimiter not found %q", delim)
				}
				if l == delim {
					break
				}
				if !nl {
					return nil, errors.New("invalid value: EOF marker missing new line")
				}
				end = idx - 1
			}
			v := ""
			if end > start {
				v = text[start:end]
			}
			out[k] = v
		default:
			return nil, fmt.Errorf("invalid format %q", line)
		}
	}
}
