package action

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/sethvargo/go-githubactions"

	"github.com/tracegate/tracegate/internal/check"
)

func TestReadInputs(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want Inputs
		err  string
	}{
		{"defaults", map[string]string{}, Inputs{Mode: ModeAuto, FailOn: "error", UploadEvidence: "auto"}, ""},
		{"everything", map[string]string{
			"INPUT_MODE": " Release ", "INPUT_CONFIG": "policy/gate.yml", "INPUT_SBOM": "sbom/a.spdx.json\n\n  sbom/{b,c}.cdx.json  \n",
			"INPUT_TESTS": "reports/**/*.xml", "INPUT_GITHUB_TOKEN": "ghs_x", "INPUT_FAIL_ON": "never",
			"INPUT_SARIF_FILE": "out/t.sarif", "INPUT_EVIDENCE_DIR": "evidence", "INPUT_UPLOAD_EVIDENCE": "True",
		}, Inputs{Mode: ModeRelease, Config: "policy/gate.yml", SBOMs: []string{"sbom/a.spdx.json", "sbom/{b,c}.cdx.json"},
			Tests: []string{"reports/**/*.xml"}, Token: "ghs_x", FailOn: "never", SARIFFile: "out/t.sarif", EvidenceDir: "evidence", UploadEvidence: "true"}, ""},
		{"unknown mode", map[string]string{"INPUT_MODE": "gate"}, Inputs{}, `input mode is "gate"`},
		{"unknown fail-on", map[string]string{"INPUT_FAIL_ON": "sometimes"}, Inputs{}, `input fail-on is "sometimes"`},
		{"unknown upload-evidence", map[string]string{"INPUT_UPLOAD_EVIDENCE": "yes"}, Inputs{}, `input upload-evidence is "yes"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			gha := githubactions.New(githubactions.WithGetenv(func(k string) string { return tc.env[k] }), githubactions.WithWriter(&out))
			in, err := readInputs(gha)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(in, tc.want) {
				t.Errorf("inputs\n%+v\nwant\n%+v", in, tc.want)
			}
		})
	}
}

// The token is masked before anything else is printed, even when the
// other inputs are wrong.
func TestTokenMaskedFirst(t *testing.T) {
	const token = "ghs_secret%value"
	var out bytes.Buffer
	code := Run(t.Context(), Env{Getenv: func(k string) string {
		return map[string]string{"INPUT_GITHUB_TOKEN": token, "INPUT_MODE": "bogus"}[k]
	}, Stdout: &out})
	if code != check.ExitUsage {
		t.Errorf("exit %d", code)
	}
	first, rest, _ := strings.Cut(out.String(), "\n")
	if first != "::add-mask::ghs_secret%25value" {
		t.Errorf("first line %q", first)
	}
	if strings.Contains(rest, "ghs_secret") {
		t.Errorf("the token was printed:\n%s", rest)
	}
}
