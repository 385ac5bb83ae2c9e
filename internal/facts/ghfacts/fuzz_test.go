package ghfacts

import (
	"strings"
	"testing"
)

// FuzzRepoNames: GITHUB_REPOSITORY and the repositories of issue refs and
// API URLs are accepted only as two plain path segments, which cannot
// steer the API path elsewhere.
func FuzzRepoNames(f *testing.F) {
	for _, s := range []string{"octo/pump", "o/r/x", "o/..", "../r", "o/r?x", "o/r#1", "o/%2e%2e", "o/", "/r", "", "o\\r/x",
		"https://ghe.example.com/api/v3/repos/octo/pump", "https://api.github.com/repos/o/r/issues"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		owner, name, err := splitRepo(s)
		if err == nil {
			if owner+"/"+name != s || !pathSegment(owner) || !pathSegment(name) {
				t.Fatalf("splitRepo(%q) = %q, %q", s, owner, name)
			}
			for _, seg := range []string{owner, name} {
				if seg == "." || seg == ".." || strings.ContainsAny(seg, "/?#%\\") {
					t.Fatalf("splitRepo(%q) let %q through", s, seg)
				}
			}
		}
		if r := repoFromURL(s); r != "" {
			if _, _, err := splitRepo(r); err != nil || !strings.HasSuffix(s, "/repos/"+r) {
				t.Fatalf("repoFromURL(%q) = %q", s, r)
			}
		}
	})
}
