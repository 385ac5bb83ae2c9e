package trace

import (
	"strings"
	"testing"
)

func TestLinks(t *testing.T) {
	x := testIDs(t)
	f := &LinkFinder{IDs: x, Repo: "acme/pump", Hosts: []string{"github.com", "ghe.acme.local"}}
	cases := []struct {
		name, text string
		want       []string // kind:id[:closing]
	}{
		{"ids of every kind", "SRS-12: limit bolus (CR-3, PRB-7)", []string{"requirement:SRS-12", "change_request:CR-3", "problem_report:PRB-7"}},
		{"closing keywords", "Fixes #12\nresolves: acme/other#5\nCloses https://github.com/acme/pump/issues/9", []string{"issue:#12:closing", "issue:acme/other#5:closing", "issue:#9:closing"}},
		{"plain references", "see #4 and (GH-8), and acme/pump#4 again", []string{"issue:#4", "issue:#8"}},
		{"ghes url, foreign host ignored", "https://ghe.acme.local/acme/pump/issues/3 https://gitlab.com/a/b/issues/2", []string{"issue:#3"}},
		{"pull request urls are not issues", "https://github.com/acme/pump/pull/77", nil},
		{"template comments and code ignored", "<!-- Fixes #123, SRS-999 -->\n```\nfixes #5\n```\n`SRS-4` real: CR-1", []string{"change_request:CR-1"}},
		{"no anchors inside words", "abc#12 x-#3 SRS-1a", nil},
		{"zero is not an issue", "#0", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var l Links
			f.Text(&l, tc.text, "body")
			var got []string
			for _, k := range l.List() {
				s := k.Kind + ":" + k.ID
				if k.Closing {
					s += ":closing"
				}
				got = append(got, s)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestBranchAndMerge(t *testing.T) {
	f := &LinkFinder{IDs: testIDs(t), Repo: "acme/pump"}
	var l Links
	f.Branch(&l, "feature/SRS-7-limit")
	f.Branch(&l, "42-fix-occlusion")
	f.Text(&l, "Add limit SRS-7", "title")
	got := l.List()
	if len(got) != 2 || got[0].ID != "SRS-7" || strings.Join(got[0].Where, ",") != "branch,title" || got[1].ID != "#42" {
		t.Errorf("links = %+v", got)
	}
}

// FuzzLinks: any text gives links whose IDs occur in it, without panicking.
func FuzzLinks(f *testing.F) {
	f.Add("Fixes #12, SRS-1 and https://github.com/acme/pump/issues/9 <!-- #3 -->")
	f.Add("```\n#1\n``` acme/x#5 GH-7 CR-2")
	f.Fuzz(func(t *testing.T, text string) {
		c := testIDsF()
		lf := &LinkFinder{IDs: c, Repo: "acme/pump"}
		var l Links
		lf.Text(&l, text, "body")
		lf.Branch(&l, text)
		for _, k := range l.List() {
			if k.ID == "" || len(k.Where) == 0 {
				t.Fatalf("link %+v", k)
			}
			if k.Kind != LinkIssue && !strings.Contains(text, k.ID) {
				t.Fatalf("ID %q not in the text", k.ID)
			}
		}
	})
}
