package resultdoc

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// summarise fills a hand-built result's summary the way an evaluation
// does, so that the tests can state findings and outcomes only.
func summarise(r *gate.Result) *gate.Result {
	r.Schema = gate.SchemaVersion
	r.Summary = gate.Summary{}
	for _, f := range r.Findings {
		switch f.Severity {
		case gate.SevError:
			r.Summary.Errors++
		case gate.SevWarning:
			r.Summary.Warnings++
		case gate.SevNote:
			r.Summary.Notes++
		}
	}
	for _, o := range r.Rules {
		switch o.Status {
		case gate.RuleFailed:
			r.Summary.RulesFailed++
			r.Summary.RulesChecked++
		case gate.RulePassed:
			r.Summary.RulesChecked++
		case gate.RuleNotApplicable:
			r.Summary.NotApplicable++
		}
	}
	return r
}

func finding(rule string, sev gate.Severity, subject, msg string, loc *input.Pos) gate.Finding {
	return gate.Finding{Rule: rule, Name: "name-" + strings.ToLower(rule), Clauses: []string{"IEC 62304 5.2.6", "ISO 14971 7.4"},
		Severity: sev, Subject: subject, Message: msg, Location: loc, Class: model.ClassB, Remediation: "fix " + rule}
}

func outcome(rule string, status gate.RuleStatus, findings int) gate.RuleOutcome {
	o := gate.RuleOutcome{Rule: rule, Name: "name-" + strings.ToLower(rule), Title: "Title of " + rule, Clauses: []string{"IEC 62304 5.2.6"},
		MinClass: model.ClassA, Status: status, Findings: findings, Checked: 10}
	if status == gate.RuleNotApplicable {
		o.Checked, o.Skipped, o.Reason = 0, 4, "applies from class B; the subjects are class A"
	}
	return o
}

func baseResult(v gate.Verdict) *gate.Result {
	return &gate.Result{Gate: gate.GateValidate, Verdict: v, FailOn: gate.SevError, SafetyClass: model.ClassC, Subject: "octo/pump#42",
		Policy: gate.Policy{File: ".github/tracegate.yml", Defaulted: []string{"ids.hazard = HAZ-\\d+ (default)"}},
		Tool:   gate.Tool{Name: "tracegate", Version: "v1.4.2", Commit: "0123456789abcdef0123"}}
}

// bigResult has n findings over four rules of three severities.
func bigResult(n int) *gate.Result {
	r := baseResult(gate.Fail)
	split := []struct {
		rule string
		sev  gate.Severity
		part int // of 100
	}{{"TG101", gate.SevError, 60}, {"TG103", gate.SevError, 30}, {"TG117", gate.SevWarning, 8}, {"TG118", gate.SevNote, 2}}
	for _, s := range split {
		k := n * s.part / 100
		for i := 0; i < k; i++ {
			r.Findings = append(r.Findings, finding(s.rule, s.sev, fmt.Sprintf("SRS-%04d", i),
				fmt.Sprintf("SRS-%04d is defined 2 times; also at requirements/srs.yml:%d — a message of ordinary length for a real finding", i, i+7),
				&input.Pos{File: "requirements/srs.yml", Line: i + 1, Col: 3}))
		}
		r.Rules = append(r.Rules, outcome(s.rule, gate.RuleFailed, k))
	}
	r.Rules = append(r.Rules, outcome("TG110", gate.RuleNotApplicable, 0), outcome("TG100", gate.RulePassed, 0))
	r.Warnings = []input.Warning{input.Warnf(input.Pos{File: "risk.yml", Line: 3}, "supplier without Person: repaired")}
	return summarise(r)
}

// unescapedPipes counts the pipes that delimit cells: those not preceded by
// an odd number of backslashes.
func unescapedPipes(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		if line[i] != '|' {
			continue
		}
		bs := 0
		for j := i - 1; j >= 0 && line[j] == '\\'; j-- {
			bs++
		}
		if bs%2 == 0 {
			n++
		}
	}
	return n
}

// checkStructure asserts what must hold of any rendering: within the
// budget, valid UTF-8, every table row as many cells as its header, and
// every line opened by the renderer (input text cannot start a line).
func checkStructure(t testing.TB, md string, budget int) {
	t.Helper()
	if len(md) > budget {
		t.Fatalf("%d bytes, over the budget of %d", len(md), budget)
	}
	if !utf8.ValidString(md) {
		t.Fatal("output is not valid UTF-8")
	}
	starts := []string{"## ", "### ", "#### ", "**", "| ", "|---", "- ", "… and ", "<details><summary>", "</details>", "<sub>",
		"Policy: ", "Read ", "The findings of these rules", "No findings.", "Fix these errors"}
	cells := -1
	for i, line := range strings.Split(md, "\n") {
		if line == "" {
			cells = -1
			continue
		}
		ok := false
		for _, s := range starts {
			ok = ok || strings.HasPrefix(line, s)
		}
		if !ok {
			t.Fatalf("line %d opens with input or unknown text: %q", i+1, line)
		}
		if !strings.HasPrefix(line, "|") {
			cells = -1
			continue
		}
		n := unescapedPipes(line)
		if cells == -1 {
			cells = n
		} else if n != cells {
			t.Fatalf("line %d has %d cell delimiters, its table %d: %q", i+1, n, cells, line)
		}
	}
}

var (
	groupHeadRE = regexp.MustCompile(`^#### \S+ (\S+)`)
	moreRE      = regexp.MustCompile(`^… and (\d+) more findings? of (\S+)`)
	countLineRE = regexp.MustCompile(`^- \S+ (TG\d+) \S+: (.*)$`)
	restRE      = regexp.MustCompile(`^- … and (\d+) more findings? of (\d+) more rules?`)
	sevCountRE  = regexp.MustCompile(`(\d+) (?:errors?|warnings?|notes?)`)
)

// accounting reads back how many findings of each rule the document shows
// as rows, stands for in "… more" lines and in count lines, and how many it
// leaves to the closing line.
func accounting(t *testing.T, md string) (perRule map[string]int, rest int) {
	t.Helper()
	perRule = map[string]int{}
	group, inTable := "", false
	for _, line := range strings.Split(md, "\n") {
		switch {
		case line == "":
			inTable = false
		case strings.HasPrefix(line, "#### "):
			group = ""
			if m := groupHeadRE.FindStringSubmatch(line); m != nil && strings.HasPrefix(m[1], "TG") {
				group = m[1]
			}
		case strings.HasPrefix(line, "### "):
			group = ""
		case strings.HasPrefix(line, "| Severity | Subject |"):
			inTable = group != ""
		case inTable && strings.HasPrefix(line, "| "):
			perRule[group]++
		case moreRE.MatchString(line):
			m := moreRE.FindStringSubmatch(line)
			k, _ := strconv.Atoi(m[1])
			perRule[m[2]] += k
		case restRE.MatchString(line):
			k, _ := strconv.Atoi(restRE.FindStringSubmatch(line)[1])
			rest += k
		case countLineRE.MatchString(line):
			m := countLineRE.FindStringSubmatch(line)
			for _, c := range sevCountRE.FindAllStringSubmatch(m[2], -1) {
				k, _ := strconv.Atoi(c[1])
				perRule[m[1]] += k
			}
		}
	}
	return perRule, rest
}

func render(t *testing.T, r *gate.Result, o MarkdownOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, r, o); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestMarkdownVerdicts(t *testing.T) {
	fail := baseResult(gate.Fail)
	fail.Findings = []gate.Finding{
		finding("TG117", gate.SevWarning, "RC-1", "RC-1 does not say which option it is", &input.Pos{File: "risk.yml", Line: 30}),
		finding("TG101", gate.SevError, "SRS-1", "SRS-1 is defined 2 times; also at r.yml:20", &input.Pos{File: "r.yml", Line: 9}),
		finding("TG101", gate.SevError, "SRS-2", "SRS-2 is defined 2 times", nil),
	}
	fail.Rules = []gate.RuleOutcome{outcome("TG101", gate.RuleFailed, 2), outcome("TG117", gate.RuleFailed, 1),
		outcome("TG110", gate.RuleNotApplicable, 0), outcome("TG100", gate.RulePassed, 0)}
	summarise(fail)

	pass := baseResult(gate.Pass)
	pass.Rules = []gate.RuleOutcome{outcome("TG100", gate.RulePassed, 0), outcome("TG110", gate.RuleNotApplicable, 0)}
	summarise(pass)

	errored := gate.Errored(gate.GateRelease, []string{"tests/junit.xml:1:1: not XML", "sbom.json: cannot read: permission denied"})
	errored.Tool = gate.Tool{Name: "tracegate", Version: "devel"}

	tests := []struct {
		name   string
		r      *gate.Result
		first  string
		want   []string // in this order
		absent []string
	}{
		{"fail", fail, "## ❌ tracegate validate failed — octo/pump\\#42",
			[]string{"**2 errors, 1 warning, 0 notes** · 3 rules checked, 2 failed, 1 not applicable · software safety class C · fails at error",
				"**Failed rules (2):** TG101 (2), TG117 (1)", "### What to fix", "#### ❌ TG101 name-tg101 — Title of TG101 · 2 errors",
				"| error | SRS-1 | SRS-1 is defined 2 times; also at r.yml:20 | r.yml:9 | IEC 62304 5.2.6, ISO 14971 7.4 |",
				"| error | SRS-2 | SRS-2 is defined 2 times |  | IEC 62304 5.2.6, ISO 14971 7.4 |",
				"**Fix:** fix TG101", "#### ⚠️ TG117 name-tg117", "**Fix:** fix TG117",
				"<details><summary>Rule outcomes: 3 checked, 2 failed, 1 not applicable</summary>",
				"| TG110 name-tg110 | Title of TG110 | ➖ not applicable | 0 | 0 | 4 | IEC 62304 5.2.6 | applies from class B; the subjects are class A |",
				"<details><summary>Policy: 1 default used</summary>", "Policy: .github/tracegate.yml · 1 default used",
				"<sub>tracegate v1.4.2 (0123456789ab) · tracegate.result/v1</sub>"},
			[]string{"could not complete", "… and"}},
		{"pass", pass, "## ✅ tracegate validate passed — octo/pump\\#42",
			[]string{"**0 errors, 0 warnings, 0 notes** · 1 rule checked, 0 failed, 1 not applicable", "No findings.",
				"| TG100 name-tg100 | Title of TG100 | ✅ pass |"},
			[]string{"Failed rules", "What to fix", "❌"}},
		{"error", errored, "## ⚠️ tracegate release could not complete",
			[]string{"**This is not a pass:**", "**2 evaluation errors**", "### ⚠️ The evaluation could not complete",
				"- tests/junit.xml:1:1: not XML", "- sbom.json: cannot read: permission denied",
				"Policy: no policy file; built-in defaults throughout", "<sub>tracegate devel · tracegate.result/v1</sub>"},
			[]string{"✅", "No findings.", "What to fix"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			md := render(t, tc.r, MarkdownOptions{})
			checkStructure(t, md, DefaultMarkdownBudget)
			if first := strings.SplitN(md, "\n", 2)[0]; first != tc.first {
				t.Errorf("first line = %q, want %q", first, tc.first)
			}
			at := 0
			for _, w := range tc.want {
				i := strings.Index(md[at:], w)
				if i < 0 {
					t.Fatalf("missing or out of order: %q\n%s", w, md)
				}
				at += i + len(w)
			}
			for _, a := range tc.absent {
				if strings.Contains(md, a) {
					t.Errorf("unexpected %q in\n%s", a, md)
				}
			}
		})
	}
}

func TestMarkdownUnknownVerdictIsNoPass(t *testing.T) {
	r := summarise(baseResult("maybe"))
	md := render(t, r, MarkdownOptions{})
	if !strings.HasPrefix(md, "## ⚠️ tracegate validate: unknown verdict “maybe”") || !strings.Contains(md, "**Treat this as a failure.**") || strings.Contains(md, "✅") {
		t.Errorf("unknown verdict rendered as:\n%s", md)
	}
}

func TestMarkdownBudget(t *testing.T) {
	r := bigResult(5000)
	if len(r.Findings) != 5000 {
		t.Fatalf("%d findings", len(r.Findings))
	}
	want := map[string]int{"TG101": 3000, "TG103": 1500, "TG117": 400, "TG118": 100}
	tests := []struct {
		name       string
		o          MarkdownOptions
		budget     int
		allTables  bool // every failed rule gets a table
		everything bool // every finding is a row
	}{
		{"check run summary", MarkdownOptions{FullReport: "the artifact tracegate-report"}, DefaultMarkdownBudget, true, false},
		{"small", MarkdownOptions{Budget: 4000, FullReport: "https://github.com/o/r/actions/runs/1"}, 4000, false, false},
		{"step summary", MarkdownOptions{Budget: 1 << 20, LinkBase: "https://github.com/o/r/blob/abc/"}, 1 << 20, true, false},
		{"room for all", MarkdownOptions{Budget: 4 << 20, LinkBase: "https://github.com/o/r/blob/abc/"}, 4 << 20, true, true},
		{"no full report named", MarkdownOptions{Budget: 20000}, 20000, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			md := render(t, r, tc.o)
			checkStructure(t, md, tc.budget)
			for _, s := range []string{"## ❌ tracegate validate failed", "**4500 errors, 400 warnings, 100 notes** · 5 rules checked, 4 failed, 1 not applicable",
				"**Failed rules (4):** TG101 (3000), TG103 (1500), TG117 (400), TG118 (100)", "Policy: .github/tracegate.yml",
				"<sub>tracegate v1.4.2"} {
				if !strings.Contains(md, s) {
					t.Errorf("missing %q", s)
				}
			}
			perRule, rest := accounting(t, md)
			total := rest
			for rule, n := range want {
				if perRule[rule] > n {
					t.Errorf("%s: the document accounts for %d findings, there are %d", rule, perRule[rule], n)
				}
				total += perRule[rule]
			}
			if total != 5000 {
				t.Errorf("rows, \"… more\" lines and counts add up to %d findings, want 5000 (%v, rest %d)", total, perRule, rest)
			}
			if rest == 0 {
				for rule, n := range want {
					if perRule[rule] != n {
						t.Errorf("%s: accounted %d, want %d", rule, perRule[rule], n)
					}
				}
			}
			tables := strings.Count(md, "| Severity | Subject | Message | Location | Clauses |")
			if tc.allTables && tables != 4 {
				t.Errorf("%d tables of findings, want one per failed rule", tables)
			}
			if tc.everything && strings.Contains(md, "… and") {
				t.Errorf("the budget holds every finding, yet something was summarised")
			}
			if !tc.everything && tc.o.FullReport != "" && !strings.Contains(md, "see "+reportRef(tc.o.FullReport)) {
				t.Errorf("the \"… more\" lines do not name the full report")
			}
			if tc.o.FullReport == "" && strings.Contains(md, " — see ") {
				t.Errorf("names a full report nobody gave")
			}
			if tc.budget == DefaultMarkdownBudget {
				if !strings.Contains(md, "<details><summary>Rule outcomes") || !strings.Contains(md, "1 warning while reading: ") {
					t.Errorf("the findings crowded out the rule outcomes or the warnings")
				}
				// One noisy rule does not hide the others: every rule shows
				// the same number of rows, or all of its own.
				if perRowTG118 := strings.Count(md, "| note | "); perRowTG118 != 100 && perRowTG118 != strings.Count(md, "| warning | ") {
					t.Errorf("rows are not shared fairly: %d note rows, %d warning rows", perRowTG118, strings.Count(md, "| warning | "))
				}
			}
		})
	}
}

func TestMarkdownManyRulesSmallBudget(t *testing.T) {
	r := baseResult(gate.Fail)
	for i := 0; i < 60; i++ {
		rule, sev := fmt.Sprintf("TG%03d", 200+i), gate.SevWarning
		if i < 5 {
			sev = gate.SevError
		}
		for j := 0; j < 10; j++ {
			r.Findings = append(r.Findings, finding(rule, sev, fmt.Sprintf("SRS-%d", j), "something is missing here", &input.Pos{File: "r.yml", Line: j + 1}))
		}
		r.Rules = append(r.Rules, outcome(rule, gate.RuleFailed, 10))
	}
	summarise(r)
	for _, budget := range []int{2500, 4000, 12000} {
		md := render(t, r, MarkdownOptions{Budget: budget})
		checkStructure(t, md, budget)
		perRule, rest := accounting(t, md)
		total := rest
		for _, n := range perRule {
			total += n
		}
		if total != 600 {
			t.Errorf("budget %d: the document accounts for %d findings, want 600 (%v + %d)", budget, total, perRule, rest)
		}
		for i := 0; i < 60; i++ {
			if id := fmt.Sprintf("TG%03d (10)", 200+i); !strings.Contains(md, id) {
				t.Errorf("budget %d: failed rule %s is missing", budget, id)
			}
		}
		if !strings.Contains(md, "#### ❌ TG200 ") {
			t.Errorf("budget %d: the most severe rule has no table:\n%s", budget, md)
		}
	}
}

func TestMarkdownShortensLongMessagesWholeRunes(t *testing.T) {
	r := baseResult(gate.Fail)
	long := strings.Repeat("é", 3000) + "END"
	r.Findings = []gate.Finding{finding("TG101", gate.SevError, "SRS-1", long, &input.Pos{File: "r.yml", Line: 1})}
	r.Rules = []gate.RuleOutcome{outcome("TG101", gate.RuleFailed, 1)}
	summarise(r)
	md := render(t, r, MarkdownOptions{Budget: 1500})
	checkStructure(t, md, 1500)
	if !strings.Contains(md, "| error | SRS-1 | éé") || strings.Contains(md, "END") || !strings.Contains(md, "é… | ") {
		t.Errorf("the message was not shortened to a whole row:\n%s", md)
	}
}

func TestMarkdownBudgetTooSmall(t *testing.T) {
	_, err := resultMarkdown(bigResult(100), MarkdownOptions{Budget: 200})
	if err == nil || !strings.Contains(err.Error(), "too small") {
		t.Fatalf("err = %v, want a budget too small for the verdict", err)
	}
	if _, err := resultMarkdown(nil, MarkdownOptions{}); err == nil {
		t.Error("nil result rendered")
	}
}

func TestMarkdownEscapesHostileInput(t *testing.T) {
	hostile := []string{
		"<script>alert(1)</script>",
		"[click me](javascript:alert(document.cookie))",
		"![img](https://evil.example/x.png)",
		"`code` and ``` fences",
		"# heading\n> quote\n- item\n1. one\n===",
		"pipe | in | cell",
		"right-to-left \u202Eevil\u202C and \u2066isolate\u2069",
		"&lt;b&gt;entity&lt;/b&gt; &#x3C;script&#x3E;",
		"*bold* _em_ ~~strike~~ $x^2$",
		"line\r\nbreak\rcarriage\u2028separator",
		"nul\x00 bell\x07 esc\x1b[31m",
		"invalid \xff\xfe utf-8",
		"<details><summary>x</summary>",
		"\\| escaped pipe \\",
	}
	r := baseResult(gate.Fail)
	for i, h := range hostile {
		r.Findings = append(r.Findings, gate.Finding{Rule: "TG10" + strconv.Itoa(i%3), Name: h, Severity: gate.SevError, Subject: h, Message: h,
			Clauses: []string{h}, Remediation: h, Location: &input.Pos{File: h, Line: 3}})
		r.Rules = append(r.Rules, gate.RuleOutcome{Rule: "TG10" + strconv.Itoa(i%3), Name: h, Title: h, Clauses: []string{h}, Status: gate.RuleFailed, Reason: h})
		r.Warnings = append(r.Warnings, input.Warnf(input.Pos{File: h, Line: 1}, "%s", h))
		r.Policy.Defaulted = append(r.Policy.Defaulted, h)
	}
	r.Subject, r.Gate, r.Policy.File, r.Tool.Version = hostile[0], hostile[1], hostile[2], hostile[4]
	summarise(r)
	errored := *r
	errored.Verdict, errored.Errors = gate.Error, hostile

	for _, tc := range []struct {
		name string
		r    *gate.Result
	}{{"fail", r}, {"error", &errored}} {
		t.Run(tc.name, func(t *testing.T) {
			md := render(t, tc.r, MarkdownOptions{LinkBase: "https://github.com/o/r/blob/abc/", FullReport: hostile[1]})
			checkStructure(t, md, DefaultMarkdownBudget)
			// The only links are the renderer's own, into the repository.
			for _, m := range regexp.MustCompile(`(?:^|[^\\])\]\(([^)]*)`).FindAllStringSubmatch(md, -1) {
				if !strings.HasPrefix(m[1], "https://github.com/o/r/blob/abc/") {
					t.Errorf("an input link survives: %q", m[0])
				}
			}
			for _, bad := range []string{"<script", "</script", "![img]", "\u202E", "\u2066", "\x00", "\x07", "\x1b",
				"&lt;b&gt;", "&#x3C;", "<details><summary>x", "\r", "\u2028"} {
				if strings.Contains(md, bad) {
					t.Errorf("hostile text survives: %q", bad)
				}
			}
			for i := 0; i < len(md); i++ {
				if md[i] == '`' && (i == 0 || md[i-1] != '\\') {
					t.Fatalf("unescaped backtick at %d: %q", i, md[max(0, i-40):min(len(md), i+40)])
				}
			}
			if !strings.Contains(md, "⟨U+202E⟩") {
				t.Error("the bidi override is not shown")
			}
			if strings.Contains(md, "](https://github.com/o/r/blob/abc/<") || strings.Contains(md, "blob/abc/%3Cscript") {
				t.Error("a path that is not a repository file became a link")
			}
		})
	}
}

func TestMarkdownLinks(t *testing.T) {
	base := "https://github.com/o/r/blob/0a1b2c/"
	tests := []struct {
		base string
		pos  input.Pos
		want string
	}{
		{base, input.Pos{File: "reqs/srs.yml", Line: 12, Col: 5}, "[reqs/srs.yml:12:5](https://github.com/o/r/blob/0a1b2c/reqs/srs.yml#L12)"},
		{base, input.Pos{File: "dir (1)/a#b?.yml", Line: 3}, "[dir (1)/a\\#b?.yml:3](https://github.com/o/r/blob/0a1b2c/dir%20%281%29/a%23b%3F.yml#L3)"},
		{base, input.Pos{File: "docs/spec.md", Line: 7}, "[docs/spec.md:7](https://github.com/o/r/blob/0a1b2c/docs/spec.md?plain=1#L7)"},
		{base, input.Pos{File: "ünï/cödé.yml"}, "[ünï/cödé.yml](https://github.com/o/r/blob/0a1b2c/%C3%BCn%C3%AF/c%C3%B6d%C3%A9.yml)"},
		{"https://github.com/o/r/blob/0a1b2c", input.Pos{File: "a.yml", Line: 1}, "[a.yml:1](https://github.com/o/r/blob/0a1b2c/a.yml#L1)"},
		{base, input.Pos{File: "/etc/passwd", Line: 1}, "| /etc/passwd:1 |"},
		{base, input.Pos{File: "../outside.yml", Line: 1}, "| ../outside.yml:1 |"},
		{base, input.Pos{File: "C:\\policy.yml", Line: 1}, "| C:\\\\policy.yml:1 |"},
		{base, input.Pos{File: "(built-in default policy)"}, "| (built-in default policy) |"},
		{"javascript:alert(1)//", input.Pos{File: "a.yml", Line: 1}, "| a.yml:1 |"},
		{"", input.Pos{File: "a.yml", Line: 1}, "| a.yml:1 |"},
	}
	for _, tc := range tests {
		r := baseResult(gate.Fail)
		p := tc.pos
		r.Findings = []gate.Finding{finding("TG101", gate.SevError, "SRS-1", "m", &p)}
		md := render(t, summarise(r), MarkdownOptions{LinkBase: tc.base})
		if !strings.Contains(md, tc.want) {
			t.Errorf("%q with base %q: want %s in\n%s", tc.pos.File, tc.base, tc.want, md)
		}
	}
}

func TestWriteResultFormats(t *testing.T) {
	r := bigResult(20)
	for _, f := range []string{"markdown", "md", "sarif"} {
		var buf bytes.Buffer
		if err := Write(&buf, r, f); err != nil || buf.Len() == 0 {
			t.Errorf("format %s: %v, %d bytes", f, err, buf.Len())
		}
	}
	err := Write(&bytes.Buffer{}, r, "pdf")
	if err == nil || !strings.Contains(err.Error(), "markdown (md), sarif") {
		t.Errorf("unknown format: %v", err)
	}
}

// The Markdown names what was read as the text report does.
func TestMarkdownInputsLine(t *testing.T) {
	r := baseResult(gate.Pass)
	r.Inputs = []model.InputFile{
		{Path: "reports/unit.xml", Kind: "tests", Items: 4},
		{Path: "docs/problem-reports/PRB-1.yml", Kind: model.KindProblemReport, Items: 2},
		{Path: "docs/requirements/a.yml", Kind: "requirements", Items: 5},
	}
	summarise(r)
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	if want := "Read 3 files: requirements 5, tests 4, problem reports 2.\n"; !strings.Contains(b.String(), want) {
		t.Errorf("no %q in\n%s", want, b.String())
	}
}
