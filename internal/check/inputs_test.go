package check

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"testing"
	"testing/fstest"
)

func TestInputsDigest(t *testing.T) {
	a := Input{Path: "a.yml", Origin: OriginCommit, SHA256: "11"}
	b := Input{Path: "b.yml", Origin: OriginCommit, SHA256: "22"}
	sum := func(s string) string {
		h := sha256.Sum256([]byte(s))
		return hex.EncodeToString(h[:])
	}
	cases := []struct {
		name string
		in   []Input
		want string
	}{
		{"none", nil, sum("")},
		{"one", []Input{a}, sum("11  commit:a.yml\n")},
		{"sorted by path whatever the order", []Input{b, a}, sum("11  commit:a.yml\n22  commit:b.yml\n")},
		{"then by origin", []Input{{Path: "r.xml", Origin: OriginWorkTree, SHA256: "33"}, {Path: "r.xml", Origin: OriginCommit, SHA256: "44"}},
			sum("44  commit:r.xml\n33  work tree:r.xml\n")},
		{"line breaks and backslashes escaped", []Input{{Path: "x\ny\\z", Origin: OriginCommit, SHA256: "55"}}, sum("55  commit:x\\ny\\\\z\n")},
	}
	for _, c := range cases {
		if got := InputsDigest(c.in); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if InputsDigest([]Input{a}) == InputsDigest([]Input{{Path: a.Path, Origin: OriginWorkTree, SHA256: a.SHA256}}) {
		t.Error("the origin does not count")
	}
}

// The recorder sees regular files opened or read through it, not
// directories, listings or stats, and passes everything through.
func TestRecordingFS(t *testing.T) {
	inner := fstest.MapFS{
		"docs/a.yml":   {Data: []byte("a")},
		"docs/b.yml":   {Data: []byte("b")},
		"docs/c.yml":   {Data: []byte("c")},
		"reports/r.xm": {Data: []byte("r")},
	}
	rec := newRecorder()
	fsys := rec.wrap(inner, OriginWorkTree)
	if err := fstest.TestFS(fsys, "docs/a.yml", "docs/b.yml", "docs/c.yml", "reports/r.xm"); err != nil {
		t.Fatal(err)
	}
	rec = newRecorder() // TestFS opened everything; start again
	fsys = rec.wrap(inner, OriginWorkTree)
	if _, err := fs.ReadFile(fsys, "docs/a.yml"); err != nil {
		t.Fatal(err)
	}
	f, err := fsys.Open("docs/b.yml")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := fs.Stat(fsys, "docs/c.yml"); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.ReadDir(fsys, "docs"); err != nil {
		t.Fatal(err)
	}
	if d, err := fsys.Open("reports"); err == nil {
		d.Close()
	}
	if _, err := fsys.Open("missing.yml"); err == nil {
		t.Fatal("a missing file opened")
	}
	want := map[inputKey]bool{{OriginWorkTree, "docs/a.yml"}: true, {OriginWorkTree, "docs/b.yml"}: true}
	if len(rec.opened) != len(want) {
		t.Errorf("recorded %v", rec.opened)
	}
	for k := range want {
		if rec.opened[k] == nil {
			t.Errorf("%v not recorded", k)
		}
	}
	if inner, origin := originOf(fsys); origin != OriginWorkTree || inner == nil {
		t.Errorf("originOf = %v, %q", inner, origin)
	}
}
