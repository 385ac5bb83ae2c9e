package resultdoc

import (
	"net/url"
	"path"
	"strings"
)

// repoPath returns file as a clean, slash-separated path relative to the
// repository root, or false when it names no file of the repository: empty,
// absolute (/x, C:\x), a URL, outside the root (../x), or one of the pseudo
// names positions use for what is not a file ("(built-in default policy)",
// "<input>"). Only such paths may become SARIF artifact URIs or blob links:
// code scanning resolves a relative URI against the repository root, and a
// link to a path that is not in the repository is a link to nothing.
func repoPath(file string) (string, bool) {
	f := strings.ReplaceAll(file, `\`, "/")
	if f == "" || f[0] == '/' || f[0] == '(' || f[0] == '<' || strings.ContainsRune(f, 0) {
		return "", false
	}
	if len(f) >= 2 && f[1] == ':' && isASCIILetter(f[0]) { // C:/x
		return "", false
	}
	if i := strings.Index(f, "://"); i > 0 && isScheme(f[:i]) {
		return "", false
	}
	f = path.Clean(f)
	if f == "." || f == ".." || strings.HasPrefix(f, "../") {
		return "", false
	}
	return f, true
}

// escapePath percent-encodes each segment of a repository path for use as
// a relative URI reference (RFC 3986): spaces, '#', '?', '%', parentheses,
// non-ASCII and the like are encoded, slashes separate segments. ':' is
// encoded too, so that a first segment such as "a:b" cannot read as a
// scheme.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	return strings.Join(segs, "/")
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isScheme(s string) bool {
	if s == "" || !isASCIILetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isASCIILetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}
