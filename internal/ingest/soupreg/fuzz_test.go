package soupreg

import (
	"bytes"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// The fuzz targets check what the package promises whatever the input: no
// panic; Parse gives an error that names the file, or items that each name
// their entry; Sync gives such an error, or a register that reads back as
// the old entries, unchanged, followed by new ones, and to which a second
// Sync adds nothing.

var fuzzSeeds = []string{
	"",
	"# comment only",
	"---\n",
	"soup:\n",
	"soup: []\n",
	"soup: [ ]  # none\r\nx-a: 1\r\n",
	"soup: ~\n",
	"[]",
	"~",
	"soup:\n- name: a\n  version: \"1\"\nx-after: 1\n",
	"soup:\n    -   name: a\n        anomaly_review:\n            version: \"1\"\n            anomalies: [{id: X}]\n",
	"soup:\n  - {name: a, version: \"1\"}\n",
	"soup:\n  - name: a\n    purpose: |+\n      text\n\n\n",
	"soup:\n  - name: a\n...\n",
	"\ufeff- name: a\n",
	"soup: [{name: a}]\n",
	"x-l: &l []\nsoup: *l\n",
	"soup:\r  - name: a\r",
	"soup:\n  - name: a\n    version: 3.10\n",
	"soup:\n  - name: \"a\n  # b\"\n",
	"- title: FFTW\n  anomaly_reference: https://x\n  anomalies: [X-1, {id: X-2}]\n  relevant_anomalies: true",
	"soup:\n  - name: zlib\n    purl: pkg:github/madler/zlib@1.3.1\n  - name: ZLIB\n",
	// Found by FuzzSync: refused, with an error, rather than corrupted.
	"\xff\xfe",
	"soup: []#",
	"! ~",
	"!\n...",
}

func FuzzRead(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	for _, p := range []string{"testdata/formats/soup/soup.yml", "testdata/formats/rdm/data/soup.yml"} {
		f.Add([]byte(fixtureF(f, p)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		items, warns, err := Parse("soup.yml", data)
		checkParse(t, items, warns, err)
	})
}

func checkParse(t *testing.T, items []model.SOUPItem, warns []input.Warning, err error) {
	t.Helper()
	checkParseOf(t, "soup.yml", items, warns, err)
}

// checkParseOf is checkParse of the register file.
func checkParseOf(t *testing.T, file string, items []model.SOUPItem, warns []input.Warning, err error) {
	t.Helper()
	if err != nil {
		es := errorList(t, err)
		if len(es) == 0 {
			t.Fatal("empty error list")
		}
		for _, e := range es {
			if e.Pos.File != file || e.Msg == "" {
				t.Fatalf("error %q names no file", e)
			}
		}
		if items != nil || warns != nil {
			t.Fatal("items returned with an error")
		}
		return
	}
	for _, it := range items {
		if it.Name == "" || it.Source.File != file || it.Source.Line == 0 || (it.Format != FormatNative && it.Format != FormatRDM && it.Format != FormatMarkdownTable && it.Format != FormatComponents) {
			t.Fatalf("ill-formed item %+v", it)
		}
	}
}

func FuzzSync(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add([]byte(s), []string{"zlib|1.3.1|pkg:github/madler/zlib@1.3.1||library|zlib project", "a|2||", "|||", "x|\x00|pkg:npm/x@1|@g|device|"}[i%4])
	}
	f.Add([]byte(fixtureF(f, "testdata/formats/soup/soup.yml")), "littlefs|v2.9.0|pkg:github/littlefs-project/littlefs@v2.9.0\nlwIP|2.2.0\n|7.94|pkg:generic/segger-rtt@7.94")
	f.Add([]byte(fixtureF(f, "testdata/formats/rdm/data/soup.yml")), "fftw|3.3.5\ncore|7.1.0|pkg:npm/%40babel/core@7.1.0|@babel")
	f.Fuzz(func(t *testing.T, data []byte, spec string) {
		comps := components(spec)
		old, _, perr := Parse("soup.yml", data)
		out, added, err := Sync("soup.yml", data, comps)
		if err != nil {
			errorList(t, err)
			if out != nil || added != nil {
				t.Fatal("output returned with an error")
			}
			return
		}
		if perr != nil {
			t.Fatalf("Sync accepted a register Parse refuses: %v", perr)
		}
		if len(added) == 0 {
			if !bytes.Equal(out, data) {
				t.Fatal("register changed though nothing was added")
			}
			return
		}
		if !keepsBytes(data, out) {
			t.Fatalf("old bytes changed:\n%q\n%q", data, out)
		}
		items, _, err := Parse("soup.yml", out)
		if err != nil {
			t.Fatalf("output does not read: %v\n%q", err, out)
		}
		if len(items) != len(old)+len(added) || (len(old) > 0 && !reflect.DeepEqual(items[:len(old)], old)) {
			t.Fatalf("old entries changed:\n%q", out)
		}
		again, added2, err := Sync("soup.yml", out, comps)
		if err != nil || len(added2) > 0 || !bytes.Equal(again, out) {
			t.Fatalf("second Sync: added %q, err %v", added2, err)
		}
	})
}

// components decodes a fuzz string: one component per line,
// name|version|purl|group|type|supplier.
func components(spec string) []model.Component {
	var out []model.Component
	for _, line := range strings.Split(spec, "\n") {
		f := strings.Split(line, "|")
		for len(f) < 6 {
			f = append(f, "")
		}
		out = append(out, model.Component{Name: f[0], Version: f[1], PURL: f[2], Group: f[3], Type: f[4], Supplier: f[5],
			SupplierFrom: model.SupplierFromSupplier, CPEs: []string{f[1]},
			Licenses: []model.License{{Expression: f[5], Source: model.LicenseDeclared}}})
	}
	return out
}

func fixtureF(f *testing.F, path string) string {
	f.Helper()
	data, err := fs.ReadFile(repo, path)
	if err != nil {
		f.Fatal(err)
	}
	return string(data)
}

// keepsBytes reports whether out is data with one block inserted, after
// removing at most one run of the bytes of an empty list or a null ("[ ]",
// "~", "null") where the entries take its place.
func keepsBytes(data, out []byte) bool {
	p := commonPrefix(data, out)
	for k := 0; p+k <= len(data); k++ {
		base := append(bytes.Clone(data[:p]), data[p+k:]...)
		q := commonPrefix(base, out)
		if q+commonSuffix(base[q:], out[q:]) == len(base) {
			return true
		}
		if p+k == len(data) || !strings.ContainsRune(" \t\r\n[]~nulNUL", rune(data[p+k])) {
			return false
		}
	}
	return false
}
