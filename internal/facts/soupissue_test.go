package facts

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// soupBody is a body as GitHub writes it from the SOUP form: a ### heading
// per field in form order, _No response_ for one left empty.
func soupBody(fields map[string]string) string {
	var b strings.Builder
	for _, f := range []string{"name", "purl", "version", "manufacturer", "identifier", "purpose", "license", "requirements", "environment",
		"items", "class", "risk_level", "verification", "review_version", "review_date", "reviewer", "review_sources", "anomalies"} {
		v, ok := fields[f]
		if !ok {
			v = "_No response_"
		}
		b.WriteString("### " + config.SOUPIssueFields[f] + "\n\n" + v + "\n\n")
	}
	return b.String()
}

var zlibFields = map[string]string{
	"name": "zlib", "purl": "pkg:github/madler/zlib", "version": "1.3.1", "manufacturer": "Jean-loup Gailly, Mark Adler",
	"requirements": "Inflate 1 MB in under 50 ms.", "environment": "Linux x86-64, glibc 2.36", "items": "dose-engine, alarms",
	"class": "C", "risk_level": "medium", "verification": "Integration tests of the log compressor.",
	"review_version": "1.3.1", "review_date": "2026-11-20", "reviewer": "M. Keller",
	"review_sources": "- https://osv.dev\n- https://github.com/madler/zlib/issues\n- zlib ChangeLog, 1.3.1",
	"anomalies":      "- CVE-2023-45853: not applicable, minizip is not built\n- https://github.com/madler/zlib/issues/868 — fixed in 1.3.1\nNo other anomaly is published for 1.3.1.",
}

func with(fields map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range fields {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
			continue
		}
		out[kv[i]] = kv[i+1]
	}
	return out
}

func TestSOUPFromIssue(t *testing.T) {
	src := config.IssueSource{Labels: []string{"soup"}, ID: "SOUP-{number}"}
	issue := func(body string) *Issue {
		return &Issue{Ref: IssueRef{Number: 7}, Title: "[SOUP] zlib compression library", Body: body, URL: "https://github.com/acme/pump/issues/7"}
	}
	pos := input.Pos{File: "https://github.com/acme/pump/issues/7"}
	full := model.SOUPItem{Name: "zlib", PURL: "pkg:github/madler/zlib", Title: "zlib compression library", Manufacturer: "Jean-loup Gailly, Mark Adler",
		Version: "1.3.1", Requirements: "Inflate 1 MB in under 50 ms.", Environment: "Linux x86-64, glibc 2.36", RiskLevel: "medium",
		Verification: "Integration tests of the log compressor.", Items: []string{"dose-engine", "alarms"}, Class: model.ClassC, Source: pos, Format: IssueFormat,
		AnomalyReview: &model.AnomalyReview{Version: "1.3.1", Date: "2026-11-20", Reviewer: "M. Keller", Source: pos,
			Sources: []string{"https://osv.dev", "https://github.com/madler/zlib/issues", "zlib ChangeLog, 1.3.1"},
			Summary: "No other anomaly is published for 1.3.1.",
			Anomalies: []model.ReviewedAnomaly{{ID: "CVE-2023-45853", Assessment: "not applicable, minizip is not built"},
				{ID: "https://github.com/madler/zlib/issues/868", Assessment: "fixed in 1.3.1"}}}}

	cases := []struct {
		name string
		body string
		src  config.IssueSource
		want func(*model.SOUPItem) // nil: an error is expected
		err  string                // the error's text, or a warning's
	}{
		{name: "every section", body: soupBody(zlibFields), want: func(*model.SOUPItem) {}},
		{name: "no manufacturer: read, for TG403 to judge", body: soupBody(with(zlibFields, "manufacturer", "")),
			want: func(it *model.SOUPItem) { it.Manufacturer = "" }},
		{name: "no anomaly review: none, for TG407 to judge", body: soupBody(with(zlibFields, "review_version", "", "review_date", "", "reviewer", "", "review_sources", "", "anomalies", "")),
			want: func(it *model.SOUPItem) { it.AnomalyReview = nil }},
		{name: "a review that names no version", body: soupBody(with(zlibFields, "review_version", "")),
			want: func(it *model.SOUPItem) { it.AnomalyReview.Version = "" }},
		{name: "anomalies: none published", body: soupBody(with(zlibFields, "anomalies", "None.")),
			want: func(it *model.SOUPItem) { it.AnomalyReview.Anomalies = nil; it.AnomalyReview.Summary = "None." }},
		{name: "a version range is read as written, for TG403", body: soupBody(with(zlibFields, "version", "^1.3")),
			want: func(it *model.SOUPItem) { it.Version = "^1.3" }},
		{name: "headings of the team's own form", src: config.IssueSource{ID: "SOUP-{number}", Fields: map[string]string{"manufacturer": "Supplier"}},
			body: strings.Replace(soupBody(zlibFields), "### Manufacturer\n", "### Supplier\n", 1), want: func(*model.SOUPItem) {}},
		{name: "no package name", body: soupBody(with(zlibFields, "name", "")), err: `SOUP-7: section "Package name": no package name`},
		{name: "a version over two lines", body: soupBody(with(zlibFields, "version", "1.3.1\n1.3.0 on the service tool")),
			err: `SOUP-7: section "Version": "1.3.1\n1.3.0 on the service tool" is not one line`},
		{name: "a class not A, B or C", body: soupBody(with(zlibFields, "class", "D")),
			err: `SOUP-7: section "Software safety class": unknown software safety class "D"`},
		{name: "not a package URL", body: soupBody(with(zlibFields, "purl", "zlib")),
			err: `SOUP-7: section "Package URL": "zlib" is not a package URL`},
		{name: "not a review date", body: soupBody(with(zlibFields, "review_date", "20.11.2026")),
			err: `SOUP-7: section "Anomaly review date": "20.11.2026" is not a date`},
		{name: "a purl with a version: warned, the version section counts", body: soupBody(with(zlibFields, "purl", "pkg:github/madler/zlib@1.2.13")),
			want: func(it *model.SOUPItem) { it.PURL = "pkg:github/madler/zlib@1.2.13" }, err: `the version "1.2.13" in pkg:github/madler/zlib@1.2.13 is ignored`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := src
			if tc.src.ID != "" {
				s = tc.src
			}
			got, warns, err := SOUPFromIssue(issue(tc.body), s)
			if tc.want == nil {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), pos.File) {
					t.Fatalf("error %v, want one at %s with %q", err, pos.File, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := full
			rev := *full.AnomalyReview
			want.AnomalyReview = &rev
			tc.want(&want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v\nreview got %+v\nwant %+v", got, want, got.AnomalyReview, want.AnomalyReview)
			}
			var w []string
			for _, x := range warns {
				w = append(w, x.String())
			}
			if ws := strings.Join(w, "\n"); (tc.err == "") != (ws == "") || !strings.Contains(ws, tc.err) {
				t.Errorf("warnings %q, want %q", ws, tc.err)
			}
		})
	}
}

func TestAnomalyLines(t *testing.T) {
	cases := []struct {
		in      string
		want    []model.ReviewedAnomaly
		summary string
	}{
		{"CVE-2022-37434: inflateGetHeader is not used", []model.ReviewedAnomaly{{ID: "CVE-2022-37434", Assessment: "inflateGetHeader is not used"}}, ""},
		{"1. GHSA-jfh8-c2jp-5v3q – mitigated by RC-4\n2. #42", []model.ReviewedAnomaly{{ID: "GHSA-jfh8-c2jp-5v3q", Assessment: "mitigated by RC-4"}, {ID: "#42"}}, ""},
		{"`CVE-2023-1` - fixed: upgraded", []model.ReviewedAnomaly{{ID: "CVE-2023-1", Assessment: "fixed: upgraded"}}, ""},
		{"No anomaly is published for 1.3.1.\nNone", nil, "No anomaly is published for 1.3.1.\nNone"},
		{"Checked on 2026-11-20: nothing relevant", nil, "Checked on 2026-11-20: nothing relevant"},
	}
	for _, tc := range cases {
		got, summary := anomalyLines(tc.in)
		if !reflect.DeepEqual(got, tc.want) || summary != tc.summary {
			t.Errorf("anomalyLines(%q) = %+v, %q; want %+v, %q", tc.in, got, summary, tc.want, tc.summary)
		}
	}
}

// FuzzSOUPFromIssue: any body is an entry with a package name, or an error
// at the issue; never a panic, never an entry without a name.
func FuzzSOUPFromIssue(f *testing.F) {
	f.Add(soupBody(zlibFields))
	f.Add(soupBody(with(zlibFields, "anomalies", "- `CVE-1` – x\n1) #2\nNone", "class", "class c")))
	f.Add("Package name: zlib\nVersion: 1.3.1\n")
	f.Add("### Package name\n\n```\n### Version\n```\n")
	src := config.IssueSource{Labels: []string{"soup"}, ID: "SOUP-{number}"}
	f.Fuzz(func(t *testing.T, body string) {
		it, _, err := SOUPFromIssue(&Issue{Ref: IssueRef{Number: 1}, Title: "[SOUP] x", Body: body}, src)
		if err != nil {
			if !strings.Contains(err.Error(), "SOUP-1: section ") {
				t.Fatalf("error names no section: %v", err)
			}
			return
		}
		if it.Name == "" || it.Name != strings.TrimSpace(it.Name) || strings.Contains(it.Version, "\n") {
			t.Fatalf("entry %+v", it)
		}
	})
}
