package action

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sethvargo/go-githubactions"
)

// hostile are output values that break a file command written carelessly:
// line breaks, the fixed delimiter go-githubactions uses, heredoc and
// NAME=VALUE lines that would set other outputs, a value that looks like
// a delimiter of ours.
var hostile = []string{
	"",
	"pass",
	"/tmp/tracegate/tracegate-pr.json",
	"a\nb",
	"trailing newline\n",
	"\n\nleading newlines",
	"crlf\r\nline",
	"ends with CR\r",
	"x\n_GitHubActionsFileCommandDelimeter_\nresult=pass",
	"x\nEOF\nresult=pass\nEOF",
	"result<<EOF\npass\nEOF",
	"result=pass",
	"ghadelimiter_00000000000000000000000000000000",
	"x\nghadelimiter_\nresult=pass",
	"%0A::error::boom%25",
	"ünïcødé ✓ \x00 nul",
	strings.Repeat("long ", 20000),
}

func TestFormatOutputsRoundTrip(t *testing.T) {
	for _, v := range hostile {
		text, err := formatOutputs([]Output{{"result", "fail"}, {"findings-json", v}, {"sarif", "/x.sarif"}})
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		got, err := runnerOutputs(text)
		if err != nil {
			t.Fatalf("%q: the runner would refuse the file: %v\n%s", v, err, text)
		}
		want := map[string]string{"result": "fail", "findings-json": v, "sarif": "/x.sarif"}
		if len(got) != len(want) {
			t.Errorf("%q: outputs %q, want %q", v, got, want)
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%q: output %s = %q, want %q", v, k, got[k], w)
			}
		}
	}
}

// Each value gets a delimiter of its own, so that knowing one (from a log)
// tells nothing of the next.
func TestFormatOutputsFreshDelimiters(t *testing.T) {
	text, err := formatOutputs([]Output{{"a", "1"}, {"b", "2"}})
	if err != nil {
		t.Fatal(err)
	}
	var delims []string
	for _, line := range strings.Split(text, "\n") {
		if _, d, ok := strings.Cut(line, "<<"); ok {
			delims = append(delims, d)
		}
	}
	if len(delims) != 2 || delims[0] == delims[1] || !strings.HasPrefix(delims[0], "ghadelimiter_") || len(delims[0]) != len("ghadelimiter_")+32 {
		t.Errorf("delimiters %q", delims)
	}
}

func TestFormatOutputsRefuses(t *testing.T) {
	for _, name := range []string{"", "a=b", "a<<b", "a\nb", "1x", "a b"} {
		if _, err := formatOutputs([]Output{{name, "v"}}); err == nil {
			t.Errorf("name %q accepted", name)
		}
	}
	// A delimiter that the value holds (only a broken random source could
	// give one) is refused rather than written.
	saved := delimiter
	t.Cleanup(func() { delimiter = saved })
	delimiter = func() (string, error) { return "ghadelimiter_fixed", nil }
	if _, err := formatOutputs([]Output{{"a", "x\nghadelimiter_fixed\nb=c"}}); err == nil {
		t.Error("a value holding its delimiter was written")
	}
}

// Why the outputs are not written with go-githubactions v1.4.0: its
// SetOutput puts every value between one fixed delimiter, so a value that
// holds that line ends early and the rest of it sets outputs of its own.
func TestGoGitHubActionsSetOutputIsInjectable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "output")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	gha := githubactions.New(githubactions.WithGetenv(func(k string) string {
		if k == "GITHUB_OUTPUT" {
			return file
		}
		return ""
	}))
	gha.SetOutput("result", "fail")
	gha.SetOutput("findings-json", "x\n_GitHubActionsFileCommandDelimeter_\nresult=pass\nfindings-json<<_GitHubActionsFileCommandDelimeter_\ny")
	got, err := runnerOutputs(readFile(t, file))
	if err != nil {
		t.Fatal(err)
	}
	if got["result"] != "pass" {
		t.Fatalf("go-githubactions no longer lets a value set another output (result = %q): formatOutputs could be replaced by SetOutput", got["result"])
	}
}

func FuzzFormatOutputs(f *testing.F) {
	for _, v := range hostile {
		f.Add("findings-json", v)
	}
	f.Add("result", "pass")
	f.Fuzz(func(t *testing.T, name, value string) {
		text, err := formatOutputs([]Output{{"result", "error"}, {name, value}})
		if err != nil {
			if outputName().MatchString(name) {
				t.Fatalf("valid name %q refused: %v", name, err)
			}
			return
		}
		got, err := runnerOutputs(text)
		if err != nil {
			t.Fatalf("the runner would refuse %q: %v", text, err)
		}
		want := map[string]string{"result": "error", name: value}
		if len(got) != len(want) {
			t.Fatalf("outputs %q, want %q", got, want)
		}
		for k, w := range want {
			if got[k] != w {
				t.Fatalf("output %s = %q, want %q", k, got[k], w)
			}
		}
	})
}
