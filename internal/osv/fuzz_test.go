package osv

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseRecord: any bytes give an error or a record with an id that
// writes back to JSON and reads again the same; matching the record
// against any version of any package it names never panics, and an
// indeterminate match always says why.
func FuzzParseRecord(f *testing.F) {
	for _, dir := range []string{"records", "records-invalid"} {
		for _, p := range corpusFiles(f, dir) {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data, "1.0.0")
		}
	}
	for _, s := range []string{
		`{"id":"X","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"limit":"*"},{"fixed":"1.0.0"},{"last_affected":"0.9"}]}]}]}`,
		`{"id":"X","affected":[{"package":{"ecosystem":"Alpine:v3.17","name":"a"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.2-r0"},{"fixed":"1.2-r1"}]}]}]}`,
		`{"id":"X","affected":[{"package":{"ecosystem":"Debian:11","name":"a"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1:2.3-4"}]}]}]}`,
		`{"id":"X","affected":[{"package":{"ecosystem":"CRAN","name":"a"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0-1"}]}],"versions":["x"]}]}`,
		`{"id":"X","withdrawn":"2020-01-01T00:00:00Z","modified":null,"details":"\u00e9"}`,
		`{"id":"X","affected":[null,{},{"package":null}]}`,
	} {
		f.Add([]byte(s), "1.2-r0")
	}
	f.Fuzz(func(t *testing.T, data []byte, version string) {
		rec, _, err := ParseRecord(data)
		if err != nil {
			if rec != nil {
				t.Fatal("record and error")
			}
			return
		}
		if rec.ID == "" {
			t.Fatal("record without id")
		}
		out, err := json.Marshal(rec)
		if err != nil {
			t.Fatalf("cannot write the record back: %v", err)
		}
		again, _, err := ParseRecord(out)
		if err != nil || again.ID != rec.ID || len(again.Affected) != len(rec.Affected) {
			t.Fatalf("round trip: %v %+v", err, again)
		}
		rec.IsWithdrawn()
		rec.DatabaseSeverity()
		vc := versionCache{}
		for _, a := range rec.Affected {
			if a.Package == nil {
				continue
			}
			eco, ok := canonicalEcosystem(a.Package.Ecosystem)
			if !ok {
				continue
			}
			for _, v := range []string{version, "0"} {
				m, ok := matchRecord(rec, Coordinate{Ecosystem: eco, Name: a.Package.Name, Version: v}, vc)
				if ok && (m.Evidence == "" || m.Record != rec) {
					t.Fatalf("match without evidence: %+v", m)
				}
			}
		}
	})
}

var fuzzLimits = Limits{MaxEntryBytes: 1 << 20, MaxTotalBytes: 8 << 20, MaxEntries: 1000}

// FuzzReadIndex: any bytes as an all.zip give an error or an index whose
// records all name a wanted package of the archive's ecosystem.
func FuzzReadIndex(f *testing.F) {
	gogo, err := os.ReadFile(filepath.Join(corpus, "records", "osv-scalibr__GO-2021-0053.json"))
	if err != nil {
		f.Fatal(err)
	}
	x := readCorpus(f, "records/osv-scalibr__GO-2022-1144.json")
	good := zipBytes(f, []entry{{"GO-2021-0053.json", gogo}, {"GO-2022-1144.json", x}, {"README", []byte("x")}})
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(zipBytes(f, []entry{{"../../x.json", gogo}}))
	f.Add(zipBytes(f, []entry{{"a.json", gogo}, {"b.json", gogo}, {"c.json", []byte("{")}}))
	f.Add(zipBytes(f, nil))
	f.Add([]byte{})
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	want := map[string]bool{"github.com/gogo/protobuf": true, "golang.org/x/net": true, "stdlib": true}
	f.Fuzz(func(t *testing.T, data []byte) {
		idx, _, err := readIndex(context.Background(), bytes.NewReader(data), int64(len(data)), "all.zip", "Go", want, fuzzLimits)
		if err != nil {
			if !strings.Contains(err.Error(), "all.zip") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for name, recs := range idx.byName {
			if !want[name] {
				t.Fatalf("unwanted %q indexed", name)
			}
			for _, r := range recs {
				named := false
				for _, a := range r.Affected {
					if a.Package != nil && baseEcosystem(a.Package.Ecosystem) == "Go" && normalizeName("Go", a.Package.Name) == name {
						named = true
					}
				}
				if !named {
					t.Fatalf("%s indexed under %q it does not name", r.ID, name)
				}
			}
		}
		if len(idx.byName) > 0 && idx.records == 0 {
			t.Fatal("records indexed from an archive counted empty")
		}
	})
}

// FuzzResolve: any package resolves to OSV coordinates in a known
// ecosystem, with a name and a version, or is not checked with a reason.
func FuzzResolve(f *testing.F) {
	for _, s := range alpinePURLs {
		f.Add(s, "", "", "")
	}
	for _, s := range []string{
		"pkg:golang/golang.org/x/net@v0.0.0-20210525063256-abc453219eb5?type=module",
		"pkg:npm/%40angular/core@12.0.0", "pkg:pypi/Zope.Interface@5.4.0",
		"pkg:maven/org.yaml/snakeyaml@1.30?classifier=android", "pkg:deb/debian/libc6@2.31-13?distro=bullseye&upstream=glibc%402.31-13",
		"pkg:rpm/almalinux/openssl-libs@1.1.1k-7.el8_6?epoch=1&distro=almalinux-8.6&upstream=openssl-1.1.1k-7.el8_6.src.rpm",
		"pkg:deb/ubuntu/curl@7.81.0?distro=ubuntu-22.04", "pkg:golang/%zz@1", "pkg:/", "pkg:golang/@", "pkg:apk/alpine/a@1?upstream=@",
	} {
		f.Add(s, "", "", "")
	}
	f.Add("", "PyPI", "Typing_Extensions", "4.0.0")
	f.Add("", "Alpine:v3.17", "musl", "1.2.3-r4")
	f.Add("pkg:apk/alpine/musl@1.2.3-r4", "alpine:v3.17", "", "1.2.3-r4")
	f.Fuzz(func(t *testing.T, purl, eco, name, version string) {
		coords, reason := resolve(Package{PURL: purl, Ecosystem: eco, Name: name, Version: version})
		if reason != "" {
			if coords != nil {
				t.Fatalf("coordinates %v with reason %q", coords, reason)
			}
			return
		}
		if len(coords) == 0 {
			t.Fatal("neither coordinates nor a reason")
		}
		for _, c := range coords {
			if _, ok := canonicalEcosystem(c.Ecosystem); !ok || c.Name == "" || c.Version == "" {
				t.Fatalf("bad coordinate %+v", c)
			}
			if releaseScoped[c.Ecosystem] {
				t.Fatalf("%+v lacks the release", c)
			}
		}
	})
}

// FuzzDecodeBatch: any querybatch answer is rejected or answers every
// query with named records.
func FuzzDecodeBatch(f *testing.F) {
	_, _, _, raw := loadCassette(f)
	f.Add([]byte(raw), 14)
	f.Add([]byte(`{"results":[{"vulns":[{"id":"A"}],"next_page_token":"x"}]}`), 1)
	f.Add([]byte(`{"results":[{"nextPageToken":"x"},{}]}`), 2)
	f.Add([]byte(`{"results":null}`), 0)
	f.Fuzz(func(t *testing.T, data []byte, n int) {
		resp, err := decodeBatch(data, n)
		if err != nil {
			return
		}
		if len(resp.Results) != n {
			t.Fatalf("%d results for %d queries accepted", len(resp.Results), n)
		}
		for _, r := range resp.Results {
			for _, v := range r.Vulns {
				if strings.TrimSpace(v.ID) == "" {
					t.Fatal("record without id accepted")
				}
			}
		}
	})
}
