package releasedoc

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/trace"
)

func sampleMatrix(t *testing.T) *Matrix {
	t.Helper()
	c := config.Defaults()
	c.IDs.Requirement = `(?:SYS|SRS)-\d+`
	ids, err := trace.NewIDs(&c)
	if err != nil {
		t.Fatal(err)
	}
	dhf := &model.DHF{
		Requirements: []model.Requirement{
			{ID: "SYS-1", Title: "Deliver the programmed dose", Source: input.Pos{File: "r.yml", Line: 2}},
			{ID: "SRS-1", Title: "=HYPERLINK(\"x\") | pipe", Parents: []string{"SYS-1"}, RiskControls: []string{"RC-1"}, Source: input.Pos{File: "r.yml", Line: 9}},
			{ID: "SRS-2", Title: "Old", Status: "obsolete", Source: input.Pos{File: "r.yml", Line: 20}},
		},
		RiskControls: []model.RiskControl{{ID: "RC-1", Title: "Rate monitor"}},
		Hazards:      []model.Hazard{{ID: "HAZ-1", Controls: []string{"RC-1"}}},
		Tests: []model.TestCase{
			{Name: "TestRate", ClassName: "pump", Outcome: model.Passed, Requirements: []string{"SRS-1"}},
			{Name: "TestRateEdge", ClassName: "pump", Outcome: model.Failed, Requirements: []string{"SRS-1"}},
			{Name: "TestSkip", Outcome: model.Skipped},
		},
	}
	return NewMatrix(trace.Build(dhf, &c, ids), model.ClassC, []input.Warning{input.Warnf(input.Pos{File: "x.yml", Line: 4}, "repaired")})
}

func TestMatrixJSONShape(t *testing.T) {
	var buf bytes.Buffer
	if err := MatrixFormats.Write(&buf, "json", sampleMatrix(t)); err != nil {
		t.Fatal(err)
	}
	// The shape the issue promises to users: decode into exactly that.
	var got struct {
		Requirements []struct {
			ID, Title, Status string
			Tests             []struct{ Name, Result string }
			RiskControls      []string `json:"risk_controls"`
			Source            struct {
				File string
				Line int
			}
		}
		Tests struct{ Total, Passed, Failed, Skipped int }
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Requirements) != 3 || got.Requirements[0].ID != "SRS-1" {
		t.Fatalf("requirements = %+v", got.Requirements)
	}
	r := got.Requirements[0]
	if r.Status != "failed" || len(r.Tests) != 2 || r.Tests[0].Name != "pump.TestRate" || r.Tests[0].Result != "passed" ||
		r.Tests[1].Result != "failed" || len(r.RiskControls) != 1 || r.Source.Line != 9 {
		t.Errorf("SRS-1 row = %+v", r)
	}
	if got.Tests.Total != 3 || got.Tests.Passed != 1 || got.Tests.Failed != 1 || got.Tests.Skipped != 1 {
		t.Errorf("tests = %+v", got.Tests)
	}
}

func TestMatrixCSVIsSafeAndComplete(t *testing.T) {
	var buf bytes.Buffer
	if err := MatrixFormats.Write(&buf, "csv", sampleMatrix(t)); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want header + 3", len(rows))
	}
	if title := rows[1][1]; !strings.HasPrefix(title, "'=") {
		t.Errorf("formula not neutralised: %q", title)
	}
	if rows[2][6] != "false" || rows[2][5] != "obsolete" {
		t.Errorf("inactive row = %q", rows[2])
	}
}

func TestMatrixMarkdownEscapes(t *testing.T) {
	var buf bytes.Buffer
	if err := MatrixFormats.Write(&buf, "markdown", sampleMatrix(t)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| SRS-1") && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != 7 {
			t.Errorf("row has the wrong number of cells: %s", line)
		}
	}
	if !strings.Contains(out, "0 of 2 active requirements verified (0%), 1 failed, 1 unverified") {
		t.Errorf("coverage line missing:\n%s", out)
	}
}

func TestMatrixTextListsWarnings(t *testing.T) {
	var buf bytes.Buffer
	if err := MatrixFormats.Write(&buf, "text", sampleMatrix(t)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "x.yml:4: repaired") || !strings.Contains(buf.String(), "unverified (inactive)") {
		t.Errorf("text:\n%s", buf.String())
	}
	if err := MatrixFormats.Write(&buf, "xml", sampleMatrix(t)); err == nil {
		t.Error("unknown format accepted")
	}
}

// Items kept outside the repository are listed in every form of the matrix,
// with their namespace and the items that link to them; an evaluated
// failure shows its evaluation and stays failed.
func TestMatrixExternalAndEvaluated(t *testing.T) {
	c := config.Defaults()
	c.IDs.Requirement = `SRS-\d+`
	c.External = []config.External{{Name: "System requirements (Jira)", Pattern: `SR-\d+`, URL: "https://jira.example.com/browse/{id}"}}
	ids, err := trace.NewIDs(&c)
	if err != nil {
		t.Fatal(err)
	}
	dhf := &model.DHF{
		Requirements: []model.Requirement{{ID: "SRS-1", Title: "Alarm", Parents: []string{"SR-6"}, Source: input.Pos{File: "r.yml", Line: 1}}},
		Tests: []model.TestCase{{Name: "TestAlarm", Outcome: model.Failed, Requirements: []string{"SRS-1"}, Evaluation: "It is okay because of XYZ"},
			{Name: "step 1", ClassName: "Manual", Outcome: model.Passed, Manual: true, Requirements: []string{"SR-12"}}},
	}
	m := NewMatrix(trace.Build(dhf, &c, ids), model.ClassB, nil)
	if len(m.External) != 2 || m.External[0].ID != "SR-6" || m.External[0].URL != "https://jira.example.com/browse/SR-6" ||
		m.External[1].From[0] != "test Manual.step 1 (property)" || m.Requirements[0].External[0] != "SR-6" {
		t.Fatalf("external = %+v, row %+v", m.External, m.Requirements[0])
	}
	if m.Requirements[0].Status != trace.Failed {
		t.Errorf("an evaluated failure made SRS-1 %s", m.Requirements[0].Status)
	}
	for format, want := range map[string][]string{
		"text":     {"2 linked items kept outside the repository", "SR-6  System requirements (Jira), linked from requirement SRS-1 (parents)"},
		"markdown": {"### Items kept outside the repository", "| SR-12 | System requirements (Jira) | test Manual.step 1 (property) |", "TestAlarm (failed, evaluated: It is okay because of XYZ)"},
		"csv":      {"TestAlarm (failed, evaluated: It is okay because of XYZ)", ",SR-6,"},
		"json":     {`"evaluation": "It is okay because of XYZ"`, `"namespace": "System requirements (Jira)"`},
	} {
		var buf bytes.Buffer
		if err := MatrixFormats.Write(&buf, format, m); err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("%s lacks %q:\n%s", format, w, buf.String())
			}
		}
	}
}
