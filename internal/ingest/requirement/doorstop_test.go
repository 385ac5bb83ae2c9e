package requirement

import (
	"slices"
	"testing"
)

func TestDoorstopFixtures(t *testing.T) {
	const dir = "testdata/formats/doorstop/"
	cases := []struct {
		file        string
		want        []string
		title, text string
		warns       []string
	}{
		{file: "urs/.doorstop.yml"},
		{file: "sys/.doorstop.yml"},
		{file: "srs/.doorstop.yml"},
		{
			// Markdown item: the level-1 heading is the header, the rest the text.
			file:  "urs/URS-001.md",
			want:  []string{"URS-001@2:1 type=urs status=active"},
			title: "Safe delivery of the prescribed dose",
			text:  "The nurse needs the pump to deliver the prescribed drug at the prescribed rate, and to stop\nand alarm when it cannot.",
		},
		{file: "urs/URS-002.md", want: []string{"URS-002@2:1 type=urs status=active"}},
		{file: "sys/SYS-001.yml", want: []string{"SYS-001@1:1 type=sys status=active parents=URS-001"},
			title: "Delivery accuracy", text: "The pump shall deliver the programmed volume within ±5 % at rates from 0.1 to 999 mL/h."},
		{file: "sys/SYS-002.yml", want: []string{"SYS-002@1:1 type=sys status=active parents=URS-001"}},
		// Not reviewed (reviewed: null): still a requirement.
		{file: "sys/SYS-003.yml", want: []string{"SYS-003@1:1 type=sys status=active parents=URS-002"}},
		// A heading (normative: false, level 1.0): not a requirement, nothing to report.
		{file: "srs/SRS-001.yml"},
		{file: "srs/SRS-002.yml", want: []string{"SRS-002@1:1 type=srs item=dose-engine class=C status=active verification=test parents=SYS-001 rc=RC-001"}},
		{file: "srs/SRS-003.yml", want: []string{"SRS-003@1:1 type=srs item=dose-engine status=active verification=test parents=SYS-001,SYS-002 rc=RC-002"}},
		{
			// No header: the title is the first line of the text.
			file:  "srs/SRS-004.yml",
			want:  []string{"SRS-004@1:1 type=srs item=dose-engine status=active verification=test parents=SYS-002 rc=RC-003"},
			title: "The dose engine shall raise a high-priority alarm when the motor encoder reports no movement",
		},
		{file: "srs/SRS-005.yml"},
		{file: "srs/SRS-006.yml", want: []string{"SRS-006@1:1 type=srs item=alarms class=B status=active verification=inspection parents=SYS-003 rc=RC-009"}},
		{file: "srs/SRS-007.yml", warns: []string{dir + "srs/SRS-007.yml:1:9: SRS-007 is inactive (active: false) and is not read as a requirement"}},
		// status set as an extended attribute wins over active.
		{file: "srs/SRS-008.yml", want: []string{"SRS-008@1:1 type=srs item=alarms status=draft verification=test parents=SYS-002,SYS-003 rc=RC-009"}},
		// invented-by is a custom attribute of the team: kept out silently.
		{file: "srs/SRS-009.yml", want: []string{"SRS-009@1:1 type=srs item=alarms status=active verification=analysis parents=SYS-003"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			items := readFile(t, Doorstop{}, dir+c.file)
			if got := summaries(items.Requirements); !slices.Equal(got, c.want) && (len(got) > 0 || len(c.want) > 0) {
				t.Errorf("requirements:\n got %q\nwant %q", got, c.want)
			}
			if got := warnings(items.Warnings); !slices.Equal(got, c.warns) && (len(got) > 0 || len(c.warns) > 0) {
				t.Errorf("warnings:\n got %q\nwant %q", got, c.warns)
			}
			if len(items.Requirements) == 1 {
				r := items.Requirements[0]
				if c.title != "" && r.Title != c.title {
					t.Errorf("title %q, want %q", r.Title, c.title)
				}
				if c.text != "" && r.Text != c.text {
					t.Errorf("text %q, want %q", r.Text, c.text)
				}
			}
		})
	}
}

func TestDoorstopRead(t *testing.T) {
	const cfg = "reqs/srs/.doorstop.yml"
	const conf = "settings:\n  digits: 3\n  parent: SYS\n  prefix: SRS\n  sep: '-'\n"
	// item is a case for one item file of the srs document.
	item := func(name, content string, want, warns []string, errs ...wantErr) readCase {
		return readCase{name: name, path: "reqs/srs/" + name, files: mapFS(cfg, conf, "reqs/srs/"+name, content),
			want: want, warns: warns, errs: errs}
	}
	type list = []string
	cases := []readCase{
		item("SRS-001.yml", "active: true\nlinks:\n- SYS-001: abc=\n- SYS-002\n- SYS-003: null\ntext: |\n  The pump shall stop.\n",
			list{"SRS-001@1:1 type=srs status=active parents=SYS-001,SYS-002,SYS-003"}, nil),
		item("SRS-002.yml", "text: ''\n", list{"SRS-002@1:1 type=srs status=active"}, nil),
		// An empty item file is an item with Doorstop's defaults.
		item("SRS-003.yml", "", list{"SRS-003@1:1 type=srs status=active"}, nil),
		item("SRS-004.yml", "risk_controls: RC-001, RC-002\ntype: Safety\nclass: b\nevidence: [a.md]\ntests: TestX\n",
			list{"SRS-004@1:1 type=safety class=B status=active rc=RC-001,RC-002 evidence=a.md tests=TestX"}, nil),
		item("SRS-005.yml", "active: disabled\n", nil, list{
			`reqs/srs/SRS-005.yml:1:9: active: text "disabled" read as false, as Doorstop reads it; write true or false`,
			"reqs/srs/SRS-005.yml:1:9: SRS-005 is inactive (active: false) and is not read as a requirement"}),
		// yes is a boolean to Doorstop's YAML 1.1 parser.
		item("SRS-006.yml", "active: yes\nnormative: On\n", list{"SRS-006@1:1 type=srs status=active"}, nil),
		item("SRS-014.yml", "active: 0\n", nil, list{
			"reqs/srs/SRS-014.yml:1:9: active: the number 0 read as false, as Doorstop reads it; write true or false",
			"reqs/srs/SRS-014.yml:1:9: SRS-014 is inactive (active: false) and is not read as a requirement"}),
		item("SRS-015.yml", "normative: false\nlevel: 1.0\ntext: Heading\n", nil, nil),
		item("SRS-007.yml", "normative: false\nlinks: [SYS-001]\n", nil, list{
			"reqs/srs/SRS-007.yml:1:12: SRS-007 is non-normative (normative: false), a heading or comment to Doorstop, so its links and attributes are not read"}),
		item("SRS-008.yml", "links:\n- SYS-001: a\n  SYS-002: b\n", nil, nil,
			wantErr{"reqs/srs/SRS-008.yml:2:3", "links[0]: expected one parent UID, got 2 keys"}),
		item("SRS-009.yml", "links: SYS-001\n", nil, nil, wantErr{"reqs/srs/SRS-009.yml:1:8", "links: expected a list of parent UIDs"}),
		item("SRS-010.yml", "links:\n- 17\n", nil, nil, wantErr{"reqs/srs/SRS-010.yml:2:3", "links[0]: expected a parent UID, got the number 17"}),
		item("SRS-011.yml", "- a list\n", nil, nil, wantErr{"reqs/srs/SRS-011.yml:1:1", "a Doorstop item must be a mapping"}),
		item("SRS-012.yml", "text: a\n---\ntext: b\n", nil, nil, wantErr{"reqs/srs/SRS-012.yml:2:1", "holds 2 YAML documents"}),
		item("SRS-013.yml", "verification: tested\nclass: X\n", nil, nil,
			wantErr{"reqs/srs/SRS-013.yml:1:15", `verification: "tested" is not a verification method`},
			wantErr{"reqs/srs/SRS-013.yml:2:8", "class: unknown software safety class"}),
		// Read with format: doorstop, a file not named like an item is read and reported.
		item("notes.yml", "text: x\n", list{"notes@1:1 type=srs status=active"}, list{
			"reqs/srs/notes.yml:1:1: notes.yml is not named like an item of document reqs/srs (UID prefix SRS, yaml items, per reqs/srs/.doorstop.yml); read as item notes"}),
		{name: "item in a subdirectory of its document", path: "reqs/srs/alarms/SRS-020.yml",
			files: mapFS(cfg, conf, "reqs/srs/alarms/SRS-020.yml", "links: [SYS-001]\n"),
			want:  []string{"SRS-020@1:1 type=srs status=active parents=SYS-001"}},
		{name: "nearest document wins", path: "reqs/srs/tst/TST-001.yml",
			files: mapFS(cfg, conf, "reqs/srs/tst/.doorstop.yml", "settings:\n  prefix: TST\n", "reqs/srs/tst/TST-001.yml", "links: [SRS-001]\n"),
			want:  []string{"TST-001@1:1 type=tst status=active parents=SRS-001"}},
		{name: "markdown item without front matter", path: "u/URS-001.md",
			files: mapFS("u/.doorstop.yml", "settings:\n  itemformat: markdown\n  prefix: URS\n", "u/URS-001.md", "Intro\n\n# Need\n\nThe nurse needs it.\n"),
			want:  []string{"URS-001@1:1 type=urs status=active"}},
		{name: "markdown item front matter error on its file line", path: "u/URS-001.md",
			files: mapFS("u/.doorstop.yml", "settings:\n  itemformat: markdown\n  prefix: URS\n", "u/URS-001.md", "---\nactive: true\nlevel: 1\n  links: []\n---\n"),
			errs:  []wantErr{{"u/URS-001.md:4", "invalid YAML"}}},
		{name: "skipped document", path: "reqs/srs/SRS-001.yml",
			files: mapFS(cfg, conf, "reqs/srs/.doorstop.skip", "", "reqs/srs/SRS-001.yml", "text: x\n"),
			warns: []string{"reqs/srs/SRS-001.yml: Doorstop skips document SRS (.doorstop.skip in reqs/srs); item not read"}},
		{name: "skipped tree", path: "reqs/srs/SRS-001.yml",
			files: mapFS(cfg, conf, ".doorstop.skip-all", "", "reqs/srs/SRS-001.yml", "text: x\n"),
			warns: []string{"reqs/srs/SRS-001.yml: Doorstop reads no document of this tree (.doorstop.skip-all at the repository root); item not read"}},
		{name: "not in a document", path: "reqs/SRS-001.yml", files: mapFS("reqs/SRS-001.yml", "text: x\n"),
			errs: []wantErr{{"reqs/SRS-001.yml", "not in a Doorstop document"}}},
		{name: "broken document fails its items", path: "reqs/srs/SRS-001.yml",
			files: mapFS(cfg, "settings:\n  prefix: SRS\n  prefx: SRS\n", "reqs/srs/SRS-001.yml", "text: x\n"),
			errs:  []wantErr{{"reqs/srs/.doorstop.yml:3:3", `unexpected document setting "prefx"`}}},
	}
	runReadCases(t, Doorstop{}, cases)
}

func TestDoorstopDocument(t *testing.T) {
	const cfg = "d/.doorstop.yml"
	cases := []readCase{
		{name: "full", files: mapFS(cfg, "settings:\n  digits: 4\n  itemformat: markdown\n  parent: SYS\n  prefix: SRS\n  sep: _\nattributes:\n  defaults:\n    verification: test\n  reviewed: [verification]\n  publish:\n  - verification\nmacros:\n  project: pump\n")},
		{name: "empty: Doorstop's defaults", files: mapFS(cfg, "")},
		{name: "unexpected setting and attribute", files: mapFS(cfg, "settings:\n  prefix: SRS\n  prefx: SRS\nattributes:\n  default: {}\n"),
			errs: []wantErr{{"d/.doorstop.yml:3:3", `unexpected document setting "prefx"`}, {"d/.doorstop.yml:5:3", `unexpected attributes configuration "default"`}}},
		{name: "bad values", files: mapFS(cfg, "settings:\n  prefix: ''\n  sep: '/'\n  digits: 2.5\n  itemformat: rst\n"),
			errs: []wantErr{
				{"d/.doorstop.yml:2:11", "settings.prefix is empty"},
				{"d/.doorstop.yml:3:8", `invalid UID separator "/"`},
				{"d/.doorstop.yml:4:11", "settings.digits: expected a positive whole number, got the number 2.5"},
				{"d/.doorstop.yml:5:15", `unknown item format "rst"`},
			}},
		{name: "wrong shapes", files: mapFS(cfg, "settings: [prefix]\nattributes:\n  defaults: 3\n  publish: {a: b}\n"),
			errs: []wantErr{
				{"d/.doorstop.yml:1:11", "settings: expected a mapping"},
				{"d/.doorstop.yml:3:13", "attributes.defaults: expected a mapping"},
				{"d/.doorstop.yml:4:12", "attributes.publish: expected a list"},
			}},
		{name: "not a mapping", files: mapFS(cfg, "just text\n"), errs: []wantErr{{"d/.doorstop.yml:1:1", "must be a mapping"}}},
		{name: "include is not followed", files: mapFS(cfg, "settings: !include base.yml\n"), errs: []wantErr{{"d/.doorstop.yml:1:11", "unsupported YAML tag !include"}}},
	}
	for i := range cases {
		cases[i].path = cfg
	}
	runReadCases(t, Doorstop{}, cases)
}
