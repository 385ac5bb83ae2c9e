package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/cli"
	"github.com/tracegate/tracegate/internal/report/releasedoc"
	"github.com/tracegate/tracegate/internal/report/resultdoc"
	"github.com/tracegate/tracegate/internal/report/soupdoc"
)

// formatsOf is what the test asks of a registry of encoders.
type formatsOf interface {
	Names() []string
	Help() string
}

// Every command takes exactly the formats of its registry: each name and
// alias is accepted and an alias writes what its name writes; anything else
// is a usage error listing the registry's formats, which the command's help
// lists too. "md" and "markdown" are one format everywhere.
func TestFormatsComeFromTheRegistries(t *testing.T) {
	small := filepath.Join(corpus, "cyclonedx/json/cyclonedx-gomod__app_minikube-v1.23.1_with-packages.bom.json")
	other := filepath.Join(corpus, "cyclonedx/json/cyclonedx-node-npm__deps-from-git_1.6.json")
	cases := []struct {
		command []string
		args    []string
		names   []string // the formats to run; nil: every one of the registry
		reg     formatsOf
		aliases map[string]string
	}{
		{[]string{"validate"}, []string{"--dir", sample, "--fail-on", "never"}, nil, resultdoc.Formats, map[string]string{"md": "markdown"}},
		{[]string{"check", "release"}, []string{"--dir", sample, "--fail-on", "never"}, nil, resultdoc.Formats, map[string]string{"md": "markdown"}},
		{[]string{"trace"}, []string{"--dir", sample}, nil, releasedoc.MatrixFormats, map[string]string{"md": "markdown"}},
		{[]string{"rules"}, nil, nil, resultdoc.RuleFormats, map[string]string{"md": "markdown"}},
		{[]string{"soup", "list"}, []string{"--sbom", small}, nil, soupdoc.Formats, map[string]string{"md": "markdown"}},
		{[]string{"soup", "diff"}, []string{"--base", other, "--head", small}, nil, releasedoc.DiffFormats, map[string]string{"md": "markdown"}},
		{[]string{"evidence"}, []string{"--out", t.TempDir()}, []string{}, cli.SummaryFormats, nil},
	}
	for _, tc := range cases {
		name := strings.Join(tc.command, " ")
		t.Run(name, func(t *testing.T) {
			names := tc.names
			if names == nil {
				names = tc.reg.Names()
			}
			out := map[string]string{}
			for _, f := range names {
				code, stdout, stderr := tracegate(t, append(append(append([]string{}, tc.command...), "--format", f), tc.args...)...)
				if code == 2 || code == 3 {
					t.Fatalf("--format %s: exit %d\n%s", f, code, stderr)
				}
				out[f] = stdout
			}
			for alias, canonical := range tc.aliases {
				code, stdout, stderr := tracegate(t, append(append(append([]string{}, tc.command...), "--format", alias), tc.args...)...)
				if code == 2 || code == 3 {
					t.Fatalf("--format %s: exit %d\n%s", alias, code, stderr)
				}
				if stdout != out[canonical] {
					t.Errorf("--format %s writes other than --format %s", alias, canonical)
				}
			}
			code, _, stderr := tracegate(t, append(append(append([]string{}, tc.command...), "--format", "pdf"), tc.args...)...)
			says := strings.TrimSuffix(name, " release") // check pr and check release say "check"
			if code != 2 || !strings.Contains(stderr, `--format "pdf": `+says+" writes "+tc.reg.Help()) {
				t.Errorf("--format pdf: exit %d, want 2 and the registry's formats\n%s", code, stderr)
			}
			_, help, _ := tracegate(t, append(append([]string{}, tc.command...), "--help")...)
			if !strings.Contains(strings.Join(strings.Fields(help), " "), "Formats"+formatsSuffix(name)+": "+tc.reg.Help()) {
				t.Errorf("the help does not list the registry's formats %q:\n%s", tc.reg.Help(), help)
			}
		})
	}
}

func formatsSuffix(command string) string {
	if command == "evidence" {
		return " (of the summary)"
	}
	return ""
}
