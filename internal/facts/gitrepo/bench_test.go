package gitrepo

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"

	"github.com/tracegate/tracegate/internal/facts/gitrepo/gittest"
)

// history builds n commits on main in one git fast-import, every 25th a
// merge, each with a message of a few lines and a changed file.
func history(b testing.TB, n int) *gittest.Repo {
	g := gittest.New(b)
	var s strings.Builder
	for i := 1; i <= n; i++ {
		ts := 1700000000 + i*60
		msg := fmt.Sprintf("Change %d\n\nA body line, as real commit messages have.\nRefs: REQ-%d\n", i, i%300)
		fmt.Fprintf(&s, "commit refs/heads/main\nmark :%d\nauthor A U Thor <a@example.com> %d +0000\ncommitter C O Mitter <c@example.com> %d +0000\ndata %d\n%s",
			i, ts, ts, len(msg), msg)
		if i > 1 {
			fmt.Fprintf(&s, "from :%d\n", i-1)
		}
		if i%25 == 0 {
			fmt.Fprintf(&s, "merge :%d\n", i-3)
		}
		content := fmt.Sprintf("content %d\n", i)
		fmt.Fprintf(&s, "M 100644 inline f%03d.txt\ndata %d\n%s\n", i%100, len(content), content)
	}
	g.RunInput(s.String(), "fast-import", "--quiet")
	return g
}

func BenchmarkCommits3000(b *testing.B) {
	g := history(b, 3000)
	r := openDir(b, g.Dir())
	ctx := context.Background()
	if commits, err := r.Commits(ctx, "", "main"); err != nil || len(commits) != 3000 {
		b.Fatalf("%d commits, %v", len(commits), err)
	}
	for b.Loop() {
		if _, err := r.Commits(ctx, "", "main"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/3000, "ns/commit")
}

// BenchmarkTreeRead300 lists a tree and reads its 300 files: one at a time,
// from 8 goroutines, and, for comparison, with a git process per file.
func BenchmarkTreeRead300(b *testing.B) {
	g := gittest.New(b)
	for i := range 300 {
		g.Write(fmt.Sprintf("docs/d%d/req-%03d.yml", i%10, i), strings.Repeat(fmt.Sprintf("id: REQ-%d\ntext: a requirement\n", i), 40))
	}
	g.Commit("300 files")
	r := openDir(b, g.Dir())
	ctx := context.Background()

	paths := func(tree fs.FS) []string {
		var out []string
		err := fs.WalkDir(tree, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				out = append(out, p)
			}
			return err
		})
		if err != nil || len(out) != 300 {
			b.Fatalf("%d files, %v", len(out), err)
		}
		return out
	}
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			tree, err := r.Tree(ctx, "HEAD")
			if err != nil {
				b.Fatal(err)
			}
			for _, p := range paths(tree) {
				if _, err := fs.ReadFile(tree, p); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("parallel8", func(b *testing.B) {
		for b.Loop() {
			tree, err := r.Tree(ctx, "HEAD")
			if err != nil {
				b.Fatal(err)
			}
			ps := paths(tree)
			var wg sync.WaitGroup
			for w := range 8 {
				wg.Go(func() {
					for k := w; k < len(ps); k += 8 {
						if _, err := fs.ReadFile(tree, ps[k]); err != nil {
							b.Error(err)
						}
					}
				})
			}
			wg.Wait()
		}
	})
	b.Run("process-per-file", func(b *testing.B) {
		for b.Loop() {
			tree, err := r.Tree(ctx, "HEAD")
			if err != nil {
				b.Fatal(err)
			}
			for _, p := range paths(tree) {
				st, _ := fs.Stat(tree, p)
				if _, err := r.run.output(ctx, "cat-file", "blob", st.Sys().(Entry).Object); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
