package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// leftovers are the temporary files left in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "report.json")
	if err := WriteFile(p, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p); read(t, p) != "one" || st.Mode().Perm() != defaultPerm {
		t.Errorf("new file: %q, %v", read(t, p), st.Mode())
	}
	// Replacing keeps the file's mode, and a reader holding the old file
	// still reads it whole.
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	old, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if err := WriteFile(p, []byte("two")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p); read(t, p) != "two" || st.Mode().Perm() != 0o600 {
		t.Errorf("replaced file: %q, %v", read(t, p), st.Mode())
	}
	if b := make([]byte, 8); func() string { n, _ := old.Read(b); return string(b[:n]) }() != "one" {
		t.Error("the old file was written over in place")
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("temporary files left: %v", l)
	}
}

func TestRefusesLinks(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "x.zip.sha256")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling")
	if err := os.Symlink(filepath.Join(dir, "nothing"), dangling); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{link, dangling, sub} {
		err := WriteFile(p, []byte("x"))
		var pe *fs.PathError
		if err == nil || !errors.As(err, &pe) || pe.Path != p {
			t.Errorf("WriteFile(%s) = %v, want an error naming it", p, err)
		}
		if p != sub && !errors.Is(err, ErrLink) {
			t.Errorf("WriteFile(%s) = %v, want ErrLink", p, err)
		}
	}
	if read(t, victim) != "precious" {
		t.Error("the link's target was written")
	}
	if _, err := os.Stat(filepath.Join(dir, "nothing")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("a dangling link's target was created")
	}

	// A link made while the content was rendered is refused at Commit, and
	// the link is left as it is.
	p := filepath.Join(dir, "late")
	f, err := Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("x")
	if err := os.Symlink(victim, p); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); !errors.Is(err, ErrLink) {
		t.Errorf("Commit over a late link: %v", err)
	}
	if read(t, victim) != "precious" {
		t.Error("the late link's target was written")
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("temporary files left: %v", l)
	}
}

func TestAbort(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.html")
	if err := os.WriteFile(p, []byte("earlier"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("half")
	if err := f.Abort(); err != nil {
		t.Fatal(err)
	}
	if read(t, p) != "earlier" || len(leftovers(t, dir)) != 0 {
		t.Errorf("after Abort: %q, %v", read(t, p), leftovers(t, dir))
	}
	if err := f.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
}

func TestCheckInside(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	for _, d := range []string{"real/deeper"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(root, "evidence")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real", filepath.Join(root, "alias")); err != nil {
		t.Fatal(err)
	}
	for p, ok := range map[string]bool{
		filepath.Join(root, "real/deeper/x.json"): true,
		filepath.Join(root, "new/dirs/x.json"):    true,
		filepath.Join(outside, "x.json"):          true, // not below root
		filepath.Join(root, "evidence"):           false,
		filepath.Join(root, "evidence/x.json"):    false,
		filepath.Join(root, "alias/deeper/x"):     false,
	} {
		err := CheckInside(root, p)
		if (err == nil) != ok || !ok && !errors.Is(err, ErrLink) {
			t.Errorf("CheckInside(%s) = %v, want ok %v", p, err, ok)
		}
	}
	// The root itself may be reached through a link (a system's /tmp).
	via := filepath.Join(t.TempDir(), "via")
	if err := os.Symlink(root, via); err != nil {
		t.Fatal(err)
	}
	if err := CheckInside(via, filepath.Join(via, "real/x")); err != nil {
		t.Errorf("a root reached through a link: %v", err)
	}
}
