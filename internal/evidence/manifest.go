package evidence

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
)

// Manifest writes files in the format `sha256sum -c` reads: one line per
// file, "HASH  PATH", sorted by path. A path holding a backslash or a line
// break is written as GNU coreutils writes it: the line starts with a
// backslash, and the path has "\\" and "\n" for them.
func Manifest(files []File) []byte {
	sorted := append([]File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	var b bytes.Buffer
	for _, f := range sorted {
		name := f.Path
		if strings.ContainsAny(name, "\\\n\r") {
			b.WriteByte('\\')
			name = manifestEscaper.Replace(name)
		}
		fmt.Fprintf(&b, "%s  %s\n", f.SHA256, name)
	}
	return b.Bytes()
}

var manifestEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`)
var manifestUnescaper = strings.NewReplacer(`\\`, `\`, `\n`, "\n", `\r`, "\r")

// ParseManifest reads a manifest written by Manifest (or sha256sum).
func ParseManifest(r io.Reader) ([]File, error) {
	var out []File
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		escaped := strings.HasPrefix(line, `\`)
		if escaped {
			line = line[1:]
		}
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != 64 || !isHex(sum) || name == "" {
			return nil, fmt.Errorf("line %d: not \"SHA256  PATH\"", n)
		}
		if escaped {
			name = manifestUnescaper.Replace(name)
		}
		out = append(out, File{Path: name, SHA256: sum})
	}
	return out, sc.Err()
}

// Verify checks a bundle directory against its manifest, as `sha256sum -c`
// does, and also that the manifest lists every file of the directory: a
// file added to a bundle is as much a tampering as a file changed.
func Verify(dir string) error {
	fsys := os.DirFS(dir)
	data, err := fs.ReadFile(fsys, ManifestFile)
	if err != nil {
		return err
	}
	listed, err := ParseManifest(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s: %w", ManifestFile, err)
	}
	want := map[string]string{}
	for _, f := range listed {
		want[f.Path] = f.SHA256
	}
	var problems []string
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || p == ManifestFile {
			return nil
		}
		sum, ok := want[p]
		if !ok {
			problems = append(problems, p+": not in the manifest")
			return nil
		}
		delete(want, p)
		got, err := fileSHA256(dir + "/" + p)
		if err != nil {
			return err
		}
		if got != sum {
			problems = append(problems, p+": SHA-256 differs from the manifest")
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range sortedKeys(want) {
		problems = append(problems, p+": listed in the manifest but missing")
	}
	if len(problems) > 0 {
		return fmt.Errorf("bundle %s does not match its manifest:\n  %s", dir, strings.Join(problems, "\n  "))
	}
	return nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// fsValid reports whether name is a clean relative slash path.
func fsValid(name string) bool { return fs.ValidPath(name) && name != "." }
