package soupreg

import (
	"bytes"
	"io/fs"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/model"
)

// pumpSBOM is what an SBOM of the pump's firmware might list, with the
// cases Sync must tell apart.
var pumpSBOM = []model.Component{
	{Name: "zlib", Version: "1.3.1", PURL: "pkg:github/madler/zlib@1.3.1"},                             // registered by purl
	{Name: "FreeRTOS-Kernel", Version: "V11.1.0", PURL: "pkg:github/FreeRTOS/FreeRTOS-Kernel@V11.1.0"}, // registered by purl
	{Name: "lwIP", Version: "2.2.0"},                                      // registered by name, in another case
	{Name: "STM32F429ZI", Type: "device", Supplier: "STMicroelectronics"}, // hardware: not SOUP
	{Name: "littlefs", Version: "v2.9.0", PURL: "pkg:github/littlefs-project/littlefs@v2.9.0?vcs=git", // new
		Supplier: "littlefs project", SupplierFrom: model.SupplierFromSupplier,
		Licenses: []model.License{{Expression: "BSD-3-Clause", Source: model.LicenseDeclared}}},
	{Name: "cJSON", Version: "1.7.18", PURL: "pkg:github/DaveGamble/cJSON@v1.7.18", // new, supplier from authors
		Supplier: "Dave Gamble", SupplierFrom: model.SupplierFromAuthors, CPEs: []string{"cpe:2.3:a:cjson_project:cjson:1.7.18:*:*:*:*:*:*:*"}},
	{Name: "littlefs", Version: "v2.8.0", PURL: "pkg:github/littlefs-project/littlefs@v2.8.0"}, // same package again: one entry
	{PURL: "pkg:generic/segger-rtt@7.94"},                                                      // no name: taken from the purl
	{Name: "tinyprintf"},                                                                       // no version
	{ElementID: "SPDXRef-anonymous"},                                                           // nothing to match on: skipped
}

var pumpAdded = []string{"pkg:github/littlefs-project/littlefs@v2.9.0?vcs=git", "pkg:github/DaveGamble/cJSON@v1.7.18",
	"pkg:generic/segger-rtt@7.94", "tinyprintf"}

func fixture(t *testing.T, path string) string {
	t.Helper()
	data, err := fs.ReadFile(repo, path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestSyncPreservesTheRegister(t *testing.T) {
	native := fixture(t, "testdata/formats/soup/soup.yml")
	rdm := fixture(t, "testdata/formats/rdm/data/soup.yml")
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	tests := []struct {
		name   string
		in     string
		comps  []model.Component
		added  []string
		names  []string // names of the entries added
		cut    string   // the bytes the entries replace
		format string
	}{
		{name: "native fixture", in: native, comps: pumpSBOM, added: pumpAdded, names: []string{"littlefs", "cJSON", "segger-rtt", "tinyprintf"}},
		{name: "native fixture, CRLF", in: crlf(native), comps: pumpSBOM, added: pumpAdded, names: []string{"littlefs", "cJSON", "segger-rtt", "tinyprintf"}},
		{name: "native fixture, no final newline", in: strings.TrimSuffix(native, "\n"), comps: pumpSBOM, added: pumpAdded, names: []string{"littlefs", "cJSON", "segger-rtt", "tinyprintf"}},
		{
			name: "rdm template", in: rdm, comps: pumpSBOM[:3], format: FormatRDM,
			added: []string{"pkg:github/madler/zlib@1.3.1", "pkg:github/FreeRTOS/FreeRTOS-Kernel@V11.1.0", "lwIP@2.2.0"},
			names: []string{"zlib", "FreeRTOS-Kernel", "lwIP"},
		},
		{
			name: "comments between entries, other keys after the list",
			in: "# register\nsoup:\n  # first\n  - name: a   # trailing\n    version: '1'  \n\n  # second, retired soon\n  - name: b\n" +
				"    purpose: |\n      text\n\n      # not a comment: text of the block\n    # b's own comment\n\n  # about what follows\nx-notes: >\n  kept\n# end\n",
			comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"},
		},
		{
			name:  "quoted scalars over lines that look like comments",
			in:    "soup:\n  - name: \"a\n  # b\"\n  - name: c\n    purpose: 'x\n\n# y ''z'''\n# after\nx-k: 1\n",
			comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"},
		},
		{
			name:  "compact list at the key's column",
			in:    "soup:\n- name: a\n  version: \"1\"\nx-after: 1\n",
			comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"},
		},
		{
			name:  "wide indentation",
			in:    "soup:\n    -   name: a\n        anomaly_review:\n            version: \"1\"\n",
			comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"},
		},
		{
			name:  "flow mappings as entries",
			in:    "soup:\n  - {name: a, version: \"1\"}\n  - {name: b}\n",
			comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"},
		},
		{
			name:  "keep-chomped block scalar last",
			in:    "soup:\n  - name: a\n    purpose: |+\n      text\n\n\n",
			comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"},
		},
		{
			name:  "document end marker",
			in:    "soup:\n  - name: a\n...\n",
			comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"},
		},
		{
			name: "empty file", in: "", comps: pumpSBOM[:2],
			added: []string{"pkg:github/madler/zlib@1.3.1", "pkg:github/FreeRTOS/FreeRTOS-Kernel@V11.1.0"}, names: []string{"zlib", "FreeRTOS-Kernel"},
		},
		{name: "comments only", in: "# SOUP register\n# owner: QA", comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"}},
		{name: "document start only", in: "---\n", comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"}},
		{name: "soup key alone", in: "soup:  # to be written\nx-owner: QA\n", comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"}},
		{name: "soup key alone, no newline", in: "soup:", comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"}},
		{name: "soup: []", in: "soup: []\n", comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"}, cut: " []"},
		{name: "soup: [ ] with comment, CRLF", in: "soup: [ ]  # none yet\r\nx-owner: QA\r\n", comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"}, cut: " [ ]"},
		{name: "soup: ~", in: "soup: ~\n", comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"}, cut: " ~"},
		{name: "bare empty list", in: "# SOUP\n[]\n", comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"}, cut: "[]\n"},
		{name: "byte order mark", in: "\ufeff- name: a\n", comps: pumpSBOM[:1], added: []string{"pkg:github/madler/zlib@1.3.1"}, names: []string{"zlib"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.in)
			orig := bytes.Clone(data)
			old, _, err := Parse("soup.yml", data)
			if err != nil {
				t.Fatal(err)
			}
			out, added, err := Sync("soup.yml", data, tc.comps)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, orig) {
				t.Fatal("Sync changed its input")
			}
			if !slices.Equal(added, tc.added) {
				t.Errorf("added %q, want %q", added, tc.added)
			}

			// Every old byte is there: without tc.cut, the file is the old
			// one with one block of lines inserted.
			if !strings.Contains(tc.in, tc.cut) {
				t.Fatalf("bad case: %q is not in the input", tc.cut)
			}
			base := []byte(strings.Replace(tc.in, tc.cut, "", 1))
			p := commonPrefix(base, out)
			s := commonSuffix(base[p:], out[p:])
			if p+s != len(base) {
				t.Errorf("old bytes %q changed; output:\n%s", base[p:len(base)-s], out)
			}
			block := string(out[p : len(out)-s])
			for _, line := range strings.Split(strings.ReplaceAll(block, "\r\n", "\n"), "\n") {
				if !skeletonLine.MatchString(line) {
					t.Errorf("inserted block holds a line Sync does not write: %q", line)
				}
			}
			if strings.Contains(tc.in, "\r\n") && strings.Count(block, "\n") != strings.Count(block, "\r\n") {
				t.Errorf("inserted lines do not end in CRLF like the file:\n%q", block)
			}
			if len(tc.in) > 0 && tc.cut == "" && strings.HasSuffix(tc.in, "\n") != bytes.HasSuffix(out, []byte("\n")) {
				t.Errorf("final newline not preserved:\n%q", out)
			}

			// It reads back as the old entries, unchanged, then the new
			// ones in component order.
			items, _, err := Parse("soup.yml", out)
			if err != nil {
				t.Fatalf("output does not read: %v\n%s", err, out)
			}
			if len(items) < len(old) || (len(old) > 0 && !reflect.DeepEqual(items[:len(old)], old)) {
				t.Fatalf("old entries changed:\n%s", out)
			}
			var names []string
			for _, it := range items[len(old):] {
				names = append(names, it.Name)
				want := FormatNative
				if tc.format != "" {
					want = tc.format
				}
				if it.Format != want {
					t.Errorf("entry %s read as %s, want %s", it.Name, it.Format, want)
				}
			}
			if !slices.Equal(names, tc.names) {
				t.Errorf("new entries %q, want %q", names, tc.names)
			}

			// Stable: a second run adds nothing.
			again, added2, err := Sync("soup.yml", out, tc.comps)
			if err != nil || len(added2) > 0 || !bytes.Equal(again, out) {
				t.Errorf("second run: added %q, err %v", added2, err)
			}
		})
	}
}

// skeletonLine matches the lines Sync writes (the block found by comparing
// bytes may start or end inside white space it shares with the file).
var skeletonLine = regexp.MustCompile(`^( *|soup:| *(- +)?(name|purl|title|manufacturer|version|identifier|license|purpose|requirements|environment|risk_level|verification|items|anomaly_review|anomaly_reference|date|reviewer|sources|summary): .*| *anomaly_review: +# .*| *# TODO\(tracegate\): .*)$`)

func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func commonSuffix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return n
}

// TestSyncOutput pins what Sync writes, in the register's own style.
func TestSyncOutput(t *testing.T) {
	zlib := model.Component{Name: "zlib", Version: "1.3.1", PURL: "pkg:github/madler/zlib@1.3.1", Supplier: "zlib project",
		SupplierFrom: model.SupplierFromSupplier, Licenses: []model.License{{Expression: "Zlib", Source: model.LicenseConcluded}}}
	tests := []struct {
		name  string
		in    string
		comps []model.Component
		want  string
	}{
		{
			name:  "blank lines between entries, nested indentation of 4",
			in:    "soup:\n  - name: a\n    anomaly_review:\n        version: \"1\"\n\n  - name: b\n\n# end\n",
			comps: []model.Component{zlib},
			want: "soup:\n  - name: a\n    anomaly_review:\n        version: \"1\"\n\n  - name: b\n" +
				"\n" +
				"  - name: zlib\n" +
				"    purl: pkg:github/madler/zlib\n" +
				"    title: zlib\n" +
				"    manufacturer: zlib project\n" +
				"    version: \"1.3.1\"\n" +
				"    license: Zlib\n" +
				"    # TODO(tracegate): added by tracegate from the SBOM; complete it for IEC 62304 8.1.2 / 5.3.3 / 5.3.4 / 7.1.2 / 7.1.3, then delete these TODO lines\n" +
				"    purpose: \"\"\n" +
				"    requirements: \"\"  # 5.3.3: functional and performance requirements for its intended use\n" +
				"    environment: \"\"  # 5.3.4: the hardware and software it needs\n" +
				"    risk_level: \"\"  # 7.1.2: its failure as a cause of hazardous situations\n" +
				"    verification: \"\"\n" +
				"    items: []\n" +
				"    anomaly_review:  # 7.1.3: the published anomaly lists reviewed for version \"1.3.1\"\n" +
				"        version: \"\"\n" +
				"        date: \"\"\n" +
				"        reviewer: \"\"\n" +
				"        sources: []\n" +
				"        summary: \"\"\n" +
				"\n# end\n",
		},
		{
			name: "rdm, what the SBOM does not tell",
			in:   "- title: FFTW\n  version: \"3.3.5\"\n  anomaly_reference: https://github.com/FFTW/fftw3/issues",
			comps: []model.Component{{Name: "cJSON", PURL: "pkg:github/DaveGamble/cJSON", Supplier: "Dave Gamble", SupplierFrom: model.SupplierFromAuthors,
				CPEs: []string{"cpe:2.3:a:cjson_project:cjson:1.7.18:*:*:*:*:*:*:*"}}},
			want: "- title: FFTW\n  version: \"3.3.5\"\n  anomaly_reference: https://github.com/FFTW/fftw3/issues\n" +
				"- title: cJSON\n" +
				"  manufacturer: Dave Gamble\n" +
				"  version: \"\"\n" +
				"  purl: pkg:github/davegamble/cjson\n" + // packageurl-go lower-cases GitHub names

				"  identifier: \"cpe:2.3:a:cjson_project:cjson:1.7.18:*:*:*:*:*:*:*\"\n" +
				"  # TODO(tracegate): added by tracegate from the SBOM; complete it for IEC 62304 8.1.2 / 5.3.3 / 5.3.4 / 7.1.2 / 7.1.3, then delete these TODO lines\n" +
				"  # TODO(tracegate): manufacturer is the SBOM's authors, not an asserted supplier: check it (8.1.2 b)\n" +
				"  # TODO(tracegate): the SBOM gives no version: write the exact version in use (8.1.2 c)\n" +
				"  purpose: \"\"  # 5.3.3: the functional and performance requirements for its intended use\n" +
				"  requirements: \"\"  # 5.3.4: the hardware and software it needs\n" +
				"  anomaly_reference: \"\"  # 7.1.3: where its anomaly list is published",
		},
		{
			name: "names YAML would misread are quoted; groups are part of the name",
			in:   "soup: []  # none yet\r\n",
			comps: []model.Component{
				{Name: "core", Group: "@babel", Version: "7.24.0", PURL: "pkg:npm/%40babel/core@7.24.0"},
				{Name: "slf4j-api", Group: "org.slf4j", Version: "2.0.9", PURL: "pkg:maven/org.slf4j/slf4j-api@2.0.9"},
				{Name: "yes", Version: "1.10", Supplier: "Ünïcode \"Ltd\"", SupplierFrom: model.SupplierFromSupplier},
			},
			want: "soup:  # none yet\r\n" +
				"  - name: \"@babel/core\"\r\n    purl: pkg:npm/%40babel/core\r\n    title: core\r\n    manufacturer: \"\"\r\n    version: \"7.24.0\"\r\n" + todo("    ", "the SBOM names no supplier: write the manufacturer (8.1.2 b)") + rest("    ", "7.24.0") +
				"  - name: org.slf4j:slf4j-api\r\n    purl: pkg:maven/org.slf4j/slf4j-api\r\n    title: slf4j-api\r\n    manufacturer: \"\"\r\n    version: \"2.0.9\"\r\n" + todo("    ", "the SBOM names no supplier: write the manufacturer (8.1.2 b)") + rest("    ", "2.0.9") +
				"  - name: \"yes\"\r\n    title: \"yes\"\r\n    manufacturer: \"Ünïcode \\\"Ltd\\\"\"\r\n    version: \"1.10\"\r\n" + todo("    ") + rest("    ", "1.10"),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := Sync("soup.yml", []byte(tc.in), tc.comps)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", out, tc.want)
			}
		})
	}
}

// todo and rest render the native skeleton's fixed lines, CRLF.
func todo(pad string, notes ...string) string {
	s := pad + "# TODO(tracegate): added by tracegate from the SBOM; complete it for IEC 62304 8.1.2 / 5.3.3 / 5.3.4 / 7.1.2 / 7.1.3, then delete these TODO lines\r\n"
	for _, n := range notes {
		s += pad + "# TODO(tracegate): " + n + "\r\n"
	}
	return s
}

func rest(pad, version string) string {
	lines := []string{
		`purpose: ""`,
		`requirements: ""  # 5.3.3: functional and performance requirements for its intended use`,
		`environment: ""  # 5.3.4: the hardware and software it needs`,
		`risk_level: ""  # 7.1.2: its failure as a cause of hazardous situations`,
		`verification: ""`,
		`items: []`,
		`anomaly_review:  # 7.1.3: the published anomaly lists reviewed for version "` + version + `"`,
		`  version: ""`, `  date: ""`, `  reviewer: ""`, `  sources: []`, `  summary: ""`,
	}
	return pad + strings.Join(lines, "\r\n"+pad) + "\r\n"
}

func TestSyncAddsOnlyWhatIsMissing(t *testing.T) {
	register := "soup:\n  - name: Requests\n    purl: pkg:pypi/Requests\n  - name: org.slf4j:slf4j-api\n  - name: zlib\n"
	tests := []struct {
		name  string
		comps []model.Component
		added []string
	}{
		{name: "matched by purl, normalised", comps: []model.Component{{Name: "requests", Version: "2.31.0", PURL: "pkg:pypi/requests@2.31.0"}}},
		{name: "matched by groupId:artifactId", comps: []model.Component{{Name: "slf4j-api", Group: "org.slf4j", PURL: "pkg:maven/org.slf4j/slf4j-api@2.0.9"}}},
		{name: "matched by name, any case", comps: []model.Component{{Name: "ZLIB", Version: "1.2.13"}}},
		{name: "not SOUP", comps: []model.Component{{Name: "BME280", Type: "device"}, {Name: "model.onnx", Type: "data"}}},
		{name: "nothing to match on", comps: []model.Component{{}, {Name: " padded "}, {Name: "bad\xffname"}}},
		{name: "padded name with a purl", comps: []model.Component{{Name: " padded ", PURL: "pkg:npm/padded@1.0.0"}}, added: []string{"pkg:npm/padded@1.0.0"}},
		{name: "one entry per package", comps: []model.Component{{Name: "x", Version: "1", PURL: "pkg:npm/x@1"}, {Name: "x", Version: "2", PURL: "pkg:npm/x@2"}, {Name: "X", Version: "3"}}, added: []string{"pkg:npm/x@1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, added, err := Sync("soup.yml", []byte(register), tc.comps)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(added, tc.added) {
				t.Errorf("added %q, want %q", added, tc.added)
			}
			if len(tc.added) == 0 && string(out) != register {
				t.Errorf("register changed though nothing was added:\n%s", out)
			}
		})
	}
}

func TestSyncErrors(t *testing.T) {
	comps := []model.Component{{Name: "zlib", Version: "1.3.1"}}
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "flow list", in: "soup: [{name: a}]\n", want: "soup.yml:1:7: cannot add SOUP entries: soup: is written in flow style ([a, b]); sync appends entries only to a block list, one \"- \" entry per line, and will not rewrite yours: convert it and run sync again (...)"},
		{name: "flow register", in: "{soup: []}\n", want: "soup.yml:1:1: cannot add SOUP entries: the register is written in flow style ..."},
		{name: "bare flow list", in: "[{name: a}]\n", want: "soup.yml:1:1: cannot add SOUP entries: the register's list is written in flow style ..."},
		{name: "empty flow list over lines", in: "soup: [\n]\n", want: "soup.yml:1:7: cannot add SOUP entries: soup: is written in flow style ..."},
		{name: "alias", in: "x-none: &none []\nsoup: *none\n", want: "soup.yml:2:7: cannot add SOUP entries: soup: is an alias (*none); sync cannot append to it (...)"},
		{name: "CR line ends", in: "soup:\r  - name: a\r", want: "soup.yml: cannot add SOUP entries: the file ends lines with a bare carriage return (CR); sync supports LF and CRLF line endings (...)"},
		{name: "UTF-16", in: "\xff\xfe", want: "soup.yml: cannot add SOUP entries: the file is not UTF-8 text (UTF-16?); sync writes UTF-8 and will not mix encodings: convert the file to UTF-8 (...)"},
		{name: "no room after the token", in: "soup: []#\n", want: "soup.yml: cannot add SOUP entries: the edited register would not read: ..."},
		{name: "invalid register", in: "soup:\n  - nmae: zlib\n", want: `soup.yml:2:5: soup[0]: missing property 'name'` + "\n" + `soup.yml:2:5: unknown key "nmae" in soup[0] (...)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, added, err := Sync("soup.yml", []byte(tc.in), comps)
			if err == nil {
				t.Fatalf("no error; output:\n%s", out)
			}
			if out != nil || added != nil {
				t.Error("output returned with an error")
			}
			errorList(t, err)
			if !match(err.Error(), tc.want) {
				t.Errorf("error:\n got %s\nwant %s", err, tc.want)
			}
		})
	}
}
