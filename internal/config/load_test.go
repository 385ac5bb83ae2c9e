package config

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/model"
)

func TestParseValid(t *testing.T) {
	src := `version: 1
safety_class: C
items:
  - name: dose-engine
    class: C
    paths: ['src/dose/**']
ids: { requirement: 'SRS-\d+', problem_report: 'PRB-\d+' }
requirements: [ { path: 'docs/requirements/**/*.yml' } ]
tests: [ { path: 'reports/**/*.xml', format: junit } ]
`
	c, err := Parse(".github/tracegate.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if c.SafetyClass != model.ClassC {
		t.Errorf("class = %q", c.SafetyClass)
	}
	if c.IDs.Requirement != `SRS-\d+` || c.IDs.Hazard != Defaults().IDs.Hazard {
		t.Errorf("ids = %+v", c.IDs)
	}
	if c.Requirements[0].Format != "auto" || c.Tests[0].Format != "junit" {
		t.Errorf("formats: %+v %+v", c.Requirements, c.Tests)
	}
	want := []string{"risks", "test_sources", "requirement_status", "risk_matrix", "ids.change_request", "ids.hazard", "ids.risk_control"}
	for _, w := range want {
		if !contains(c.Defaulted, w) {
			t.Errorf("Defaulted = %v, missing %s", c.Defaulted, w)
		}
	}
	for _, w := range []string{"safety_class", "requirements", "tests", "ids.requirement"} {
		if contains(c.Defaulted, w) {
			t.Errorf("Defaulted = %v, must not hold %s", c.Defaulted, w)
		}
	}
	if p := c.Pos("items.0.class"); p.Line != 5 || p.Col != 12 {
		t.Errorf("Pos(items.0.class) = %v", p)
	}
	pats, err := c.Patterns()
	if err != nil {
		t.Fatal(err)
	}
	re := pats[KindRequirement]
	for s, want := range map[string]bool{"SRS-1": true, "fix SRS-12 now": true, "XSRS-1": false, "SRS-": false, "(SRS-7)": true} {
		if got := re.MatchString(s); got != want {
			t.Errorf("requirement pattern on %q = %v, want %v", s, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string // substrings, in order, each with its position
	}{
		{"empty", "", []string{"p.yml: policy file is empty"}},
		{"no version", "safety_class: A\n", []string{"p.yml:1:1: (top level): missing property 'version'"}},
		{"unknown top-level key", "version: 1\nsafty_class: C\n", []string{`p.yml:2:1: unknown key "safty_class"`}},
		{"unknown nested key", "version: 1\nids:\n  requirment: 'X-\\d+'\n", []string{`p.yml:3:3: unknown key "requirment" in ids`}},
		{"bad class", "version: 1\nsafety_class: D\n", []string{"p.yml:2:15: safety_class: value must be one of"}},
		{"bad version", "version: 2\n", []string{"p.yml:1:10: version: value must be 1"}},
		{"bad regexp", "version: 1\nids: { hazard: 'HAZ-(' }\n", []string{"p.yml:2:16: ids.hazard: invalid regular expression"}},
		{"empty-matching regexp", "version: 1\nids: { hazard: '.*' }\n", []string{"ids.hazard: pattern"}},
		{"bad format", "version: 1\nrequirements: [ { path: a, format: word } ]\n", []string{"p.yml:2:36: requirements[0].format: value must be one of"}},
		{"glob leaving the repository", "version: 1\nrisks: [ { path: '../x/*.yml' } ]\ntest_sources: ['/abs/**']\n", []string{"p.yml:2:18: risks[0].path: \"../x/*.yml\" leaves the repository", "p.yml:3:16: test_sources[0]: \"/abs/**\" leaves the repository"}},
		{"bad glob", "version: 1\ntests: [ { path: 'a/[b' } ]\n", []string{"p.yml:2:18: tests[0].path: invalid glob"}},
		{"duplicate key", "version: 1\nversion: 1\n", []string{`p.yml:2:1: duplicate key "version"`}},
		{"two documents", "version: 1\n---\nversion: 1\n", []string{"holds 2 YAML documents"}},
		{"yaml syntax", "version: 1\nids: [\n", []string{"p.yml:2:6: invalid YAML"}},
		{"matrix row missing", `version: 1
risk_matrix:
  severity: [low, high]
  probability: [rare, often]
  acceptability:
    rare: [acceptable, alarp]
    sometimes: [alarp, unacceptable]
`, []string{`no row for probability level "often"`, `p.yml:7:5: risk_matrix.acceptability: "sometimes" is not a probability level`}},
		{"matrix row short", `version: 1
risk_matrix:
  severity: [low, high]
  probability: [rare, often]
  acceptability: { rare: [acceptable], often: [alarp, unacceptable] }
`, []string{"p.yml:5:26: risk_matrix.acceptability.rare: 1 entries"}},
		{"status in both lists", "version: 1\nrequirement_status: { active: [approved], inactive: [Approved] }\n", []string{"both active and inactive"}},
		{"non-string key", "version: 1\n[a]: b\n", []string{"p.yml:2:1: mapping key must be a plain string"}},
		{"first release not a release tag", "version: 1\nrelease: { first: r1 }\n", []string{`p.yml:2:19: release.first: "r1" does not match release.tag_pattern "v*"`}},
		{"first release a number", "version: 1\nrelease: { first: 1.0 }\n", []string{"p.yml:2:19: release.first"}},
		{"external namespace without a pattern", "version: 1\nexternal: [ { name: Jira } ]\n", []string{"p.yml:2:13: external[0]: missing property 'pattern'"}},
		{"external namespace with a bad pattern", "version: 1\nexternal: [ { name: Jira, pattern: 'SR-(' }, { name: All, pattern: '.*' } ]\n",
			[]string{"p.yml:2:36: external[0].pattern: invalid regular expression", "external[1].pattern: pattern \".*\" matches empty text"}},
		{"external namespace of an unknown kind", "version: 1\nexternal: [ { name: Jira, pattern: 'SR-\\d+', kinds: [test] } ]\n", []string{"external[0].kinds[0]: value must be one of"}},
		{"first release not a ref name", "version: 1\nrelease: { first: 'v1 0' }\n", []string{"p.yml:2:19: release.first"}},
		{"table column of another kind", "version: 1\nrequirements: [ { path: a.md, columns: { harm: Schaden } } ]\n",
			[]string{`p.yml:2:42: requirements[0].columns: "harm" is not a field of the table (fields: id, title, text`}},
		{"table prefix of a field without IDs", "version: 1\nrisks: [ { path: a.md, id_prefixes: { harm: H- } } ]\n",
			[]string{`p.yml:2:39: risks[0].id_prefixes: "harm" is not a field that holds IDs (fields: id, risk_controls, requirements)`}},
		{"table columns on a YAML format", "version: 1\nrequirements: [ { path: a.yml, format: tracegate, columns: { id: Nr. } } ]\n",
			[]string{`requirements[0]: columns and id_prefixes apply to format markdown-table, not tracegate`}},
		{"table columns on test reports", "version: 1\ntests: [ { path: a.md, columns: { id: Nr. } } ]\n",
			[]string{`tests[0]: columns and id_prefixes apply to registers kept as Markdown tables`}},
		{"SOUP column that is not a field", "version: 1\nsoup: { register: soup.md, columns: { package: Paket } }\n",
			[]string{`p.yml:2:39: soup.columns: "package" is not a field of the SOUP register`}},
		{"blank ID prefix", "version: 1\nrisks: [ { path: a.md, id_prefixes: { id: '' } } ]\n", []string{"risks[0].id_prefixes.id"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("p.yml", []byte(tc.src))
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, w := range tc.want {
				i := strings.Index(msg, w)
				if i < 0 {
					t.Fatalf("error %q does not contain %q", msg, w)
				}
				msg = msg[i+len(w):]
			}
		})
	}
}

// release.first is true, false or a tag name.
func TestFirstRelease(t *testing.T) {
	for src, want := range map[string]FirstRelease{
		"":                 {},
		"first: false":     {},
		"first: true":      {Any: true},
		"first: v1.0.0":    {Tag: "v1.0.0"},
		"first: 'v2'":      {Tag: "v2"},
		"tag_pattern: '*'": {},
	} {
		c, err := Parse("p.yml", []byte("version: 1\nrelease: {"+src+"}\n"))
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if c.Release.First != want {
			t.Errorf("%s: %+v, want %+v", src, c.Release.First, want)
		}
	}
	for _, tt := range []struct {
		f    FirstRelease
		tag  string
		want bool
	}{
		{FirstRelease{}, "v1", false},
		{FirstRelease{}, "", false},
		{FirstRelease{Any: true}, "v1", true},
		{FirstRelease{Any: true}, "", true},
		{FirstRelease{Tag: "v1"}, "v1", true},
		{FirstRelease{Tag: "v1"}, "v2", false},
		{FirstRelease{Tag: "v1"}, "", false},
	} {
		if got := tt.f.Declares(tt.tag); got != tt.want {
			t.Errorf("%+v.Declares(%q) = %v", tt.f, tt.tag, got)
		}
	}
}

func TestLoadMissing(t *testing.T) {
	fsys := fstest.MapFS{}
	c, err := Load(fsys, DefaultPath, true)
	if err != nil {
		t.Fatal(err)
	}
	if c.File != "" || len(c.Defaulted) == 0 || c.SafetyClass != Defaults().SafetyClass {
		t.Errorf("defaults not applied: %+v", c)
	}
	if _, err := Load(fsys, "custom.yml", false); err == nil || !strings.Contains(err.Error(), "custom.yml") {
		t.Errorf("explicit missing policy: err = %v", err)
	}
}

func TestDefaultsAreValid(t *testing.T) {
	d := Defaults()
	if errs := d.check(); len(errs) > 0 {
		t.Fatal(errs)
	}
}

func TestSectionsDefaultKeyByKey(t *testing.T) {
	c, err := Parse("p.yml", []byte(`version: 1
problem_reports:
  labels: [defect]
  max_open_criticality: low
change_requests:
  files: [changes/*.yml]
release:
  plans: [{name: SDP, path: docs/sdp.md}]
`))
	if err != nil {
		t.Fatal(err)
	}
	d := Defaults()
	if got := c.ProblemReports; got.Labels[0] != "defect" || got.MaxOpenCriticality != "low" ||
		len(got.Fields) != len(d.ProblemReports.Fields) || len(got.Criticality) != 4 {
		t.Errorf("problem_reports = %+v", got)
	}
	if got := c.ChangeRequests; got.Files[0] != "changes/*.yml" || got.Labels[0] != "change-request" || got.ApprovedLabels[0] != "approved" {
		t.Errorf("change_requests = %+v", got)
	}
	if c.Release.TagPattern != "v*" || len(c.Release.Plans) != 1 {
		t.Errorf("release = %+v", c.Release)
	}
	for _, k := range []string{"problem_reports.fields", "change_requests.labels", "release.tag_pattern", "pr.exempt_labels"} {
		if !contains(c.Defaulted, k) {
			t.Errorf("Defaulted lacks %s: %v", k, c.Defaulted)
		}
	}
	for _, k := range []string{"problem_reports.labels", "release.plans"} {
		if contains(c.Defaulted, k) {
			t.Errorf("Defaulted has %s", k)
		}
	}
}

func TestSectionErrors(t *testing.T) {
	for src, want := range map[string]string{
		"version: 1\nproblem_reports: {max_open_criticality: severe}\n": `"severe" is not a criticality level`,
		"version: 1\nchange_requests: {criticality: [a, b]}\n":          `unknown key "criticality" in change_requests`,
		"version: 1\nproblem_reports: {lables: [bug]}\n":                `unknown key "lables" in problem_reports`,
		"version: 1\nrelease: {plans: [{name: x, path: ../x}]}\n":       "leaves the repository",
		"version: 1\npr: {exempt_label: [x]}\n":                         `unknown key "exempt_label" in pr`,
		"version: 1\nproblem_reports: {fields: {type: ''}}\n":           "problem_reports.fields.type",
	} {
		_, err := Parse("p.yml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", src, err, want)
		}
	}
}

// verification.parents: own by default and said to be a default; one of
// own, children, both; anything else names the key and the choices.
func TestVerificationParents(t *testing.T) {
	c, err := Parse("p.yml", []byte("version: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Verification.Parents != ParentsOwn || !c.IsDefault("verification.parents") {
		t.Errorf("default: %q (defaulted %v)", c.Verification.Parents, c.IsDefault("verification.parents"))
	}
	if !contains(c.DefaultedValues(), `verification.parents: "own"`) {
		t.Errorf("defaulted values %q", c.DefaultedValues())
	}
	c, err = Parse("p.yml", []byte("version: 1\nverification:\n  parents: children\n"))
	if err != nil || c.Verification.Parents != ParentsChildren || c.IsDefault("verification.parents") {
		t.Fatalf("children: %+v, %v", c, err)
	}
	_, err = Parse("p.yml", []byte("version: 1\nverification:\n  parents: kids\n"))
	if err == nil || !strings.Contains(err.Error(), "p.yml:3:12") || !strings.Contains(err.Error(), "children") {
		t.Errorf("parents: kids: %v", err)
	}
}

// soup.anomalies: osv asks the OSV API within osv_timeout (2m unless
// set); it cannot be combined with an offline database, and the timeout
// must be a positive duration.
func TestSOUPAnomalies(t *testing.T) {
	c, err := Parse("p.yml", []byte("version: 1\n"))
	if err != nil || c.SOUP.Anomalies != AnomaliesNone || c.SOUP.Timeout() != DefaultOSVTimeout || !c.IsDefault("soup.anomalies") {
		t.Fatalf("defaults: %+v, %v", c.SOUP, err)
	}
	c, err = Parse("p.yml", []byte("version: 1\nsoup:\n  anomalies: osv\n  osv_timeout: 90s\n"))
	if err != nil || c.SOUP.Anomalies != AnomaliesOSV || c.SOUP.Timeout().Seconds() != 90 {
		t.Fatalf("osv, 90s: %+v, %v", c.SOUP, err)
	}
	for src, want := range map[string]string{
		"version: 1\nsoup:\n  anomalies: osv\n  osv_db: osv\n": "p.yml:3:14: soup.anomalies: osv asks the OSV API, and soup.osv_db names an offline database",
		"version: 1\nsoup:\n  osv_timeout: 0s\n":               `p.yml:3:16: soup.osv_timeout: "0s" is not a positive duration`,
		"version: 1\nsoup:\n  osv_timeout: soon\n":             "p.yml:3:16",
		"version: 1\nsoup:\n  anomalies: nvd\n":                "p.yml:3:14",
	} {
		if _, err := Parse("p.yml", []byte(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}

// Sources kept as issues: the documented policy reads, and what does not
// fit is an error at its place.
func TestIssueSources(t *testing.T) {
	doc, err := os.ReadFile("../../docs/formats.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "# tracegate.yml: the template's issues\n")
	example, _, _ := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("docs/formats.md has no issues example")
	}
	c, err := Parse("p.yml", []byte("version: 1\n"+example))
	if err != nil {
		t.Fatal(err)
	}
	if is := c.Risks[0].Issues; is == nil || is.ItemID(7) != "HARM-7" || is.Heading("residual", HazardIssueFields) != "Residual risk (S × P)" ||
		is.Heading("harm", HazardIssueFields) != "Harm" {
		t.Errorf("risks[0]: %+v", c.Risks[0])
	}
	for _, tc := range []struct{ src, want string }{
		{"requirements: [ { issues: { labels: [r], id: 'R-{number}' }, path: a.md } ]", "requirements[0]"},
		{"requirements: [ { issues: { labels: [r], id: 'R-1' } } ]", "requirements[0].issues.id"},
		{"tests: [ { issues: { labels: [t], id: 'T-{number}' } } ]", "tests[0].issues: only requirements and risks are read from issues"},
		{"risks: [ { issues: { labels: [h], id: 'H-{number}', fields: { severity_of_harm: S } } } ]", `risks[0].issues.fields: "severity_of_harm" is not a field read from an issue`},
		{"requirements: [ { issues: { labels: [r], id: 'R-{number}' }, format: markdown-table } ]", "requirements[0]: format, exclude, columns and id_prefixes apply to files, not to issues"},
	} {
		_, err := Parse("p.yml", []byte("version: 1\n"+tc.src+"\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.src, err, tc.want)
		}
	}
}

// The SOUP register kept as issues: soup.issues in place of
// soup.register, with the form's headings by default; what does not fit
// is an error at its place.
func TestSOUPIssues(t *testing.T) {
	doc, err := os.ReadFile("../../docs/formats.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "# tracegate.yml: the SOUP register kept as issues\n")
	example, _, _ := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("docs/formats.md has no soup.issues example")
	}
	if c, err := Parse("p.yml", []byte("version: 1\n"+example)); err != nil || c.SOUP.Issues == nil || c.SOUP.Issues.ItemID(3) != "SOUP-3" {
		t.Fatalf("the documented policy: %v", err)
	}
	c, err := Parse("p.yml", []byte("version: 1\nsoup:\n  issues: {labels: [soup], id: 'SOUP-{number}', fields: {manufacturer: Supplier}}\n  sboms: ['sbom/*.json']\n"))
	if err != nil {
		t.Fatal(err)
	}
	is := c.SOUP.Issues
	if is == nil || is.ItemID(7) != "SOUP-7" || is.Heading("manufacturer", SOUPIssueFields) != "Supplier" ||
		is.Heading("anomalies", SOUPIssueFields) != "Known anomalies and their assessment" {
		t.Errorf("soup.issues: %+v", is)
	}
	// No register file beside the issues: the default path would be a
	// second register.
	if c.SOUP.Register != "" || c.IsDefault("soup.register") {
		t.Errorf("soup.register %q (defaulted %v)", c.SOUP.Register, c.IsDefault("soup.register"))
	}
	for _, tc := range []struct{ src, want string }{
		{"soup: { issues: { labels: [soup], id: 'SOUP-{number}' }, register: docs/soup.yml }", "p.yml:2:17: soup: the register is kept in a file (soup.register) or as GitHub issues (soup.issues), not both"},
		{"soup: { issues: { labels: [soup], id: 'SOUP-{number}' }, columns: { name: Library } }", "soup.columns maps the columns of a register file kept as a Markdown table"},
		{"soup: { issues: { labels: [soup], id: 'SOUP-{number}', fields: { publisher: Publisher } } }", `soup.issues.fields: "publisher" is not a field read from an issue (fields: anomalies, class, environment`},
		{"soup: { issues: { labels: [soup], id: 'SOUP-1' } }", "soup.issues.id"},
		{"soup: { issues: { labels: [soup] } }", "soup.issues"},
		{"soup: { issues: { id: 'SOUP-{number}' } }", "soup.issues"},
		{"soup: { issues: { labels: [], id: 'SOUP-{number}', path: x } }", "soup.issues"},
	} {
		_, err := Parse("p.yml", []byte("version: 1\n"+tc.src+"\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.src, err, tc.want)
		}
	}
}
