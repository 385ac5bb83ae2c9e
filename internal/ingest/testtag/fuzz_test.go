package testtag

import (
	"bytes"
	"io/fs"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tracegate/tracegate/internal/input"
)

// fuzzExts are the file kinds the fuzzer picks from.
var fuzzExts = []string{".go", ".py", ".java", ".kt", ".js", ".ts", ".cpp", ".rs", ".rb", ".feature"}

func FuzzScan(f *testing.F) {
	for _, dir := range []string{"testdata/formats/testtags", "testdata/formats/ketryx-projects", "testdata/formats/ketryx/pytest", "testdata/formats/ketryx/java"} {
		walkSeeds(f, dir)
	}
	// Ketryx's tags and pytest's record_property.
	f.Add(uint8(9), []byte("@tests:SRS-1\nFeature: F\n  @id:TC-1 @tests:SRS-2,SRS-3\n  Scenario Outline: A\n    Given \"\"\"\n  @tests:\n  Examples:\n"))
	f.Add(uint8(1), []byte("def test_a(record_property):\n    record_property('tested-item-id', 'A' \"B\", x=(1,)\n"))
	f.Add(uint8(2), []byte("/** @tests:A,B @TESTS: */ @Test void a() {}"))
	for i, s := range []string{
		"package a\nfunc TestA(t *testing.T) { t.Run(\"x\", func(t *testing.T) { t.Run(y, func(t *testing.T) {\n// Verifies: SRS-1\n}) }) }",
		"class TestA:\n  '''\n  Verifies: SRS-1,\n",
		"/** @verifies SRS-1 */ @Test(x = \"(\") void a() {",
		"describe('a', () => { it('b', () => { /* Verifies: SRS-1 */ ",
		"TEST(A, B) { // Verifies: SRS-1\n",
		"#[test] fn a<'a>() { let c = '\\''; // Verifies: SRS-1\n }",
	} {
		f.Add(uint8(i), []byte(s))
	}
	// Found by the fuzzer: a test with an empty title gave a tag with no
	// function.
	f.Add(uint8(5), []byte("it(''/*Verifies:SYS-0"))
	// Quadratic inputs once: many tags, many tests, one group.
	f.Add(uint8(4), []byte(strings.Repeat("describe('a', () => { // Verifies: SRS-1\n", 40)+strings.Repeat("it('b', () => {});\n", 40)))
	f.Add(uint8(1), []byte(strings.Repeat("# Verifies: SRS-1\n", 200)+"def test_a():\n    pass\n"))
	f.Fuzz(func(t *testing.T, ext uint8, data []byte) {
		name := "a_test" + fuzzExts[int(ext)%len(fuzzExts)]
		tags, warns, err := Scanner{}.Scan(fstest.MapFS{name: {Data: data}}, name, srsIDs)
		if err != nil {
			if e, ok := input.AsError(err); !ok || e.Pos.File != name {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, tg := range tags {
			if tg.Function == "" || len(tg.IDs) == 0 {
				t.Fatalf("tag %+v", tg)
			}
			if tg.Source.File != name || tg.Source.Line < 1 || tg.Source.Line > lines || tg.Source.Col < 1 {
				t.Fatalf("tag position %v (file of %d lines)", tg.Source, lines)
			}
		}
		for _, w := range warns {
			if w.Pos.File != name {
				t.Fatalf("warning %v", w)
			}
		}
	})
}

// walkSeeds adds every test source under dir to the seed corpus.
func walkSeeds(f *testing.F, dir string) {
	err := fs.WalkDir(repo, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(repo, p)
		if err != nil {
			return err
		}
		for i, e := range fuzzExts {
			if e == path.Ext(p) {
				f.Add(uint8(i), data)
			}
		}
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
}
