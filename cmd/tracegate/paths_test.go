package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
)

// Globs given on the command line are the flag's, not the policy's: one
// that leaves the repository or does not parse is a usage error naming the
// flag.
func TestFlagGlobsBlameTheFlag(t *testing.T) {
	dir := releasedRepo(t, "").Dir()
	for _, args := range [][]string{
		{"check", "release", "--tests", "../x"},
		{"check", "release", "--tests", "/etc/passwd"},
		{"check", "release", "--tests", "reports/[x"},
		{"evidence", "--out", t.TempDir(), "--sbom", "../x"},
	} {
		code, _, errs := tracegate(t, append(args, "--dir", dir)...)
		flag, glob := args[len(args)-2], args[len(args)-1]
		if code != 2 || !strings.Contains(errs, flag+` "`+glob+`"`) || strings.Contains(errs, "tracegate.yml") {
			t.Errorf("%s: exit %d, want 2 and an error naming %s %s, not the policy:\n%s", strings.Join(args, " "), code, flag, glob, errs)
		}
	}
}

// linkedRepo is a class A repository whose one requirement is verified,
// first released as v1.0.0 after setup has added its links; outside is a
// directory beside it, with a lax policy, a register and a test report.
func linkedRepo(t *testing.T, setup func(r *gittest.Repo, outside string)) *gittest.Repo {
	t.Helper()
	r := verifiedRepo(t, ", first: true")
	outside := t.TempDir()
	for name, content := range map[string]string{
		"policy.yml":  strings.Replace(verifiedPolicy(", first: true"), "docs/req/**/*.yml", "nothing/*.yml", 1),
		"soup.yml":    "soup: []\n",
		"junit.xml":   junitSRS001,
		"req/b.yml":   "- id: SRS-002\n  title: Alarm\n  status: approved\n  text: Untested.\n",
		"osv/PyPI/.k": "",
	} {
		p := filepath.Join(outside, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	setup(r, outside)
	r.Commit("SRS-001 links")
	r.Tag("v1.0.0", true, "1.0.0")
	return r
}

const untested = "- id: SRS-002\n  title: Alarm\n  status: approved\n  text: Untested.\n"

// One rule for symbolic links, at a tag and in the work tree alike: a link
// inside the repository is followed; one that leaves it, loops or leads
// nowhere is an error naming it. Before, a requirement file linked inside
// the repository was dropped with a warning (its untested requirement
// passed), and the policy and the register were followed out of the
// repository in the work tree but refused at a tag.
func TestSymlinksOneRule(t *testing.T) {
	for _, tt := range []struct {
		name  string
		setup func(r *gittest.Repo, outside string)
		code  int
		want  []string // in the output (stdout and stderr)
	}{
		{"a requirement file linked inside", func(r *gittest.Repo, _ string) {
			r.Write("other/b.yml", untested)
			r.Symlink("../../other/b.yml", "docs/req/b.yml")
		}, 1, []string{"TG302", "SRS-002"}},
		{"a requirement directory linked inside", func(r *gittest.Repo, _ string) {
			r.Write("other/req/b.yml", untested)
			r.Symlink("../../other/req", "docs/req/more")
		}, 1, []string{"TG302", "SRS-002"}},
		{"the policy linked inside", func(r *gittest.Repo, _ string) {
			r.Write("policy/tracegate.yml", readFile(t, filepath.Join(r.Dir(), ".github/tracegate.yml")))
			r.Remove(".github/tracegate.yml")
			r.Symlink("../policy/tracegate.yml", ".github/tracegate.yml")
			r.Write("docs/req/b.yml", untested)
		}, 1, []string{"TG302", "SRS-002"}},
		{"the policy linked outside", func(r *gittest.Repo, outside string) {
			r.Remove(".github/tracegate.yml")
			r.Symlink(filepath.Join(outside, "policy.yml"), ".github/tracegate.yml")
			r.Write("docs/req/b.yml", untested)
		}, 2, []string{".github/tracegate.yml", "leaves the repository"}},
		{"the SOUP register linked outside", func(r *gittest.Repo, outside string) {
			r.Remove("docs/soup/soup.yml")
			r.Symlink("../../../"+filepath.Base(outside)+"/soup.yml", "docs/soup/soup.yml")
		}, 3, []string{"docs/soup/soup.yml", "leaves the repository"}},
		{"a requirement directory linked outside", func(r *gittest.Repo, outside string) {
			r.Symlink(filepath.Join(outside, "req"), "docs/req/more")
		}, 3, []string{"docs/req/more", "leaves the repository"}},
		{"a test report linked outside", func(r *gittest.Repo, outside string) {
			r.Remove("reports/junit.xml")
			r.Symlink(filepath.Join(outside, "junit.xml"), "reports/junit.xml")
		}, 3, []string{"reports/junit.xml", "leaves the repository"}},
		{"the offline OSV database linked outside", func(r *gittest.Repo, outside string) {
			p := filepath.Join(r.Dir(), ".github/tracegate.yml")
			r.Write(".github/tracegate.yml", strings.Replace(readFile(t, p), "register: docs/soup/soup.yml", "register: docs/soup/soup.yml, osv_db: osv", 1))
			r.Symlink(filepath.Join(outside, "osv"), "osv")
		}, 3, []string{"osv", "leaves the repository"}},
		{"a link out of the repository that no glob names", func(r *gittest.Repo, _ string) {
			p := filepath.Join(r.Dir(), ".github/tracegate.yml")
			r.Write(".github/tracegate.yml", strings.Replace(readFile(t, p), "test_sources: []", `test_sources: ["**/test_*.py"]`, 1))
			r.Symlink("/usr/bin/python3", ".venv/bin/python")
		}, 0, []string{"PASS"}},
		{"a loop", func(r *gittest.Repo, _ string) {
			r.Symlink("c.yml", "docs/req/b.yml")
			r.Symlink("b.yml", "docs/req/c.yml")
		}, 3, []string{"docs/req/b.yml", "loop"}},
		{"a link to nothing", func(r *gittest.Repo, _ string) {
			r.Symlink("gone.yml", "docs/req/b.yml")
		}, 3, []string{"docs/req/b.yml", "leads to no file"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := linkedRepo(t, tt.setup).Dir()
			for _, where := range [][]string{nil, {"--tag", "v1.0.0"}} {
				code, out, errs := tracegate(t, append([]string{"check", "release", "--dir", dir}, where...)...)
				all := out + errs
				if code != tt.code {
					t.Errorf("%v: exit %d, want %d\n%s", where, code, tt.code, all)
					continue
				}
				for _, w := range tt.want {
					if !strings.Contains(all, w) {
						t.Errorf("%v: the output does not say %q:\n%s", where, w, all)
					}
				}
			}
		})
	}
}

// plant makes path a symbolic link to a victim file outside the repository
// and returns the victim's path; untouched reports whether it still holds
// what it held.
func plant(t *testing.T, path string) (victim string, untouched func() bool) {
	t.Helper()
	victim = filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("precious\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, path); err != nil {
		t.Fatal(err)
	}
	return victim, func() bool {
		b, err := os.ReadFile(victim)
		return err == nil && string(b) == "precious\n"
	}
}

// No write follows a symbolic link: a link planted where tracegate writes a
// file is refused with an error naming it, and what it points to is left
// as it was.
func TestWritesDoNotFollowLinks(t *testing.T) {
	r := linkedRepo(t, func(r *gittest.Repo, _ string) {})
	dir := r.Dir()
	for _, tt := range []struct {
		name   string
		target string // the path planted, relative to the repository
		args   []string
	}{
		{"the evidence zip's digest", "out/tracegate-evidence-v1.0.0.zip.sha256", []string{"evidence", "--tag", "v1.0.0", "--out", "out"}},
		{"the evidence zip", "out/tracegate-evidence-v1.0.0.zip", []string{"evidence", "--tag", "v1.0.0", "--out", "out"}},
		{"a report (-o)", "matrix.csv", []string{"trace", "--format", "csv", "-o", "matrix.csv"}},
		{"a result (--output)", "result.sarif", []string{"check", "release", "--format", "sarif", "--output", "result.sarif"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			full := filepath.Join(dir, filepath.FromSlash(tt.target))
			os.Remove(full)
			os.RemoveAll(filepath.Join(dir, "out"))
			_, untouched := plant(t, full)
			t.Chdir(dir)
			code, out, errs := tracegate(t, append(tt.args, "--dir", dir)...)
			if !untouched() {
				t.Errorf("exit %d: the file the link points to was written\n%s%s", code, out, errs)
			}
			if code == 0 || !strings.Contains(errs, filepath.Base(tt.target)) || !strings.Contains(errs, "symbolic link") {
				t.Errorf("exit %d, want an error naming the link:\n%s%s", code, out, errs)
			}
			if st, err := os.Lstat(full); err != nil || st.Mode()&os.ModeSymlink == 0 {
				t.Errorf("the link itself was replaced: %v, %v", st, err)
			}
		})
	}
}

// soup sync edits the register the policy names only inside the
// repository: a register linked out of it is refused, and so is one that
// is a link inside it (the file it points to is the one to sync).
func TestSOUPSyncRegisterLinks(t *testing.T) {
	bom := `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[{"type":"library","name":"zlib","version":"1.3","purl":"pkg:generic/zlib@1.3"}]}`
	for _, tt := range []struct {
		name  string
		link  func(r *gittest.Repo, outside string)
		want  string
		wrote string // the file that must be unchanged
	}{
		{"out of the repository", func(r *gittest.Repo, outside string) {
			r.Remove("docs/soup/soup.yml")
			r.Symlink(filepath.Join(outside, "soup.yml"), "docs/soup/soup.yml")
		}, "leaves the repository", "soup.yml"},
		{"inside the repository", func(r *gittest.Repo, _ string) {
			r.Write("shared/soup.yml", "soup: []\n")
			r.Remove("docs/soup/soup.yml")
			r.Symlink("../../shared/soup.yml", "docs/soup/soup.yml")
		}, "shared/soup.yml", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var outside string
			r := linkedRepo(t, func(r *gittest.Repo, o string) {
				outside = o
				r.Write("sbom/bom.json", bom)
				tt.link(r, o)
			})
			code, out, errs := tracegate(t, "soup", "sync", "--dir", r.Dir())
			if code == 0 || !strings.Contains(errs, "docs/soup/soup.yml") || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d\n%s%s", code, out, errs)
			}
			for _, p := range []string{filepath.Join(outside, "soup.yml"), filepath.Join(r.Dir(), "shared/soup.yml")} {
				if b, err := os.ReadFile(p); err == nil && string(b) != "soup: []\n" {
					t.Errorf("%s was written:\n%s", p, b)
				}
			}
		})
	}
}
