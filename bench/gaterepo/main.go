// Command gaterepo turns a generated design history file (bench/gendhf)
// into a git repository for the gate benchmark: the tree committed and
// tagged v1.0.0, then N commits (default 3,000) tagged v2.0.0, then a pull
// request branch "feature" of a few commits on top. It writes the history
// through git fast-import, so 3,000 commits take a second, not minutes.
//
//	go run ./bench/gaterepo -dhf bench/out/dhf -out bench/out/gates [-commits 3000] [-seed 1]
//
// Commit messages reference requirement IDs from the tree (about 1 % name
// none, so that the release gate has untraced changes to report); every
// 50th change is a merge of a two-commit side branch whose merge commit
// carries the link, as a merged pull request does. The same flags give the
// same repository.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

func main() {
	dhf := flag.String("dhf", "bench/out/dhf", "generated design history file (bench/gendhf -out)")
	out := flag.String("out", "bench/out/gates", "repository to create (must not exist)")
	commits := flag.Int("commits", 3000, "commits between v1.0.0 and v2.0.0")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if err := run(*dhf, *out, *commits, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gaterepo:", err)
		os.Exit(1)
	}
}

var reqID = regexp.MustCompile(`(?m)^\s*-?\s*id:\s*(SRS-\d+)`)

func run(dhf, out string, n int, seed uint64) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists; remove it first", out)
	}
	files, ids, err := collect(dhf)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return fmt.Errorf("no SRS IDs found in %s", dhf)
	}
	if err := git("", "init", "-q", "-b", "main", out); err != nil {
		return err
	}
	cmd := exec.Command("git", "-C", out, "fast-import", "--quiet", "--done")
	cmd.Env = gitEnv()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	w := bufio.NewWriterSize(stdin, 1<<20)
	s := &stream{w: w, rng: rand.New(rand.NewPCG(seed, 62304)), ids: ids, when: 1767225600}

	// v1.0.0: the whole tree.
	s.commit("refs/heads/main", "Release 1.0.0 baseline (SRS-0001)", nil, files, dhf)
	s.tag("v1.0.0")
	for i := 1; i <= n; {
		if i%50 == 0 && i+2 <= n { // a merged pull request: two commits on a side branch
			base := s.last
			side := fmt.Sprintf("refs/heads/pr-%d", i)
			s.commitFrom(side, base, "wip", s.change(i))
			s.commitFrom(side, s.last, "address review", s.change(i+1))
			sideTip := s.last
			s.commitMerge("refs/heads/main", base, sideTip, fmt.Sprintf("Merge pull request #%d from acme/%s", 1000+i, s.pick()), s.change(i+2))
			i += 3
			continue
		}
		msg := fmt.Sprintf("Change %d (%s)", i, s.pick())
		if s.rng.IntN(100) == 0 {
			msg = fmt.Sprintf("Tidy %d", i) // untraced
		}
		s.commitFrom("refs/heads/main", s.last, msg, s.change(i))
		i++
	}
	s.tag("v2.0.0")
	tip := s.last
	for j := 1; j <= 5; j++ {
		s.commitFrom("refs/heads/feature", tip, fmt.Sprintf("Feature step %d (%s)", j, s.pick()), s.change(n+j))
		tip = s.last
	}
	fmt.Fprintln(w, "done")
	if err := w.Flush(); err != nil {
		return err
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git fast-import: %w", err)
	}
	return git(out, "checkout", "-q", "-f", "main")
}

func collect(dhf string) (files []string, ids []string, err error) {
	err = filepath.WalkDir(dhf, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dhf, p)
		files = append(files, filepath.ToSlash(rel))
		if strings.HasSuffix(p, ".yml") && strings.Contains(rel, "requirements") {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, m := range reqID.FindAllStringSubmatch(string(b), -1) {
				ids = append(ids, m[1])
			}
		}
		return nil
	})
	sort.Strings(files)
	sort.Strings(ids)
	return files, ids, err
}

type stream struct {
	w    *bufio.Writer
	rng  *rand.Rand
	ids  []string
	mark int
	last int
	when int64
}

func (s *stream) pick() string { return s.ids[s.rng.IntN(len(s.ids))] }

// change is the file content a numbered change writes.
func (s *stream) change(i int) map[string]string {
	return map[string]string{fmt.Sprintf("src/changes/%03d/change-%05d.txt", i%97, i): fmt.Sprintf("change %d\n", i)}
}

func (s *stream) header(ref, msg string) {
	s.mark++
	s.when += 60
	fmt.Fprintf(s.w, "commit %s\nmark :%d\ncommitter Dev <dev@example.com> %d +0000\ndata %d\n%s\n", ref, s.mark, s.when, len(msg), msg)
}

func (s *stream) commit(ref, msg string, from *int, files []string, root string) {
	s.header(ref, msg)
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			panic(err)
		}
		fmt.Fprintf(s.w, "M 100644 inline %s\ndata %d\n%s\n", f, len(b), b)
	}
	s.last = s.mark
}

func (s *stream) commitFrom(ref string, from int, msg string, files map[string]string) {
	s.header(ref, msg)
	fmt.Fprintf(s.w, "from :%d\n", from)
	s.write(files)
	s.last = s.mark
}

func (s *stream) commitMerge(ref string, from, merge int, msg string, files map[string]string) {
	s.header(ref, msg)
	fmt.Fprintf(s.w, "from :%d\nmerge :%d\n", from, merge)
	s.write(files)
	s.last = s.mark
}

func (s *stream) write(files map[string]string) {
	for name, c := range files {
		fmt.Fprintf(s.w, "M 100644 inline %s\ndata %d\n%s\n", name, len(c), c)
	}
}

func (s *stream) tag(name string) {
	s.when += 60
	msg := "Release " + name
	fmt.Fprintf(s.w, "tag %s\nfrom :%d\ntagger Dev <dev@example.com> %d +0000\ndata %d\n%s\n", name, s.last, s.when, len(msg), msg)
}

func git(dir string, args ...string) error {
	if dir != "" {
		args = append([]string{"-C", dir}, args...)
	}
	cmd := exec.Command("git", args...)
	cmd.Env = gitEnv()
	cmd.Stderr = os.Stderr
	return cmd.Run()
}

func gitEnv() []string {
	return append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
}
