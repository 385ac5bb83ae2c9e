package scaffold

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/facts"
)

// issueForm is the part of a GitHub issue form these tests read.
type issueForm struct {
	Title  string
	Labels []string
	Body   []struct {
		Type       string
		ID         string
		Attributes struct{ Label string }
	}
}

// The SOUP form init --soup-issues writes and the headings the reader
// takes by default are one list (config.SOUPIssueFields renders the
// form's labels): every field has its input, every input is a field, and
// the body GitHub writes from the form reads back whole. The policy it
// writes keeps the register as issues with the form's label.
func TestSOUPForm(t *testing.T) {
	found, err := Inspect(fstest.MapFS{"README.md": {Data: []byte("# pump\n")}})
	if err != nil {
		t.Fatal(err)
	}
	files, err := Plan(found, Options{SOUPIssues: true})
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string][]byte{}
	for _, f := range files {
		byPath[f.Path] = f.Data
	}
	if _, ok := byPath["docs/soup/soup.yml"]; ok {
		t.Error("a register file is written beside the issues")
	}
	var form issueForm
	if err := yaml.Unmarshal(byPath[SOUPForm], &form); err != nil {
		t.Fatalf("%s: %v\n%s", SOUPForm, err, byPath[SOUPForm])
	}
	if !slices.Equal(form.Labels, []string{SOUPLabel}) {
		t.Errorf("form labels %v", form.Labels)
	}
	var labels []string
	seen := map[string]bool{}
	body := ""
	for _, el := range form.Body {
		if el.Type == "markdown" {
			continue
		}
		want, ok := config.SOUPIssueFields[el.ID]
		if !ok || el.Attributes.Label != want {
			t.Errorf("form field %s: label %q, the reader's heading %q", el.ID, el.Attributes.Label, want)
		}
		seen[el.ID] = true
		labels = append(labels, el.Attributes.Label)
		// GitHub writes each answer under its label; a class is A to C.
		answer := "x-" + el.ID
		switch el.ID {
		case "class":
			answer = "B"
		case "purl":
			answer = "pkg:npm/x"
		case "review_date":
			answer = "2026-11-20"
		case "anomalies":
			answer = "CVE-2026-1: not applicable"
		}
		body += "### " + el.Attributes.Label + "\n\n" + answer + "\n\n"
	}
	for f := range config.SOUPIssueFields {
		if !seen[f] {
			t.Errorf("the form has no field %s (%q)", f, config.SOUPIssueFields[f])
		}
	}
	c, err := config.Parse(config.DefaultPath, byPath[config.DefaultPath])
	if err != nil {
		t.Fatal(err)
	}
	is := c.SOUP.Issues
	if is == nil || !slices.Equal(is.Labels, form.Labels) || c.SOUP.Register != "" {
		t.Fatalf("policy soup: %+v", c.SOUP)
	}
	it, _, err := facts.SOUPFromIssue(&facts.Issue{Ref: facts.IssueRef{Number: 3}, Title: form.Title + "x", Body: body}, *is)
	if err != nil {
		t.Fatal(err)
	}
	r := it.AnomalyReview
	for name, v := range map[string]string{"name": it.Name, "manufacturer": it.Manufacturer, "version": it.Version, "identifier": it.Identifier,
		"purpose": it.Purpose, "license": it.License, "requirements": it.Requirements, "environment": it.Environment, "risk_level": it.RiskLevel,
		"verification": it.Verification, "items": strings.Join(it.Items, ","), "review_version": r.Version, "reviewer": r.Reviewer,
		"review_sources": strings.Join(r.Sources, ",")} {
		if v != "x-"+name {
			t.Errorf("%s read as %q", name, v)
		}
	}
	if it.Title != "x" || it.PURL != "pkg:npm/x" || it.Class != "B" || r.Date != "2026-11-20" || len(r.Anomalies) != 1 {
		t.Errorf("entry %+v, review %+v", it, r)
	}

	// The fixture the end-to-end tests serve is a body of this form.
	fixture, err := os.ReadFile("../../testdata/formats/issue-forms/soup-7.md")
	if err != nil {
		t.Fatal(err)
	}
	var headings []string
	for _, m := range regexp.MustCompile(`(?m)^### (.+)$`).FindAllStringSubmatch(string(fixture), -1) {
		headings = append(headings, m[1])
	}
	if !slices.Equal(headings, labels) {
		t.Errorf("soup-7.md headings\n %q\nthe form's\n %q", headings, labels)
	}

	// A register file already there and issues would be two registers.
	found.Register = "docs/soup/soup.yml"
	if _, err := Plan(found, Options{SOUPIssues: true}); err == nil || !strings.Contains(err.Error(), "would make two") {
		t.Errorf("register and --soup-issues: %v", err)
	}
}
