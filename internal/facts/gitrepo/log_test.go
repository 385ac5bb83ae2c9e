package gitrepo

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
)

func TestCommits(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	tests := []struct {
		from, to string
		want     []string // SHAs, newest first
	}{
		{from: "", to: "HEAD", want: []string{f.c5, f.c4, f.c3, f.c2, f.c1}},
		{from: "v1.0", to: "HEAD", want: []string{f.c5, f.c4, f.c3, f.c2}},
		{from: "v1.0", to: "v1.1", want: []string{f.c4, f.c3, f.c2}},
		{from: "feature", to: "main", want: []string{f.c5, f.c4, f.c3}},
		{from: "main", to: "feature", want: nil},
		{from: "HEAD", to: "HEAD", want: nil},
		{from: "", to: "v1.0", want: []string{f.c1}},
	}
	for _, tt := range tests {
		t.Run(tt.from+".."+tt.to, func(t *testing.T) {
			commits, err := r.Commits(context.Background(), tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range commits {
				got = append(got, c.SHA)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCommitFields(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	commits, err := r.Commits(context.Background(), "", "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	bySHA := make(map[string]facts.Commit)
	for _, c := range commits {
		bySHA[c.SHA] = c
		if c.Author != gittest.Name+" <"+gittest.Email+">" {
			t.Errorf("%s: author %q", c.SHA, c.Author)
		}
	}
	tests := []struct {
		sha     string
		parents []string
		message string
		tick    int // steps of the gittest clock: commits and annotated tags made through gittest before it
	}{
		{sha: f.c1, message: "Initial commit", tick: 0},
		{sha: f.c2, parents: []string{f.c1}, message: strings.TrimRight(featureMs, "\n"), tick: 2},
		{sha: f.c3, parents: []string{f.c1}, message: "Main work", tick: 3},
		{sha: f.c4, parents: []string{f.c3, f.c2}, message: "Merge branch 'feature'", tick: 4},
		{sha: f.c5, parents: []string{f.c4}, message: "Empty commit", tick: 5},
	}
	for _, tt := range tests {
		c, ok := bySHA[tt.sha]
		if !ok {
			t.Errorf("commit %s missing", tt.sha)
			continue
		}
		if !slices.Equal(c.Parents, tt.parents) {
			t.Errorf("%s: parents %q, want %q", tt.sha, c.Parents, tt.parents)
		}
		if c.Message != tt.message {
			t.Errorf("%s: message %q, want %q", tt.sha, c.Message, tt.message)
		}
		if want := gittest.Start.Add(time.Duration(tt.tick) * gittest.Step); !c.Committed.Equal(want) {
			t.Errorf("%s: committed %v, want %v", tt.sha, c.Committed, want)
		}
	}
	if c := bySHA[f.c4]; !c.IsMerge() {
		t.Errorf("merge commit %s: IsMerge() = false", f.c4)
	}
	if c := bySHA[f.c2]; c.Subject() != "Feature work" {
		t.Errorf("Subject() = %q", c.Subject())
	}
}

// A message can hold any byte but NUL; the record separator among them.
func TestCommitMessageBytes(t *testing.T) {
	g := gittest.New(t)
	messages := []string{
		"\x1e",
		"subject\x1e\nbody\x1e\x1e",
		"tabs\tand\rcarriage\x7f\x01\x02\x03",
		"ünïcödé 名",
		strings.Repeat("long line ", 20000),
		"",
	}
	for _, m := range messages {
		g.Commit(m)
	}
	// git commit rewrites bytes that are not UTF-8 as Latin-1; a commit
	// object written directly keeps them, as a foreign tool's would.
	raw := "invalid utf-8 \xff\xfe\x80 end"
	obj := "tree " + g.Run("rev-parse", "HEAD^{tree}") + "\nparent " + g.Run("rev-parse", "HEAD") +
		"\nauthor A <a@x> 1700000000 +0000\ncommitter C <c@x> 1700000000 +0000\n\n" + raw
	g.Run("update-ref", "HEAD", g.RunInput(obj, "hash-object", "-t", "commit", "-w", "--stdin"))
	messages = append(messages, raw)

	r := openDir(t, g.Dir())
	commits, err := r.Commits(context.Background(), "", "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if len(commits) != len(messages) {
		t.Fatalf("%d commits, want %d", len(commits), len(messages))
	}
	for i, c := range commits {
		if want := messages[len(messages)-1-i]; c.Message != want {
			t.Errorf("commit %d: message %q, want %q", i, c.Message, want)
		}
	}
}

func TestCommitsErrors(t *testing.T) {
	f := newFixture(t)
	r := f.open(t)
	ctx := context.Background()
	for _, tt := range []struct{ from, to string }{{"v0", "HEAD"}, {"", "nope"}, {"--all", "HEAD"}} {
		_, err := r.Commits(ctx, tt.from, tt.to)
		if !errors.Is(err, facts.ErrNotFound) {
			t.Errorf("Commits(%q, %q) = %v, want ErrNotFound", tt.from, tt.to, err)
		}
	}
}

func TestCommitsShallow(t *testing.T) {
	f := newFixture(t)
	r := openDir(t, shallowClone(t, f.Repo))
	ctx := context.Background()
	tests := []struct {
		from, to string
		want     int    // commits, when no error
		err      string // part of the error
	}{
		{from: "HEAD", to: "HEAD", want: 0},
		{from: "", to: "HEAD", err: "the history stops at commit " + f.c5},
		{from: "v1.0", to: "HEAD", err: `git ref "v1.0": not found`},
	}
	for _, tt := range tests {
		commits, err := r.Commits(ctx, tt.from, tt.to)
		if tt.err == "" {
			if err != nil || len(commits) != tt.want {
				t.Errorf("Commits(%q, %q) = %d commits, %v; want %d", tt.from, tt.to, len(commits), err, tt.want)
			}
			continue
		}
		wantErr(t, err, tt.err, ShallowHint)
	}
}

func TestParseLog(t *testing.T) {
	sha := strings.Repeat("a", 40)
	sha2 := strings.Repeat("b", 40)
	rec := func(fields ...string) string { return "\x1e" + strings.Join(fields, "\x00") + "\x00" }
	tests := []struct {
		name    string
		in      string
		want    []facts.Commit
		wantErr string
	}{
		{name: "empty"},
		{name: "root commit", in: rec(sha, "", "A <a@x>", "2024-01-02T03:04:05+01:00", "subject\n\nbody\n\n"),
			want: []facts.Commit{{SHA: sha, Author: "A <a@x>", Committed: time.Date(2024, 1, 2, 2, 4, 5, 0, time.UTC), Message: "subject\n\nbody"}}},
		{name: "merge and separator in message",
			in: rec(sha, sha2+" "+sha2, "A <a@x>", "2024-01-02T03:04:05Z", "x\x1ey") + rec(sha2, "", "", "2024-01-02T03:04:05Z", ""),
			want: []facts.Commit{
				{SHA: sha, Parents: []string{sha2, sha2}, Author: "A <a@x>", Committed: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), Message: "x\x1ey"},
				{SHA: sha2, Committed: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
			}},
		{name: "no separator", in: rec(sha, "", "A", "2024-01-02T03:04:05Z", "m")[1:], wantErr: "commit 1: starts with"},
		{name: "truncated", in: rec(sha, "", "A", "2024-01-02T03:04:05Z", "m")[:50], wantErr: "unexpected EOF"},
		{name: "missing final NUL", in: strings.TrimSuffix(rec(sha, "", "A", "2024-01-02T03:04:05Z", "m"), "\x00"), wantErr: "unexpected EOF"},
		{name: "short SHA", in: rec(sha[:7], "", "A", "2024-01-02T03:04:05Z", "m"), wantErr: "bad commit SHA"},
		{name: "bad parent", in: rec(sha, sha2+"  "+sha2, "A", "2024-01-02T03:04:05Z", "m"), wantErr: "bad parent"},
		{name: "parent of another hash", in: rec(sha, strings.Repeat("c", 64), "A", "2024-01-02T03:04:05Z", "m"), wantErr: "bad parent"},
		{name: "bad date", in: rec(sha, "", "A", "yesterday", "m"), wantErr: "bad committer date"},
		{name: "second record bad", in: rec(sha, "", "A", "2024-01-02T03:04:05Z", "m") + "x", wantErr: "commit 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []facts.Commit
			err := parseLog(strings.NewReader(tt.in), func(c facts.Commit) error {
				got = append(got, c)
				return nil
			})
			if tt.wantErr != "" {
				wantErr(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d commits, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if !commitEqual(got[i], tt.want[i]) {
					t.Errorf("commit %d:\n got %+v\nwant %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func commitEqual(a, b facts.Commit) bool {
	return a.SHA == b.SHA && slices.Equal(a.Parents, b.Parents) && a.Author == b.Author &&
		a.Committed.Equal(b.Committed) && a.Message == b.Message
}
