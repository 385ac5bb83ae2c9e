package osv

import (
	"encoding/json"
	"strings"
	"testing"
)

func parseCorpusRecord(t *testing.T, rel string) *Record {
	t.Helper()
	return parseBytes(t, readCorpus(t, rel))
}

func parseBytes(t *testing.T, data []byte) *Record {
	t.Helper()
	r, _, err := ParseRecord(data)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// collectionRecord returns one record of a corpus collection by id.
func collectionRecord(t *testing.T, coll, id string) []byte {
	t.Helper()
	var c struct {
		Vulns []json.RawMessage `json:"vulns"`
	}
	if err := json.Unmarshal(readCorpus(t, "collections/"+coll), &c); err != nil {
		t.Fatal(err)
	}
	for _, v := range c.Vulns {
		if recordID(t, v) == id {
			return v
		}
	}
	t.Fatalf("%s not in %s", id, coll)
	return nil
}

// keepAffected reduces a record to its affected entries for one package
// name, and drops their versions lists when ranges must decide alone.
func keepAffected(name string, dropVersions bool) func(map[string]any) {
	return func(m map[string]any) {
		var keep []any
		for _, a := range m["affected"].([]any) {
			a := a.(map[string]any)
			if p, ok := a["package"].(map[string]any); ok && p["name"] == name {
				if dropVersions {
					delete(a, "versions")
				}
				keep = append(keep, a)
			}
		}
		m["affected"] = keep
	}
}

type matchCase struct {
	version  string
	affected bool
}

// checkMatches runs the matcher over versions of one package.
func checkMatches(t *testing.T, rec *Record, eco, name string, cases []matchCase, wantEvidence ...string) {
	t.Helper()
	for _, c := range cases {
		coord := Coordinate{Ecosystem: eco, Name: name, Version: c.version}
		m, ok := matchRecord(rec, coord, nil)
		if ok != c.affected || m.Indeterminate {
			t.Errorf("%s %s: matched = %v (indeterminate %v, %q), want %v", rec.ID, coord, ok, m.Indeterminate, m.Evidence, c.affected)
			continue
		}
		for _, w := range wantEvidence {
			if ok && !strings.Contains(m.Evidence, w) {
				t.Errorf("%s %s: evidence %q lacks %q", rec.ID, coord, m.Evidence, w)
			}
		}
	}
}

// The ready-made cases of testdata/osv/SOURCES.md against real SBOM
// components, each with its neighbours on both sides of the boundary.
func TestMatchSourcesTable(t *testing.T) {
	t.Run("x/net pseudo-version below fixed 0.4.0", func(t *testing.T) {
		rec := parseCorpusRecord(t, "records/osv-scalibr__GO-2022-1144.json")
		// Through resolve, as the SBOM writes it: purl with the leading v.
		coords, why := resolve(Package{PURL: "pkg:golang/golang.org/x/net@v0.0.0-20210525063256-abc453219eb5?type=module"})
		if why != "" {
			t.Fatal(why)
		}
		m, ok := matchRecord(rec, coords[0], nil)
		if !ok || m.Indeterminate || !strings.Contains(m.Evidence, "fixed 0.4.0") {
			t.Fatalf("GO-2022-1144 on %v: %v %+v", coords[0], ok, m)
		}
		checkMatches(t, rec, "Go", "golang.org/x/net", []matchCase{
			{"0.3.1-0.20221206200815-1e63c2f08a10", true}, // pseudo-version just before the fix
			{"0.4.0", false},
			{"0.4.1-0.20230101000000-abcdefabcdef", false}, // pseudo-version after it
			{"0.5.0", false},
		})
		// The record's stdlib entry is not golang.org/x/net's.
		checkMatches(t, rec, "Go", "stdlib", []matchCase{{"1.18.8", true}, {"1.18.9", false}, {"1.19.3", true}, {"1.19.4", false}})
	})
	t.Run("gogo/protobuf at fixed 1.3.2", func(t *testing.T) {
		rec := parseCorpusRecord(t, "records/osv-scalibr__GO-2021-0053.json")
		coords, why := resolve(Package{PURL: "pkg:golang/github.com/gogo/protobuf@v1.3.2?type=module"})
		if why != "" {
			t.Fatal(why)
		}
		if m, ok := matchRecord(rec, coords[0], nil); ok {
			t.Fatalf("v1.3.2 is the fixed version, matched: %+v", m)
		}
		checkMatches(t, rec, "Go", "github.com/gogo/protobuf", []matchCase{{"1.3.1", true}, {"1.3.2", false}, {"1.3.3", false}})
	})
	t.Run("requests at fixed 2.31.0, GIT range ignored", func(t *testing.T) {
		rec := parseCorpusRecord(t, "records/ossf-osv-schema__PYSEC-2023-74.json")
		coords, why := resolve(Package{PURL: "pkg:pypi/requests@2.31.0"})
		if why != "" {
			t.Fatal(why)
		}
		if m, ok := matchRecord(rec, coords[0], nil); ok {
			t.Fatalf("2.31.0 is the fixed version, matched: %+v", m)
		}
		// 2.30.0 is in the versions list; 2.2.1 is before introduced; the
		// GIT range ("introduced 0, fixed <commit>") would cover both if
		// its commits were read as versions.
		checkMatches(t, rec, "PyPI", "requests", []matchCase{{"2.2.1", false}, {"2.3.0", true}, {"2.30.0", true}, {"2.31.0", false}, {"2.32.0", false}})
		// Without its versions list the ECOSYSTEM range decides alone.
		bare := parseBytes(t, mutate(t, readCorpus(t, "records/ossf-osv-schema__PYSEC-2023-74.json"), keepAffected("requests", true)))
		checkMatches(t, bare, "PyPI", "requests", []matchCase{{"2.2.1", false}, {"2.3.0", true}, {"2.30.0", true}, {"2.31", false}, {"2.31.0", false}},
			"ECOSYSTEM range introduced 2.3.0, fixed 2.31.0")
	})
}

func TestMatchEdgeCases(t *testing.T) {
	t.Run("introduced 0 and two introduced events", func(t *testing.T) {
		rec := parseCorpusRecord(t, "records/osv-scalibr__GO-2024-2887.json")
		checkMatches(t, rec, "Go", "stdlib", []matchCase{
			{"1.0.0", true}, {"1.21.10", true}, {"1.21.11", false}, {"1.21.20", false},
			{"1.22.0-rc.1", true}, {"1.22.0", true}, {"1.22.3", true}, {"1.22.4", false}, {"1.23.0", false},
		})
	})
	t.Run("unsorted events", func(t *testing.T) {
		rev := mutate(t, readCorpus(t, "records/osv-scalibr__GO-2024-2887.json"), func(m map[string]any) {
			evs := m["affected"].([]any)[0].(map[string]any)["ranges"].([]any)[0].(map[string]any)["events"].([]any)
			for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
				evs[i], evs[j] = evs[j], evs[i]
			}
		})
		rec := parseBytes(t, rev)
		if rec.Affected[0].Ranges[0].Events[0].Fixed != "1.22.4" {
			t.Fatal("events not reversed")
		}
		checkMatches(t, rec, "Go", "stdlib", []matchCase{
			{"1.0.0", true}, {"1.21.11", false}, {"1.22.0", true}, {"1.22.4", false},
		})
	})
	t.Run("last_affected", func(t *testing.T) {
		// Real: GHSA-6hgm-866r-3cjv gives last_affected 4.0.1 and no versions.
		data := mutate(t, collectionRecord(t, "osv-scalibr__zeppelin-server-vulnerabilities.json", "GHSA-6hgm-866r-3cjv"),
			keepAffected("net.sourceforge.collections:collections-generic", false))
		rec := parseBytes(t, data)
		checkMatches(t, rec, "Maven", "net.sourceforge.collections:collections-generic",
			[]matchCase{{"4.0", true}, {"4.0.1", true}, {"4.0.2", false}, {"5.0", false}}, "last affected 4.0.1")
	})
	t.Run("versions only", func(t *testing.T) {
		rec := parseCorpusRecord(t, "records/ossf-osv-schema__GHSA-9v2f-6vcg-3hgv.json")
		// PyPI's "Gradio" is the SBOM's "gradio".
		coords, _ := resolve(Package{PURL: "pkg:pypi/gradio@4.36.1"})
		if m, ok := matchRecord(rec, coords[0], nil); !ok || !strings.Contains(m.Evidence, "listed") {
			t.Fatalf("gradio 4.36.1: %v %+v", ok, m)
		}
		checkMatches(t, rec, "PyPI", "gradio", []matchCase{{"4.36.0", false}, {"4.37.0", false}})
		mal := parseCorpusRecord(t, "records/ossf-osv-schema__MAL-2024-10238.json")
		checkMatches(t, mal, "PyPI", "123bla", []matchCase{{"0.0.1", true}, {"0.0.2", false}})
		// Maven: an entry with a versions list and no ranges.
		cls := parseBytes(t, collectionRecord(t, "osv-scalibr__maven-classifier-vulnerabilities.json", "GHSA-c4r9-r8fh-9vj2"))
		var listed string
		for _, a := range cls.Affected {
			if a.Package.Name == "be.cylab:snakeyaml" {
				listed = a.Versions[0]
			}
		}
		checkMatches(t, cls, "Maven", "be.cylab:snakeyaml", []matchCase{{listed, true}, {listed + ".1", false}})
	})
	t.Run("limit", func(t *testing.T) {
		rec := parseBytes(t, []byte(`{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"},
			"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"limit":"2.0.0"}]}]}]}`))
		checkMatches(t, rec, "npm", "a", []matchCase{{"1.9.9", true}, {"2.0.0", false}, {"3.0.0", false}})
		star := parseBytes(t, []byte(`{"id":"X-2","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"},
			"ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"},{"limit":"*"}]}]}]}`))
		checkMatches(t, star, "npm", "a", []matchCase{{"0.9.0", false}, {"1.0.0", true}, {"99.0.0", true}})
	})
	t.Run("regression at the fixed version", func(t *testing.T) {
		// Fixed in 2.0.0 and broken again in 2.0.0's successor line: at
		// equal versions the fix sorts first, so the reintroduction wins.
		rec := parseBytes(t, []byte(`{"id":"X-3","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"},
			"ranges":[{"type":"SEMVER","events":[{"introduced":"2.0.0"},{"fixed":"2.0.0"},{"introduced":"0"},{"fixed":"3.0.0"}]}]}]}`))
		checkMatches(t, rec, "npm", "a", []matchCase{{"2.0.0", true}, {"3.0.0", false}})
	})
	t.Run("release-scoped ecosystems", func(t *testing.T) {
		rec := parseCorpusRecord(t, "records/ossf-osv-schema__CVE-2018-5407.json")
		checkMatches(t, rec, "Alpine:v3.8", "openssl", []matchCase{{"1.0.2p-r0", true}, {"1.0.2q-r0", false}})
		// No entry for v3.17: the v3.8 advisory says nothing about it.
		checkMatches(t, rec, "Alpine:v3.17", "openssl", []matchCase{{"1.0.2p-r0", false}})
		// The GIT-only entry (nodejs) names no package and matches nothing.
		checkMatches(t, rec, "npm", "node", []matchCase{{"1.0.0", false}})
		// An advisory for the whole ecosystem applies to every release.
		all := parseBytes(t, []byte(`{"id":"X-4","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Debian","name":"openssl"},
			"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.1.1n-0+deb11u4"}]}]}]}`))
		checkMatches(t, all, "Debian:11", "openssl", []matchCase{{"1.1.1n-0+deb11u3", true}, {"1.1.1n-0+deb11u4", false}})
	})
	t.Run("linter fixtures", func(t *testing.T) {
		// No package at all: nothing to match.
		noIntro := parseCorpusRecord(t, "records-invalid/ossf-osv-schema__nointroduced-CVE-2023-41045.json")
		checkMatches(t, noIntro, "PyPI", "graphite-web", []matchCase{{"1.0.0", false}})
		// Duplicated entries: still one match.
		nd := parseCorpusRecord(t, "records-invalid/ossf-osv-schema__nondistinct-CVE-2018-5407.json")
		checkMatches(t, nd, "Alpine:v3.8", "openssl", []matchCase{{"1.0.2p-r0", true}, {"1.0.2q-r0", false}})
		// Gradi0 is not gradio.
		np := parseCorpusRecord(t, "records-invalid/ossf-osv-schema__nopackage-GHSA-9v2f-6vcg-3hgv.json")
		checkMatches(t, np, "PyPI", "gradio", []matchCase{{"4.36.1", false}})
		checkMatches(t, np, "PyPI", "gradi0", []matchCase{{"4.36.1", true}})
	})
}

// A record that names the package but cannot be evaluated is kept, marked
// indeterminate: fail closed.
func TestMatchIndeterminate(t *testing.T) {
	for _, tc := range []struct {
		name, affected, eco, version, why string
	}{
		{"no introduced", `"ranges":[{"type":"ECOSYSTEM","events":[{"fixed":"2.0.0"}]}]`, "npm", "1.0.0", "no introduced event"},
		{"two fields in an event", `"ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"2.0.0"}]}]`, "npm", "3.0.0", "not exactly one"},
		{"unknown range type", `"ranges":[{"type":"CALVER","events":[{"introduced":"0"}]}]`, "npm", "1.0.0", "CALVER"},
		{"unparseable event", `"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"x"}]}]`, "CRAN", "1.0", `fixed version "x"`},
		{"no ordering known", `"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"v5"}]}]`, "GitHub Actions", "v4", "no version ordering for GitHub Actions"},
		{"only GIT ranges", `"ranges":[{"type":"GIT","repo":"https://x","events":[{"introduced":"0"}]}]`, "npm", "1.0.0", "only GIT ranges"},
		{"nothing", `"versions":[]`, "npm", "1.0.0", "no affected versions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := `{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"` + tc.eco + `","name":"a"},` + tc.affected + `}]}`
			rec := parseBytes(t, []byte(data))
			m, ok := matchRecord(rec, Coordinate{Ecosystem: tc.eco, Name: "a", Version: tc.version}, nil)
			if !ok || !m.Indeterminate || !strings.Contains(m.Evidence, tc.why) {
				t.Errorf("matched = %v, %+v; want indeterminate with %q", ok, m, tc.why)
			}
			// A definite match in another entry wins over an undecided one.
			sure := `{"id":"X-2","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"` + tc.eco + `","name":"a"},` + tc.affected + `},
				{"package":{"ecosystem":"` + tc.eco + `","name":"a"},"versions":["` + tc.version + `"]}]}`
			if m, ok := matchRecord(parseBytes(t, []byte(sure)), Coordinate{Ecosystem: tc.eco, Name: "a", Version: tc.version}, nil); !ok || m.Indeterminate {
				t.Errorf("listed version: %v %+v", ok, m)
			}
		})
	}
}
