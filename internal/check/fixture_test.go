package check_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/fakerepo"
	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/ingest/readers"
	"github.com/tracegate/tracegate/internal/ingest/soupreg"
	"github.com/tracegate/tracegate/internal/osv/osvtest"
)

// The design history file of the table tests: a class B product with two
// requirements, their tests, a change request and a problem report kept as
// files (one of them closed), problem reports also as GitHub issues
// labelled bug, an SBOM and its register.
const policyB = `version: 1
safety_class: B
ids:
  requirement: 'SRS-\d+'
  problem_report: 'PRB-\d+'
  change_request: 'CR-\d+'
requirements:
  - path: "docs/requirements/*.yml"
tests:
  - path: "reports/*.xml"
    format: junit
problem_reports:
  labels: [bug]
  files: ["docs/problem-reports/*.yml"]
change_requests:
  labels: []
  files: ["docs/change-requests/*.yml"]
release:
  tag_pattern: "v*"
soup:
  register: docs/soup.yml
  sboms: ["sbom/*.cdx.json"]
`

const requirements = `requirements:
  - id: SRS-001
    title: Rate from the programme
    text: The pump shall compute the motor rate from the programmed rate.
    status: approved
  - id: SRS-002
    title: Rate range
    text: The pump shall reject a rate above 1200 mL/h.
    status: approved
`

// junit is a report of one passing test per requirement ID.
func junit(ids ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><testsuite name="unit" tests="` + strconv.Itoa(len(ids)) + `" failures="0" errors="0">`)
	for _, id := range ids {
		b.WriteString(`<testcase classname="rate" name="test_` + id + `"><properties><property name="requirement" value="` + id + `"/></properties></testcase>`)
	}
	b.WriteString(`</testsuite>`)
	return b.String()
}

const changeRequest = `id: CR-1
title: Add the rate range
state: open
approved: true
approved_by: M. Keller
approved_on: "2026-01-02"
`

const problemReport = `id: PRB-1
title: Rate rounds down
state: open
type: corrective
scope: dose engine
criticality: minor
investigation: The rate is truncated.
`

// sbomOf is a CycloneDX SBOM of components name@version.
func sbomOf(components ...string) string {
	var parts []string
	for _, c := range components {
		name, version, _ := strings.Cut(c, "@")
		parts = append(parts, `{"type":"library","name":"`+name+`","version":"`+version+`","purl":"pkg:golang/example.com/`+name+`@`+version+`"}`)
	}
	return `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[` + strings.Join(parts, ",") + `]}`
}

const register = `soup:
  - name: zlib
    manufacturer: zlib authors
    version: "1.3"
`

// baseFiles are the files of the first commit.
func baseFiles() map[string]string {
	return map[string]string{
		".github/tracegate.yml":          policyB,
		"docs/requirements/dose.yml":     requirements,
		"docs/change-requests/CR-1.yml":  changeRequest,
		"docs/problem-reports/PRB-1.yml": problemReport,
		"docs/problem-reports/PRB-9.yml": "id: PRB-9\ntitle: Fixed long ago\nstate: closed\ntype: corrective\nscope: s\ncriticality: minor\ninvestigation: i\n",
		"reports/unit.xml":               junit("SRS-001", "SRS-002"),
		"sbom/app.cdx.json":              sbomOf("zlib@1.2"),
		"docs/soup.yml":                  register,
		"src/rate.go":                    "package rate\n",
	}
}

// sources are Sources over a fake repository and tracker.
func sources(r *fakerepo.Repo, tr *fakerepo.Tracker) *check.Sources {
	src := &check.Sources{Repo: r, Readers: readers.All(), Register: soupreg.Read, RepoName: "acme/pump", Hosts: []string{"github.com"}}
	if tr != nil {
		src.Tracker, src.PRs = tr, tr
	} else {
		src.NoTracker = "no GitHub token was given"
	}
	return src
}

// findings are the IDs of the rules with findings, with their subjects.
func findings(res *gate.Result) map[string][]string {
	out := map[string][]string{}
	for _, f := range res.Findings {
		out[f.Rule] = append(out[f.Rule], f.Subject)
	}
	return out
}

func warned(ws []string, part string) bool {
	for _, w := range ws {
		if strings.Contains(w, part) {
			return true
		}
	}
	return false
}

func warningsOf(res *gate.Result) []string {
	var out []string
	for _, w := range res.Warnings {
		out = append(out, w.String())
	}
	return out
}

// goOSVDB is an offline OSV database in a commit's files: Go/all.zip of
// the corpus's Go records.
func goOSVDB(t testing.TB, dir string) map[string]string {
	t.Helper()
	return map[string]string{dir + "/Go/all.zip": string(osvtest.Archive(t, "../../testdata/osv/records/*GO-*.json"))}
}

var openIssue = facts.Issue{Ref: facts.IssueRef{Number: 12}, Title: "PRB-12: alarm too quiet", State: "open", Labels: []string{"bug"},
	Body: "### Type\n\ncorrective\n\n### Scope\n\nalarms\n\n### Criticality\n\nminor\n\n### Investigation\n\nThe gain is low.\n"}
