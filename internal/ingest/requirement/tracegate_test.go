package requirement

import (
	"slices"
	"strings"
	"testing"
)

func TestTracegateFixtures(t *testing.T) {
	const dir = "testdata/formats/tracegate/requirements/"
	cases := []struct {
		file  string
		want  []string
		warns []string
	}{
		{file: "dose-engine.yml", want: []string{
			"SRS-010@7:5 type=software item=dose-engine class=C status=approved verification=test parents=SYS-001 rc=RC-001",
			"SRS-011@17:5 type=software item=dose-engine class=C status=approved verification=analysis parents=SYS-001 rc=RC-001 evidence=docs/verification/SA-004-processor-independence.md",
			"SRS-012@28:5 type=software item=dose-engine class=C status=approved parents=SYS-001,SYS-002 rc=RC-002",
			// Sets its own status (lower-cased) and inherits no class: the file has none.
			"SRS-020@37:5 type=software item=dose-engine status=implemented parents=SYS-003 rc=RC-003 tests=TestMotorStall",
		}},
		{file: "alarms.yml", want: []string{
			"SRS-040@2:3 type=software item=alarms status=approved parents=SYS-004 rc=RC-005",
			"SRS-041@13:3 type=software item=alarms status=approved parents=SYS-004 rc=RC-006",
			"SRS-060@24:3 type=software item=alarms class=B status=approved verification=inspection parents=SYS-005 rc=RC-009 evidence=docs/verification/INS-012-alarm-volume.md",
			"SRS-061@36:3 type=software item=alarms status=draft parents=SYS-005 rc=RC-009",
		}},
		{file: "system-requirements.yml", want: []string{
			"SYS-001@2:1 type=system status=approved",
			"SYS-002@11:5 type=system status=approved",
			"SYS-003@14:5 type=system status=approved",
			"SYS-004@17:5 type=system status=approved",
			"SYS-005@20:5 type=system status=in review",
		}},
		{file: "drug-library.yml", want: []string{
			"SRS-050@2:1 type=software item=drug-library class=C status=approved verification=test parents=SYS-002 rc=RC-007",
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			items := readFile(t, Tracegate{}, dir+c.file)
			if got := summaries(items.Requirements); !slices.Equal(got, c.want) {
				t.Errorf("requirements:\n got %q\nwant %q", got, c.want)
			}
			if got := warnings(items.Warnings); !slices.Equal(got, c.warns) {
				t.Errorf("warnings: got %q, want %q", got, c.warns)
			}
		})
	}

	// Folded text is joined and trimmed; the title is as written.
	r := readFile(t, Tracegate{}, dir+"dose-engine.yml").Requirements[2]
	if r.Title != "Rate conversion range check" ||
		r.Text != `The dose engine shall reject a programmed rate whose conversion from mL/h to motor steps per second exceeds 32 767 steps/s, and shall show "rate out of range" to the user.` {
		t.Errorf("SRS-012 title %q text %q", r.Title, r.Text)
	}
}

func TestTracegateRead(t *testing.T) {
	const f = "reqs.yml"
	one := func(content string) readCase { return readCase{files: mapFS(f, content), path: f} }
	cases := []readCase{}
	add := func(name, content string, set func(*readCase)) {
		c := one(content)
		c.name = name
		set(&c)
		cases = append(cases, c)
	}
	add("single string lists and nulls", "id: SRS-001\nparents: SYS-001\nrisk_controls: RC-001\nevidence: doc.md\ntitle: null\nclass:\n", func(c *readCase) {
		c.want = []string{"SRS-001@1:1 parents=SYS-001 rc=RC-001 evidence=doc.md"}
	})
	add("defaults and overrides", `item: dose
class: c
type: Software
status: " Approved "
requirements:
  - id: SRS-001
  - id: SRS-002
    class: class b
    status: Draft
    type: null
    item: other
`, func(c *readCase) {
		c.want = []string{
			"SRS-001@6:5 type=software item=dose class=C status=approved",
			// A null inherits like a missing key.
			"SRS-002@7:5 type=software item=other class=B status=draft",
		}
	})
	add("verification any case", "id: SRS-001\nverification: ' Demonstration '\n", func(c *readCase) {
		c.want = []string{"SRS-001@1:1 verification=demonstration"}
	})
	add("ids trimmed, repeated and blank entries reported", "id: '  SRS-001 '\nparents: [SYS-1, ' SYS-2', SYS-1, '  ']\n", func(c *readCase) {
		c.want = []string{"SRS-001@1:1 parents=SYS-1,SYS-2"}
		c.warns = []string{"reqs.yml:2:28: parents: SYS-1 is listed more than once; read once", "reqs.yml:2:35: parents: empty entry ignored"}
	})
	add("stream of documents in every shape", "id: SRS-001\n---\n- id: SRS-002\n- id: SRS-003\n---\nrequirements:\n  - id: SRS-004\n---\n", func(c *readCase) {
		c.want = []string{"SRS-001@1:1", "SRS-002@3:3", "SRS-003@4:3", "SRS-004@7:5"}
	})
	add("duplicate IDs are returned: validation reports them across files", "- id: SRS-001\n- id: SRS-001\n  title: again\n", func(c *readCase) {
		c.want = []string{"SRS-001@1:3", "SRS-001@2:3"}
	})
	add("byte order mark and CRLF", "\ufeffid: SRS-001\r\ntitle: t\r\n", func(c *readCase) {
		c.want = []string{"SRS-001@1:1"}
	})
	add("empty file", "# nothing yet\n", func(c *readCase) {
		c.warns = []string{"reqs.yml: file holds no requirements"}
		c.want = []string{}
	})
	add("empty requirements list", "type: system\nrequirements: []\n", func(c *readCase) {
		c.warns = []string{"reqs.yml:2:1: requirements list is empty"}
		c.want = []string{}
	})
	add("misspelt key", "requirements:\n  - id: SRS-001\n    risk_contols: [RC-001]\n", func(c *readCase) {
		c.errs = []wantErr{{"reqs.yml:3:5", `unknown key "risk_contols" in requirements[0]`}}
	})
	add("unknown file-level key", "items: x\nrequirements: []\n", func(c *readCase) {
		c.errs = []wantErr{{"reqs.yml:1:1", `unknown key "items"`}}
	})
	add("wrong types", "- id: SRS-001\n  parents: 5\n- id: SRS-002\n  tests: [a, {b: c}]\n", func(c *readCase) {
		c.errs = []wantErr{{"reqs.yml:2:12", "[0].parents"}, {"reqs.yml:4:14", "[1].tests[1]"}}
	})
	add("missing id", "requirements:\n  - id: SRS-001\n  - title: no id\n", func(c *readCase) {
		c.errs = []wantErr{{"reqs.yml:3:5", "requirements[1]: missing property 'id'"}}
	})
	add("blank id", "- id: '   '\n- id: SRS-002\n", func(c *readCase) {
		c.errs = []wantErr{{"reqs.yml:1:7", "[0].id is empty"}}
	})
	add("number id", "id: 12\n", func(c *readCase) {
		c.errs = []wantErr{{"reqs.yml:1:5", "id: got number, want string"}}
	})
	add("bad class and method, all reported", "class: D\nrequirements:\n  - id: SRS-001\n    verification: review\n", func(c *readCase) {
		c.errs = []wantErr{
			{"reqs.yml:1:8", `class: unknown software safety class "D"`},
			{"reqs.yml:4:19", `requirements[0].verification: "review" is not a verification method`},
		}
	})
	add("one bad document fails the stream", "id: SRS-001\n---\nid: SRS-002\ncolour: red\n", func(c *readCase) {
		c.errs = []wantErr{{"reqs.yml:4:1", `unknown key "colour"`}}
	})
	add("scalar document", "just text\n", func(c *readCase) {
		c.errs = []wantErr{{"reqs.yml:1:1", "want object"}}
	})
	add("syntax error", "id: SRS-001\ntitle: a\n  parents: x\n", func(c *readCase) {
		c.errs = []wantErr{{"reqs.yml:3", "invalid YAML: mapping values are not allowed"}}
	})
	add("merge keys refused", "base: &b {type: system}\nrequirements:\n  - <<: *b\n    id: SYS-1\n", func(c *readCase) {
		c.errs = []wantErr{{"reqs.yml:3:5", "merge keys"}}
	})
	runReadCases(t, Tracegate{}, cases)
}

func TestTracegateUnknownKeyHint(t *testing.T) {
	_, err := Tracegate{}.Read(mapFS("r.yml", "id: SRS-1\nrisk_contols: RC-1\n"), "r.yml")
	if err == nil || !strings.Contains(err.Error(), "schema/requirements.schema.json") {
		t.Fatalf("error %v does not point at the schema", err)
	}
}
