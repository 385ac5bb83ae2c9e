package soupreg

import (
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

func TestReadNativeFixture(t *testing.T) {
	const file = "testdata/formats/soup/soup.yml"
	items, warns, err := Read(repo, file, nil)
	if err != nil {
		t.Fatal(err)
	}
	pos := func(line, col int) input.Pos { return input.Pos{File: file, Line: line, Col: col} }
	// The first entry uses every field: compare all of it.
	freertos := model.SOUPItem{
		Name:         "FreeRTOS-Kernel",
		PURL:         "pkg:github/FreeRTOS/FreeRTOS-Kernel",
		Title:        "FreeRTOS Kernel",
		Manufacturer: "Amazon Web Services (FreeRTOS project)",
		Version:      "V11.1.0",
		Identifier:   "cpe:2.3:o:amazon:freertos:11.1.0:*:*:*:*:*:*:*",
		License:      "MIT",
		Purpose:      "Preemptive scheduler, queues and software timers of the motor controller firmware.",
		Requirements: "Context switch to the highest-priority ready task within 20 µs at 168 MHz.\n" +
			"Queue send/receive from ISRs never blocks. Software timers resolve 1 ms ticks.",
		Environment: "ARM Cortex-M4F port (portable/GCC/ARM_CM4F), arm-none-eabi-gcc 13.2 with -O2, " +
			"configUSE_PREEMPTION=1, configCHECK_FOR_STACK_OVERFLOW=2, heap_4, 64 KiB heap.",
		RiskLevel: "high",
		Verification: "SYS-TP-014 scheduler timing test on target; stack watermark monitor (RC-011); " +
			"the supplier's own test suite result for V11.1.0 archived in QR-2026-031.",
		Items: []string{"dose-engine", "alarms"},
		AnomalyReview: &model.AnomalyReview{
			Version:  "V11.1.0",
			Date:     "2026-10-02",
			Reviewer: "M. Keller (software lead)",
			Sources:  []string{"https://github.com/FreeRTOS/FreeRTOS-Kernel/issues", "https://osv.dev/list?q=FreeRTOS"},
			Summary: "No open anomaly affects the kernel services we use (tasks, queues, timers). " +
				"The historical overflows below are fixed in this version.",
			Anomalies: []model.ReviewedAnomaly{
				{ID: "CVE-2021-31571", Assessment: "fixed in V10.4.3 (queue.c integer overflow); not present in V11.1.0"},
				{ID: "CVE-2021-31572", Assessment: "fixed in V10.4.3 (stream_buffer.c); stream buffers are not used"},
			},
			Source: pos(32, 7),
		},
		Source: pos(12, 5),
		Format: FormatNative,
	}
	if len(items) == 0 || !reflect.DeepEqual(items[0], freertos) {
		t.Errorf("first entry:\n got %+v\nwant %+v", items[0], freertos)
	}
	got := summaries(items[1:])
	want := []string{
		"zlib@47:5 tracegate purl=pkg:github/madler/zlib title=zlib manufacturer=zlib project (Jean-loup Gailly, Mark Adler) version=1.3.1 " +
			"purpose=Decompresses the drug library image received from the pharmacy server. license=Zlib " +
			"requirements=Inflates a 512 KiB library within 300 ms; rejects a corrupt stream with an error. " +
			"environment=Cortex-M4F, 32 KiB inflate window in static RAM; no dynamic allocation (zalloc replaced). risk=medium " +
			"verification=SRS-050 tests (library load, corrupt image, truncated image) items=drug-library " +
			"review@61:7{version=1.3.1 date=2026-09-18 reviewer=M. Keller (software lead) " +
			"sources=https://github.com/madler/zlib/issues,https://osv.dev/list?q=zlib summary=No anomaly of 1.3.1 is in the inflate path we use. " +
			"anomalies=CVE-2022-37434:heap overflow in inflateGetHeader, fixed in 1.2.13; we never call inflateGetHeader," +
			"CVE-2023-45853:MiniZip (contrib/minizip) only, which is not built}",
		"musl@73:5 tracegate purl=pkg:generic/musl title=musl libc manufacturer=musl project (Rich Felker) version=1.2.4 " +
			"identifier=cpe:2.3:a:musl-libc:musl:1.2.4:*:*:*:*:*:*:* purpose=C library of the UI processor's Linux user space. license=MIT " +
			"requirements=POSIX threads, time and file APIs as used by the UI application. " +
			"environment=ARMv7-A, Linux 6.1 kernel, built by the vendor BSP's toolchain. risk=low " +
			"verification=UI system tests (SYS-TP-030 … SYS-TP-041) on the target image items=ui " +
			"review@87:7{version=1.2.3 date=2025-11-03 reviewer=J. Park sources=https://www.openwall.com/lists/musl/ " +
			"summary=Reviewed for the previous image; not yet redone for 1.2.4. anomalies=}",
		"mbedtls@94:5 tracegate purl=pkg:github/Mbed-TLS/mbedtls@v3.6.2 title=Mbed TLS manufacturer=Trusted Firmware project version=3.6.2 " +
			"purpose=TLS 1.2 client for the connection to the pharmacy server. license=Apache-2.0 OR GPL-2.0-or-later items=drug-library",
		"lwip@105:5 tracegate title=lwIP version=2.2.0 purpose=TCP/IP stack of the motor controller's service port.",
		"STM32CubeF4@110:5 tracegate title=STM32CubeF4 HAL and LL drivers manufacturer=STMicroelectronics version=1.28.0 " +
			"identifier=STM32CubeF4 v1.28.0 (part of STM32CubeMX 6.11.0) " +
			"purpose=Peripheral drivers (timers for the stepper motor, ADC for the pressure sensor). license=BSD-3-Clause " +
			"requirements=TIM PWM output at 20 kHz with 1 % duty resolution; ADC conversion in 2 µs. " +
			"environment=STM32F429 at 168 MHz; compiled with the firmware's flags. risk=high " +
			"verification=SYS-TP-020 motor step timing; SYS-TP-022 pressure sensor calibration items=dose-engine",
	}
	if !slices.Equal(got, want) {
		t.Errorf("entries:\n got %q\nwant %q", got, want)
	}
	wantWarns := []string{
		file + `:95:11: soup[3].purl: the version "v3.6.2" in purl pkg:github/Mbed-TLS/mbedtls@v3.6.2 is ignored: an entry matches its package at any version, and the version in use is the version field ("3.6.2"); write the purl without @version`,
	}
	if !slices.Equal(warningStrings(warns), wantWarns) {
		t.Errorf("warnings:\n got %q\nwant %q", warningStrings(warns), wantWarns)
	}
}

// TestReadRDMTemplate reads rdm's own template, byte for byte as rdm ships
// it: its keys map to the model as rdm's software plan defines them.
func TestReadRDMTemplate(t *testing.T) {
	const file = "testdata/formats/rdm/data/soup.yml"
	items, warns, err := Read(repo, file, nil)
	if err != nil {
		t.Fatal(err)
	}
	pos := func(line, col int) input.Pos { return input.Pos{File: file, Line: line, Col: col} }
	want := []model.SOUPItem{{
		Name:         "Example Camera SDK",
		Title:        "Example Camera SDK",
		Manufacturer: "Basler AG",
		Version:      "5.1",
		Purpose:      "To allow us to configure, control, and retrieve images from our cameras.",
		Requirements: "To allow us to configure, control, and retrieve images from our cameras.",
		Environment:  "Linux kernel version 3.x or higher",
		AnomalyReview: &model.AnomalyReview{
			Sources: []string{"https://example.url/pointing/to/issue/list"},
			Source:  pos(8, 3),
		},
		Source: pos(1, 3),
		Format: FormatRDM,
	}, {
		Name:         "FFTW",
		Title:        "FFTW",
		Version:      "3.3.5",
		Purpose:      "To calculate the Fast Fourier Transform.",
		Requirements: "To calculate the Fast Fourier Transform.",
		AnomalyReview: &model.AnomalyReview{
			Sources: []string{"https://github.com/FFTW/fftw3/issues"},
			Source:  pos(13, 3),
		},
		Source: pos(9, 3),
		Format: FormatRDM,
	}}
	if !reflect.DeepEqual(items, want) {
		t.Errorf("items:\n got %q\nwant %q", summaries(items), summaries(want))
	}
	wantWarns := []string{file + ":8:3: 2 entries have an rdm anomaly review (anomaly_reference, anomalies) that names no version, date or reviewer, " +
		"so it does not show a review of the version in use (7.1.3); add a tracegate anomaly_review with version, date and reviewer; the first is here"}
	if !slices.Equal(warningStrings(warns), wantWarns) {
		t.Errorf("warnings:\n got %q\nwant %q", warningStrings(warns), wantWarns)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		items []string // summaries
		warns []string
		errs  []string
	}{
		{name: "empty file", in: "", warns: []string{"soup.yml: SOUP register is empty"}},
		{name: "comments only", in: "# nothing yet\n", warns: []string{"soup.yml: SOUP register is empty"}},
		{name: "soup key without list", in: "soup:\n", warns: []string{"soup.yml:1:1: SOUP register lists no SOUP"}},
		{name: "empty flow list", in: "x-owner: QA\nsoup: []\n", warns: []string{"soup.yml:2:1: SOUP register lists no SOUP"}},
		{name: "bare empty list", in: "[]\n", warns: []string{"soup.yml:1:1: SOUP register lists no SOUP"}},
		{
			name:  "bare native list",
			in:    "- name: zlib\n  version: \"1.3.1\"\n  items: drug-library\n  x-ticket: PUMP-1\n",
			items: []string{"zlib@1:3 tracegate version=1.3.1 items=drug-library"},
		},
		{
			name:  "null fields count as missing",
			in:    "soup:\n  - name: zlib\n    title:\n    requirements: ~\n    anomaly_review:\n",
			items: []string{"zlib@2:5 tracegate"},
		},
		{
			name: "anomaly review of every shape",
			in: "soup:\n- name: a\n  anomaly_review:\n    version: \"1\"\n    date: 2026-01-31\n    sources: osv.dev\n" +
				"    anomalies:\n    - id: CVE-1\n    - {id: CVE-2, assessment: not reachable}\n",
			items: []string{"a@2:3 tracegate review@4:5{version=1 date=2026-01-31 reviewer= sources=osv.dev summary= anomalies=CVE-1:,CVE-2:not reachable}"},
		},
		{
			name:  "list entries trimmed, blanks and repeats dropped",
			in:    "soup:\n  - name: a\n    items: [ui, ' ', ui, ' alarms ']\n",
			items: []string{"a@2:5 tracegate items=ui,alarms"},
			warns: []string{
				"soup.yml:3:17: soup[0].items: empty entry ignored",
				`soup.yml:3:22: soup[0].items: "ui" is listed more than once; read once`,
			},
		},
		{
			name:  "duplicate purl: both kept",
			in:    "soup:\n  - name: zlib\n    purl: pkg:github/madler/zlib\n  - name: zlib-ng\n    purl: pkg:github/madler/zlib@1.3.1\n",
			items: []string{"zlib@2:5 tracegate purl=pkg:github/madler/zlib", "zlib-ng@4:5 tracegate purl=pkg:github/madler/zlib@1.3.1"},
			warns: []string{
				`soup.yml:4:5: entry "zlib-ng" duplicates the entry "zlib" at soup.yml:2:5 (same purl pkg:github/madler/zlib); both are kept, but only the first is matched to SBOM components: merge them`,
				`soup.yml:5:11: soup[1].purl: the version "1.3.1" in purl pkg:github/madler/zlib@1.3.1 is ignored: an entry matches its package at any version, and the version in use is the version field; write the purl without @version`,
			},
		},
		{
			name:  "duplicate name in another case",
			in:    "soup:\n  - name: zlib\n  - name: ZLIB\n    purl: pkg:generic/zlib\n",
			items: []string{"zlib@2:5 tracegate", "ZLIB@3:5 tracegate purl=pkg:generic/zlib"},
			warns: []string{`soup.yml:3:5: entry "ZLIB" duplicates the entry "zlib" at soup.yml:2:5 (same name ZLIB); both are kept, but only the first is matched to SBOM components: merge them`},
		},
		{
			name:  "same name in two ecosystems is no duplicate",
			in:    "soup:\n  - name: debug\n    purl: pkg:npm/debug\n  - name: debug\n    purl: pkg:pypi/debug\n",
			items: []string{"debug@2:5 tracegate purl=pkg:npm/debug", "debug@4:5 tracegate purl=pkg:pypi/debug"},
		},
		{
			name: "unknown key",
			in:   "soup:\n  - name: zlib\n    anomaly_reveiw:\n      version: \"1\"\n",
			errs: []string{`soup.yml:3:5: unknown key "anomaly_reveiw" in soup[0] (` + unknownKeyHint + `)`},
		},
		{
			name: "unknown top-level key",
			in:   "owner: QA\nsoup: []\n",
			errs: []string{`soup.yml:1:1: unknown key "owner" (` + unknownKeyHint + `)`},
		},
		{
			name: "unquoted version",
			in:   "soup:\n  - name: openssl\n    version: 3.10 # the LTS\n",
			errs: []string{`soup.yml:3:14: soup[0].version: got number, want null or string (quote it, "3.10", if it is meant as text: YAML reads the unquoted 3.10 as the number 3.1)`},
		},
		{
			name: "missing name",
			in:   "soup:\n  - title: zlib\n  - version: \"1\"\n",
			errs: []string{
				`soup.yml:2:5: soup[0]: missing property 'name'`,
				`soup.yml:3:5: soup[1]: missing property 'name'`,
			},
		},
		{
			name: "blank name and anomaly id",
			in:   "soup:\n  - title: zlib\n    name: \"  \"\n    anomaly_review:\n      anomalies: [{id: ' '}]\n",
			errs: []string{
				`soup.yml:3:11: soup[0].name is blank (write the package name as the SBOM does: entries are matched to components by purl, else by this name)`,
				`soup.yml:5:19: soup[0].anomaly_review.anomalies[0] has no id (name the anomaly as its list does: CVE-2022-37434, an issue number or URL)`,
			},
		},
		{
			name: "impossible date",
			in:   "soup:\n  - name: a\n    anomaly_review:\n      date: 2026-02-30\n",
			errs: []string{`soup.yml:4:13: soup[0].anomaly_review.date: "2026-02-30" is not a date (write the date as YYYY-MM-DD)`},
		},
		{
			name: "date in another format",
			in:   "soup:\n  - name: a\n    anomaly_review:\n      date: 30.01.2026\n",
			errs: []string{`soup.yml:4:13: soup[0].anomaly_review.date: "30.01.2026" is not a date (write the date as YYYY-MM-DD)`},
		},
		{
			name: "anomaly without id",
			in:   "soup:\n  - name: a\n    anomaly_review:\n      anomalies:\n        - assessment: fine\n",
			errs: []string{`soup.yml:5:11: soup[0].anomaly_review.anomalies[0]: missing property 'id'`},
		},
		{
			name: "not a package URL",
			in:   "soup:\n  - name: a\n    purl: pkg:npm\n",
			errs: []string{`soup.yml:3:11: soup[0].purl: "pkg:npm" is not a package URL: ...`},
		},
		{
			name: "purl without scheme",
			in:   "soup:\n  - name: a\n    purl: npm/lodash\n",
			errs: []string{`soup.yml:3:11: soup[0].purl: "npm/lodash" is not a package URL: ...`},
		},
		{
			name: "two documents",
			in:   "soup: []\n---\nsoup: []\n",
			errs: []string{"soup.yml:2:1: file holds 2 YAML documents, expected one (remove the '---' separator: the register is one document)"},
		},
		{
			name: "YAML syntax",
			in:   "soup:\n  - name: a\n   version: \"1\"\n",
			errs: []string{"soup.yml:3:...: invalid YAML: ..."},
		},
		{
			name: "a single value",
			in:   "zlib\n",
			errs: []string{`soup.yml:1:1: expected a soup: list of SOUP entries, got text "zlib" (start the file with soup: and list the entries below it)`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, warns, err := Parse("soup.yml", []byte(tc.in))
			if tc.errs != nil {
				if err == nil {
					t.Fatalf("no error; items %q", summaries(items))
				}
				if items != nil || warns != nil {
					t.Errorf("items or warnings returned with an error")
				}
				matchAll(t, errorStrings(t, err), tc.errs)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := summaries(items); !slices.Equal(got, tc.items) && !(len(got) == 0 && len(tc.items) == 0) {
				t.Errorf("items:\n got %q\nwant %q", got, tc.items)
			}
			if got := warningStrings(warns); !slices.Equal(got, tc.warns) && !(len(got) == 0 && len(tc.warns) == 0) {
				t.Errorf("warnings:\n got %q\nwant %q", got, tc.warns)
			}
		})
	}
}

// matchAll compares messages to patterns in which "..." stands for any
// text (where the message comes from a library).
func matchAll(t *testing.T, got, want []string) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		ok = match(got[i], want[i])
	}
	if !ok {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
}

func match(s, pattern string) bool {
	parts := strings.Split(pattern, "...")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i, p := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(s, p)
		}
		j := strings.Index(s, p)
		if j < 0 {
			return false
		}
		s = s[j+len(p):]
	}
	return s == ""
}

func TestParseRDM(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		items []string
		warns []string
		errs  []string
	}{
		{
			name: "rdm keys and tracegate extensions",
			in: "- title: FFTW\n  version: \"3.3.5\"\n  purpose: FFT of the pressure signal.\n  requirements: x86-64 with AVX2\n" +
				"  purl: pkg:github/FFTW/fftw3\n  risk_level: low\n  items: [dose-engine]\n  x-owner: DSP team\n" +
				"  anomaly_reference: https://github.com/FFTW/fftw3/issues\n" +
				"  anomaly_review:\n    version: \"3.3.5\"\n    date: 2026-05-04\n    reviewer: A. Diaz\n",
			items: []string{"FFTW@1:3 rdm purl=pkg:github/FFTW/fftw3 title=FFTW version=3.3.5 purpose=FFT of the pressure signal. " +
				"requirements=FFT of the pressure signal. environment=x86-64 with AVX2 risk=low items=dose-engine " +
				"review@11:5{version=3.3.5 date=2026-05-04 reviewer=A. Diaz sources=https://github.com/FFTW/fftw3/issues summary= anomalies=}"},
		},
		{
			name: "anomalies as text, as a list, and relevant_anomalies",
			in: "- title: A\n  anomaly_reference: https://a/issues\n  relevant_anomalies: true\n  anomalies: |\n    #12 crashes on empty input; we never pass one.\n" +
				"- title: B\n  anomalies: [ISSUE-7, {id: ISSUE-9, assessment: fixed}]\n  relevant_anomalies: Only ISSUE-9 touches our use.\n",
			items: []string{
				"A@1:3 rdm title=A review@2:3{version= date= reviewer= sources=https://a/issues summary=#12 crashes on empty input; we never pass one. anomalies=}",
				"B@6:3 rdm title=B review@7:3{version= date= reviewer= sources= summary=Only ISSUE-9 touches our use. anomalies=ISSUE-7:,ISSUE-9:fixed}",
			},
			warns: []string{"soup.yml:2:3: 2 entries have an rdm anomaly review (anomaly_reference, anomalies) that names no version, date or reviewer, " +
				"so it does not show a review of the version in use (7.1.3); add a tracegate anomaly_review with version, date and reviewer; the first is here"},
		},
		{
			name:  "unknown keys: one warning listing them",
			in:    "- title: A\n  website: https://a\n  anomaly_reference: https://a/issues\n  anomaly_review: {version: \"1\"}\n- title: B\n  name: b\n  website: https://b\n",
			items: []string{"A@1:3 rdm title=A review@4:19{version=1 date= reviewer= sources=https://a/issues summary= anomalies=}", "B@5:3 rdm title=B"},
			warns: []string{`soup.yml:2:3: keys "website", "name" are neither rdm SOUP fields nor tracegate ones; ignored in every entry of this file`},
		},
		{
			name:  "a title without name is rdm's",
			in:    "- title: FFTW\n  version: \"3.3.5\"\n",
			items: []string{"FFTW@1:3 rdm title=FFTW version=3.3.5"},
		},
		{
			name: "name or environment make a list native",
			in:   "- name: fftw\n  title: FFTW\n- title: Qt\n  environment: Linux\n",
			errs: []string{"soup.yml:3:3: [1]: missing property 'name'"},
		},
		{
			name: "entry without title, entry not a mapping, number",
			in:   "- manufacturer: Basler AG\n  anomaly_reference: https://x\n- FFTW\n- title: Qt\n  version: 5.15\n",
			errs: []string{
				`soup.yml:1:3: [0] has no title (rdm names every SOUP by its title, and tracegate matches it to SBOM components by that title (or a purl))`,
				`soup.yml:3:3: [1]: expected a SOUP entry (a mapping with title, version, purpose ...), got text "FFTW"`,
				`soup.yml:5:12: [2].version: expected text, got the number 5.15 (quote it, "5.15", if it is meant as text: YAML reads the unquoted 5.15 as the number 5.15)`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, warns, err := Parse("soup.yml", []byte(tc.in))
			if tc.errs != nil {
				if err == nil {
					t.Fatalf("no error; items %q", summaries(items))
				}
				matchAll(t, errorStrings(t, err), tc.errs)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := summaries(items); !slices.Equal(got, tc.items) {
				t.Errorf("items:\n got %q\nwant %q", got, tc.items)
			}
			if got := warningStrings(warns); !slices.Equal(got, tc.warns) && !(len(got) == 0 && len(tc.warns) == 0) {
				t.Errorf("warnings:\n got %q\nwant %q", got, tc.warns)
			}
		})
	}
}

func TestReadRefusesWhatInputRefuses(t *testing.T) {
	fsys := fstest.MapFS{"soup.yml": {Data: []byte("soup:\x00\n")}}
	_, _, err := Read(fsys, "soup.yml", nil)
	if e, ok := input.AsError(err); !ok || e.Pos.File != "soup.yml" || !strings.Contains(e.Msg, "binary") {
		t.Errorf("err = %v, want a binary-file error naming soup.yml", err)
	}
	if _, _, err := Read(fsys, "missing.yml", nil); err == nil {
		t.Error("missing file read without an error")
	}
}

// TestDocumentedExample reads the example of docs/formats.md, so that the
// documentation cannot drift from the reader.
func TestDocumentedExample(t *testing.T) {
	doc, err := fs.ReadFile(repo, "docs/formats.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```yaml\n# docs/soup.yml\n")
	example, _, _ := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("docs/formats.md has no soup.yml example")
	}
	items, warns, err := Parse("docs/soup.yml", []byte(example))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || len(warns) != 0 || items[0].AnomalyReview == nil || len(items[0].AnomalyReview.Anomalies) != 1 ||
		items[0].Environment == "" || items[0].Requirements == "" {
		t.Errorf("example read as %q, warnings %q", summaries(items), warningStrings(warns))
	}
}
