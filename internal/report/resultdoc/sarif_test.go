package resultdoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/input"
)

// The official schema, committed with its provenance in
// testdata/sarif/SOURCES.md. Formats (uri, uri-reference) are asserted.
var sarifSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "sarif", "sarif-schema-2.1.0.json"))
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(sarifSchemaURI, doc); err != nil {
		return nil, err
	}
	return c.Compile(sarifSchemaURI)
})

// Only the fields the assertions read.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name            string `json:"name"`
				Version         string `json:"version"`
				SemanticVersion string `json:"semanticVersion"`
				InformationURI  string `json:"informationUri"`
				Rules           []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct{ Text string }
					FullDescription  struct{ Text string }
					Help             struct{ Text, Markdown string }
					HelpURI          string `json:"helpUri"`
					Properties       struct {
						Tags []string `json:"tags"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		AutomationDetails struct{ ID string } `json:"automationDetails"`
		Invocations       []struct {
			ExecutionSuccessful bool `json:"executionSuccessful"`
			Notifications       []struct {
				Level   string
				Message struct{ Text string }
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Properties          struct {
				Subject          string   `json:"subject"`
				Clauses          []string `json:"clauses"`
				Class            string   `json:"class"`
				ReportedLocation string   `json:"reportedLocation"`
			} `json:"properties"`
		} `json:"results"`
		Properties map[string]any `json:"properties"`
	} `json:"runs"`
}

// writeSARIF renders r, validates the file against the official schema
// and against what GitHub code scanning requires beyond it, and decodes it.
func writeSARIF(t *testing.T, r *gate.Result, catalog []gate.Rule, o SARIFOptions) (*sarifDoc, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, r, catalog, o); err != nil {
		t.Fatal(err)
	}
	sch, err := sarifSchema()
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("not valid SARIF 2.1.0: %v", err)
	}
	var doc sarifDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	checkGitHubSARIF(t, &doc, buf.Len())
	return &doc, buf.Bytes()
}

// checkGitHubSARIF asserts GitHub's requirements beyond the schema ("SARIF
// support for code scanning"): required strings not empty, descriptions
// within 1,024 characters and names within 255, at most 20 tags, one run,
// at most 25,000 results, each with a physical location whose URI is
// relative to the repository and whose region has a startLine, a
// primaryLocationLineHash, and a ruleIndex that points at its rule.
func checkGitHubSARIF(t *testing.T, doc *sarifDoc, size int) {
	t.Helper()
	if doc.Schema == "" || doc.Version != "2.1.0" || len(doc.Runs) != 1 {
		t.Fatalf("$schema %q, version %q, %d runs", doc.Schema, doc.Version, len(doc.Runs))
	}
	if size > DefaultSARIFMaxBytes {
		t.Errorf("%d bytes, over 10 MB", size)
	}
	run := doc.Runs[0]
	d := run.Tool.Driver
	if d.Name != "tracegate" || d.InformationURI == "" {
		t.Errorf("driver %q, informationUri %q", d.Name, d.InformationURI)
	}
	ids := map[string]bool{}
	for _, r := range d.Rules {
		if ids[r.ID] {
			t.Errorf("rule %s twice", r.ID)
		}
		ids[r.ID] = true
		if r.ID == "" || strings.TrimSpace(r.ShortDescription.Text) == "" || strings.TrimSpace(r.FullDescription.Text) == "" || strings.TrimSpace(r.Help.Text) == "" {
			t.Errorf("rule %q lacks a required text: %+v", r.ID, r)
		}
		if utf8.RuneCountInString(r.ShortDescription.Text) > 1024 || utf8.RuneCountInString(r.FullDescription.Text) > 1024 || utf8.RuneCountInString(r.Name) > 255 {
			t.Errorf("rule %s: a text is over GitHub's limit", r.ID)
		}
		if len(r.Properties.Tags) > 20 {
			t.Errorf("rule %s: %d tags", r.ID, len(r.Properties.Tags))
		}
	}
	if len(run.Results) > DefaultSARIFMaxResults {
		t.Errorf("%d results", len(run.Results))
	}
	hashes := map[string]bool{}
	for i, res := range run.Results {
		if res.RuleIndex < 0 || res.RuleIndex >= len(d.Rules) || d.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleIndex %d does not point at rule %s", i, res.RuleIndex, res.RuleID)
		}
		if res.Level != "error" && res.Level != "warning" && res.Level != "note" {
			t.Errorf("result %d: level %q", i, res.Level)
		}
		if strings.TrimSpace(res.Message.Text) == "" {
			t.Errorf("result %d: empty message", i)
		}
		if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation == nil {
			t.Fatalf("result %d: %d locations; GitHub rejects the whole file for a result without a physical location", i, len(res.Locations))
		}
		pl := res.Locations[0].PhysicalLocation
		u, err := url.Parse(pl.ArtifactLocation.URI)
		if err != nil || u.IsAbs() || u.Host != "" || strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "../") || u.Path == "" {
			t.Errorf("result %d: uri %q is not relative to the repository", i, pl.ArtifactLocation.URI)
		}
		if pl.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("result %d: uriBaseId %q", i, pl.ArtifactLocation.URIBaseID)
		}
		if pl.Region == nil || pl.Region.StartLine < 1 {
			t.Errorf("result %d: region without startLine ≥ 1", i)
		}
		h := res.PartialFingerprints["primaryLocationLineHash"]
		if h == "" || hashes[h] {
			t.Errorf("result %d: primaryLocationLineHash %q empty or repeated", i, h)
		}
		hashes[h] = true
	}
	if len(run.Invocations) != 1 {
		t.Errorf("%d invocations", len(run.Invocations))
	}
}

func TestSARIFVerdicts(t *testing.T) {
	catalog := gate.Catalog()
	fail := baseResult(gate.Fail)
	fail.Findings = []gate.Finding{
		finding("TG101", gate.SevError, "SRS-1", "SRS-1 is defined 2 times; also at requirements/srs.yml:20", &input.Pos{File: "requirements/srs.yml", Line: 9, Col: 3}),
		finding("TG100", gate.SevError, "requirements", "no requirements were read", nil),
		finding("TG117", gate.SevWarning, "RC-1", "RC-1 has no kind", &input.Pos{File: "/home/runner/work/risk.yml", Line: 4}),
		finding("TG999", gate.SevNote, "X-1", "a rule the catalog does not have [see](javascript:x)", &input.Pos{File: "dir with space/ü#1.yml", Line: 2}),
	}
	fail.Warnings = []input.Warning{input.Warnf(input.Pos{File: "risk.yml", Line: 3}, "supplier repaired")}
	summarise(fail)
	pass := summarise(baseResult(gate.Pass))
	errored := gate.Errored(gate.GateRelease, []string{"tests/junit.xml:1:1: not XML", "sbom.json: permission denied"})

	t.Run("fail", func(t *testing.T) {
		doc, _ := writeSARIF(t, fail, catalog, SARIFOptions{})
		run := doc.Runs[0]
		if !run.Invocations[0].ExecutionSuccessful {
			t.Error("a completed evaluation is marked unsuccessful")
		}
		if len(run.Results) != 4 {
			t.Fatalf("%d results, want 4", len(run.Results))
		}
		if len(run.Tool.Driver.Rules) != len(catalog)+2 { // + TG000 + the unknown TG999
			t.Errorf("%d rules, want the catalog's %d + TG000 + TG999", len(run.Tool.Driver.Rules), len(catalog))
		}
		byRule := map[string]int{}
		for i, r := range run.Results {
			byRule[r.RuleID] = i
		}
		tg101 := run.Results[byRule["TG101"]]
		loc := tg101.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != "requirements/srs.yml" || loc.Region.StartLine != 9 || loc.Region.StartColumn != 3 ||
			tg101.Message.Text != "SRS-1: SRS-1 is defined 2 times; also at requirements/srs.yml:20" || tg101.Level != "error" ||
			tg101.Properties.Subject != "SRS-1" || len(tg101.Properties.Clauses) != 2 || tg101.Properties.Class != "B" {
			t.Errorf("TG101 result = %+v at %+v %+v", tg101, loc.ArtifactLocation, loc.Region)
		}
		// No location: anchored at the policy file, line 1, saying so.
		tg100 := run.Results[byRule["TG100"]]
		if l := tg100.Locations[0].PhysicalLocation; l.ArtifactLocation.URI != ".github/tracegate.yml" || l.Region.StartLine != 1 ||
			!strings.Contains(tg100.Message.Text, "(No file location: shown at the top of .github/tracegate.yml.)") {
			t.Errorf("TG100 without a location = %+v at %+v", tg100.Message, l.ArtifactLocation)
		}
		// Outside the repository: anchored, with the reported place kept.
		tg117 := run.Results[byRule["TG117"]]
		if l := tg117.Locations[0].PhysicalLocation; l.ArtifactLocation.URI != ".github/tracegate.yml" ||
			tg117.Properties.ReportedLocation != "/home/runner/work/risk.yml:4" || !strings.Contains(tg117.Message.Text, "Reported at /home/runner/work/risk.yml:4") {
			t.Errorf("TG117 outside the repository = %+v", tg117)
		}
		tg999 := run.Results[byRule["TG999"]]
		if l := tg999.Locations[0].PhysicalLocation; l.ArtifactLocation.URI != "dir%20with%20space/%C3%BC%231.yml" {
			t.Errorf("uri = %q", l.ArtifactLocation.URI)
		} else if u, _ := url.Parse(l.ArtifactLocation.URI); u.Path != "dir with space/ü#1.yml" {
			t.Errorf("uri decodes to %q", u.Path)
		}
		if !strings.Contains(tg999.Message.Text, `\[see\](javascript:x)`) {
			t.Errorf("brackets not escaped in %q", tg999.Message.Text)
		}
		d := run.Tool.Driver
		if d.Version != "v1.4.2" || d.SemanticVersion != "1.4.2" || run.AutomationDetails.ID != "tracegate/validate/" {
			t.Errorf("version %q / %q, category %q", d.Version, d.SemanticVersion, run.AutomationDetails.ID)
		}
		rule := d.Rules[tg101.RuleIndex]
		if rule.Name != "unique-id" || rule.HelpURI != DefaultRulesDoc+"#tg101" || !strings.Contains(rule.Help.Markdown, "**Remediation:**") ||
			!strings.Contains(rule.Help.Text, "IEC 62304 5.2.6") || strings.Join(rule.Properties.Tags, ",") != "tracegate,validate,iec62304,IEC 62304 5.2.6,IEC 62304 8.1.1" {
			t.Errorf("rule TG101 = %+v", rule)
		}
		notes := run.Invocations[0].Notifications
		if len(notes) != 1 || notes[0].Level != "warning" || !strings.Contains(notes[0].Message.Text, "risk.yml:3: supplier repaired") {
			t.Errorf("notifications = %+v", notes)
		}
	})
	t.Run("pass", func(t *testing.T) {
		doc, _ := writeSARIF(t, pass, catalog, SARIFOptions{})
		run := doc.Runs[0]
		if !run.Invocations[0].ExecutionSuccessful || len(run.Results) != 0 || len(run.Invocations[0].Notifications) != 0 {
			t.Errorf("pass: %+v, %d results", run.Invocations, len(run.Results))
		}
	})
	t.Run("error", func(t *testing.T) {
		doc, _ := writeSARIF(t, errored, catalog, SARIFOptions{})
		run := doc.Runs[0]
		inv := run.Invocations[0]
		if inv.ExecutionSuccessful {
			t.Error("an evaluation that could not complete is marked successful")
		}
		if len(inv.Notifications) != 2 || inv.Notifications[0].Level != "error" || !strings.Contains(inv.Notifications[0].Message.Text, "tests/junit.xml:1:1: not XML") {
			t.Errorf("notifications = %+v", inv.Notifications)
		}
		// An upload without results would close every alert as fixed: the
		// errors are results too.
		if len(run.Results) != 2 {
			t.Fatalf("%d results for 2 evaluation errors", len(run.Results))
		}
		for _, r := range run.Results {
			if r.RuleID != EvaluationErrorRule || r.Level != "error" || !strings.Contains(r.Message.Text, "could not complete") {
				t.Errorf("evaluation error result = %+v", r)
			}
		}
		if run.Properties["verdict"] != "error" {
			t.Errorf("properties = %v", run.Properties)
		}
	})
}

func TestSARIFCatalogHasNoEvaluationErrorRule(t *testing.T) {
	for _, r := range gate.Catalog() {
		if r.ID == EvaluationErrorRule {
			t.Fatalf("the catalog defines %s, which SARIF uses for evaluation errors", r.ID)
		}
	}
}

func TestSARIFAnchor(t *testing.T) {
	tests := []struct {
		policy, anchor, want string
	}{
		{".github/tracegate.yml", "", ".github/tracegate.yml"},
		{"policies/strict.yml", "", "policies/strict.yml"},
		{"", "", ".github/tracegate.yml"},
		{"/abs/policy.yml", "", ".github/tracegate.yml"},
		{"../policy.yml", "", ".github/tracegate.yml"},
		{"policies/strict.yml", ".github/workflows/ci.yml", ".github/workflows/ci.yml"},
		{"policies/strict.yml", "/not/relative", "policies/strict.yml"},
	}
	for _, tc := range tests {
		r := baseResult(gate.Fail)
		r.Policy.File = tc.policy
		r.Findings = []gate.Finding{finding("TG100", gate.SevError, "requirements", "none", nil)}
		doc, _ := writeSARIF(t, summarise(r), gate.Catalog(), SARIFOptions{Anchor: tc.anchor})
		if got := doc.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != tc.want {
			t.Errorf("policy %q anchor %q: at %q, want %q", tc.policy, tc.anchor, got, tc.want)
		}
	}
}

func TestSARIFFingerprintsAreStable(t *testing.T) {
	hash := func(f gate.Finding) string {
		r := baseResult(gate.Fail)
		r.Findings = []gate.Finding{f}
		doc, _ := writeSARIF(t, summarise(r), nil, SARIFOptions{})
		return doc.Runs[0].Results[0].PartialFingerprints["primaryLocationLineHash"]
	}
	a := hash(finding("TG101", gate.SevError, "SRS-1", "SRS-1 is defined 2 times; also at r.yml:20:3", &input.Pos{File: "r.yml", Line: 9}))
	moved := hash(finding("TG101", gate.SevError, "SRS-1", "SRS-1 is defined 2 times; also at r.yml:31:3", &input.Pos{File: "r.yml", Line: 14}))
	other := hash(finding("TG101", gate.SevError, "SRS-2", "SRS-2 is defined 2 times; also at r.yml:20:3", &input.Pos{File: "r.yml", Line: 9}))
	if a != moved {
		t.Errorf("moving the lines changed the fingerprint: %s, %s", a, moved)
	}
	if a == other {
		t.Error("another subject has the same fingerprint")
	}
	r := baseResult(gate.Fail)
	twin := finding("TG101", gate.SevError, "SRS-1", "same", nil)
	r.Findings = []gate.Finding{twin, twin}
	doc, _ := writeSARIF(t, summarise(r), nil, SARIFOptions{})
	h1, h2 := doc.Runs[0].Results[0].PartialFingerprints["primaryLocationLineHash"], doc.Runs[0].Results[1].PartialFingerprints["primaryLocationLineHash"]
	if !strings.HasSuffix(h1, ":1") || !strings.HasSuffix(h2, ":2") || h1[:len(h1)-2] != h2[:len(h2)-2] {
		t.Errorf("identical findings: %s, %s; want the same hash with occurrences 1 and 2", h1, h2)
	}
}

func TestSARIFLimitsKeepTheMostSevere(t *testing.T) {
	r := baseResult(gate.Fail)
	sevs := []gate.Severity{gate.SevNote, gate.SevWarning, gate.SevError}
	for i := 0; i < 300; i++ {
		r.Findings = append(r.Findings, finding("TG10"+fmt.Sprint(i%3), sevs[i%3], fmt.Sprintf("S-%d", i), strings.Repeat("long message ", 20), &input.Pos{File: "a.yml", Line: i + 1}))
	}
	summarise(r)
	tests := []struct {
		name       string
		o          SARIFOptions
		maxResults int
	}{
		{"results", SARIFOptions{MaxResults: 120}, 120},
		{"bytes", SARIFOptions{MaxBytes: 200000}, 300},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, data := writeSARIF(t, r, gate.Catalog(), tc.o)
			if tc.o.MaxBytes > 0 && len(data) > tc.o.MaxBytes {
				t.Fatalf("%d bytes, over %d", len(data), tc.o.MaxBytes)
			}
			run := doc.Runs[0]
			kept := len(run.Results)
			if kept == 0 || kept >= 300 || kept > tc.maxResults {
				t.Fatalf("%d results kept", kept)
			}
			// The most severe are kept: levels never rise along the list,
			// and no note is kept while an error is left out.
			rank := map[string]int{"error": 3, "warning": 2, "note": 1}
			for i := 1; i < kept; i++ {
				if rank[run.Results[i].Level] > rank[run.Results[i-1].Level] {
					t.Fatalf("result %d (%s) after a %s", i, run.Results[i].Level, run.Results[i-1].Level)
				}
			}
			if errs := 100; kept >= errs && run.Results[errs-1].Level != "error" || kept < errs && run.Results[kept-1].Level != "error" {
				t.Errorf("a less severe result was kept before every error")
			}
			omitted := 300 - kept
			found := false
			for _, n := range run.Invocations[0].Notifications {
				found = found || (n.Level == "warning" && strings.HasPrefix(n.Message.Text, fmt.Sprintf("%d of 300 results are not in this file", omitted)))
			}
			if !found || run.Properties["resultsOmitted"] != float64(omitted) {
				t.Errorf("%d results left out without saying so: %+v, %v", omitted, run.Invocations[0].Notifications, run.Properties["resultsOmitted"])
			}
		})
	}
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, r, gate.Catalog(), SARIFOptions{MaxBytes: 500}); err == nil {
		t.Error("a limit that holds not even the rules was met")
	}
}

func TestSARIFSemanticVersion(t *testing.T) {
	for v, want := range map[string]string{"v1.2.3": "1.2.3", "1.0.0-rc.1+build.5": "1.0.0-rc.1+build.5", "devel": "", "v1.2": "", "": ""} {
		r := baseResult(gate.Pass)
		r.Tool.Version = v
		doc, _ := writeSARIF(t, summarise(r), nil, SARIFOptions{})
		if got := doc.Runs[0].Tool.Driver.SemanticVersion; got != want {
			t.Errorf("version %q: semanticVersion %q, want %q", v, got, want)
		}
	}
}

func TestSARIFHostileInputStaysValid(t *testing.T) {
	r := baseResult("maybe")
	for i, h := range []string{"", "  ", "\xff\xfe", "\u202Eevil", "a\x00b", "file:///etc/passwd", "C:\\x.yml", "..", "a/../../b", "%zz", "(built-in default policy)"} {
		r.Findings = append(r.Findings, gate.Finding{Rule: h, Name: h, Severity: gate.Severity(h), Subject: h, Message: h, Clauses: []string{h, h},
			Location: &input.Pos{File: h, Line: -i, Col: -1}})
		r.Warnings = append(r.Warnings, input.Warnf(input.Pos{File: h, Line: -1}, "%s", h))
	}
	r.Gate, r.Tool.Version = "Bad Gate/../x", "\u202E"
	doc, _ := writeSARIF(t, summarise(r), nil, SARIFOptions{RulesDoc: "not a url", SourceRoot: "relative/"})
	run := doc.Runs[0]
	if run.Invocations[0].ExecutionSuccessful {
		t.Error("an unknown verdict is marked successful")
	}
	if run.AutomationDetails.ID != "" {
		t.Errorf("category from a hostile gate name: %q", run.AutomationDetails.ID)
	}
	for _, res := range run.Results {
		if strings.ContainsRune(res.Message.Text, '\u202E') || strings.ContainsRune(res.Message.Text, 0) {
			t.Errorf("control characters survive in %q", res.Message.Text)
		}
	}
}

// BenchmarkWriteSARIF renders 2,000 findings against the whole catalog:
// the size of a release gate on a large design history file.
func BenchmarkWriteSARIF(b *testing.B) {
	r := baseResult(gate.Fail)
	sevs := []gate.Severity{gate.SevNote, gate.SevWarning, gate.SevError}
	for i := range 2000 {
		r.Findings = append(r.Findings, finding("TG10"+fmt.Sprint(i%3), sevs[i%3], fmt.Sprintf("SRS-%d", i), "SRS-1 has no passing verification", &input.Pos{File: "docs/requirements/srs.yml", Line: i + 1, Col: 3}))
	}
	summarise(r)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := WriteSARIF(&buf, r, gate.Catalog(), SARIFOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}
