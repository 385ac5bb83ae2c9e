package gitrepo

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/tracegate/tracegate/internal/facts"
)

// Changes lists the files that differ between the commits from and to name,
// in git's order. from may be empty: every file of to is added. Renames are
// detected (-M, git's default 50 % similarity); copies are not: copy
// detection only looks at files changed in the same diff, so a copy is
// reported as what it also is, an added file. A change of type (file to
// link) is Modified. Binary is git's verdict on the content change (its
// --numstat prints "-" for both counts), using the attributes of the work
// tree as git diff does.
func (r *Repo) Changes(ctx context.Context, from, to string) ([]facts.Change, error) {
	head, err := r.Resolve(ctx, to)
	if err != nil {
		return nil, err
	}
	var base string
	if from == "" {
		if base, err = r.emptyTree(ctx); err != nil {
			return nil, err
		}
	} else if base, err = r.Resolve(ctx, from); err != nil {
		return nil, err
	}
	var changes []facts.Change
	err = r.run.stream(ctx, diffArgs(base, head), func(rd io.Reader) error {
		changes, err = parseDiff(rd)
		return err
	})
	if err != nil {
		return nil, err
	}
	return changes, nil
}

// diffArgs compares two trees. Plumbing rather than git diff, so that no
// diff.* user configuration applies; --raw gives status and paths,
// --numstat the binary verdict, in one pass over the same pairs.
func diffArgs(base, head string) []string {
	return []string{"diff-tree", "-r", "-z", "-M", "--raw", "--numstat", "--no-abbrev",
		"--no-ext-diff", "--no-textconv", "--ignore-submodules=none", base, head, "--"}
}

// emptyTree is the ID of the empty tree in this repository's hash. The
// command's standard input is the null device: the hash of nothing.
func (r *Repo) emptyTree(ctx context.Context) (string, error) {
	out, err := r.run.output(ctx, "hash-object", "-t", "tree", "--stdin")
	if err != nil {
		return "", err
	}
	id := strings.TrimSuffix(string(out), "\n")
	if !isHex(id) {
		return "", fmt.Errorf("git hash-object: unexpected output %q", out)
	}
	return id, nil
}

// parseDiff reads git diff-tree -z --raw --numstat output: first one raw
// record per changed file,
//
//	:<old mode> SP <new mode> SP <old id> SP <new id> SP <status>[score] NUL <path> NUL [<new path> NUL]
//
// (a second path for renames and copies), then one numstat record per file,
//
//	<added> TAB <deleted> TAB <path> NUL   or   <added> TAB <deleted> TAB NUL <old path> NUL <new path> NUL
//
// where binary files count "-" (git-diff-tree(1), RAW OUTPUT FORMAT and
// --numstat).
func parseDiff(r io.Reader) ([]facts.Change, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var changes []facts.Change
	binary := make(map[string]bool)
	for n := 1; ; n++ {
		head, err := readField(br)
		if err == io.EOF && head == "" {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("git diff-tree output, record %d: %w", n, unexpectedEOF(err))
		}
		if strings.HasPrefix(head, ":") {
			if len(binary) > 0 {
				return nil, fmt.Errorf("git diff-tree output, record %d: raw record after the numstat records", n)
			}
			c, err := parseRaw(head, br)
			if err != nil {
				return nil, fmt.Errorf("git diff-tree output, record %d: %w", n, err)
			}
			changes = append(changes, c)
			continue
		}
		key, bin, err := parseNumstat(head, br)
		if err != nil {
			return nil, fmt.Errorf("git diff-tree output, record %d: %w", n, err)
		}
		if _, dup := binary[key]; dup {
			return nil, fmt.Errorf("git diff-tree output, record %d: %q counted twice", n, key)
		}
		binary[key] = bin
	}
	for i, c := range changes {
		key := changeKey(c.OldPath, c.Path)
		changes[i].Binary = binary[key]
		delete(binary, key)
	}
	for key := range binary {
		return nil, fmt.Errorf("git diff-tree output: numstat record for %q, which the raw records do not list", key)
	}
	return changes, nil
}

// changeKey identifies a change in both formats: renames by both paths, so
// that "a renamed to b" and "b deleted" stay apart.
func changeKey(oldPath, path string) string {
	if oldPath == "" {
		return path
	}
	return oldPath + "\x00" + path
}

func parseRaw(head string, br *bufio.Reader) (facts.Change, error) {
	f := strings.Split(head[1:], " ")
	if len(f) != 5 || len(f[0]) != 6 || len(f[1]) != 6 || !isHex(f[2]) || !isHex(f[3]) || f[4] == "" {
		return facts.Change{}, fmt.Errorf("bad raw record %q", head)
	}
	status, score := f[4][0], f[4][1:]
	for i := 0; i < len(score); i++ {
		if score[i] < '0' || score[i] > '9' {
			return facts.Change{}, fmt.Errorf("bad status %q", f[4])
		}
	}
	var c facts.Change
	paths := 1
	switch status {
	case 'A':
		c.Status = facts.Added
	case 'M', 'T':
		c.Status = facts.Modified
	case 'D':
		c.Status = facts.Deleted
	case 'R':
		c.Status, paths = facts.Renamed, 2
	case 'C':
		c.Status, paths = facts.Copied, 2
	default:
		// U (unmerged) and X (unknown) cannot come from two trees.
		return facts.Change{}, fmt.Errorf("unexpected status %q", f[4])
	}
	p, err := readField(br)
	if err != nil || p == "" {
		return facts.Change{}, fmt.Errorf("path of %q: %w", head, orEmpty(err))
	}
	c.Path = p
	if paths == 2 {
		if c.Path, err = readField(br); err != nil || c.Path == "" {
			return facts.Change{}, fmt.Errorf("new path of %q: %w", head, orEmpty(err))
		}
		c.OldPath = p
	}
	return c, nil
}

func parseNumstat(head string, br *bufio.Reader) (key string, binary bool, err error) {
	added, rest, ok1 := strings.Cut(head, "\t")
	deleted, path, ok2 := strings.Cut(rest, "\t")
	if !ok1 || !ok2 || !isCount(added) || !isCount(deleted) {
		return "", false, fmt.Errorf("bad numstat record %q", head)
	}
	binary = added == "-" && deleted == "-"
	if binary != (added == "-" || deleted == "-") {
		return "", false, fmt.Errorf("bad numstat record %q", head)
	}
	if path != "" {
		return changeKey("", path), binary, nil
	}
	oldPath, err := readField(br)
	if err != nil || oldPath == "" {
		return "", false, fmt.Errorf("old path of numstat record %q: %w", head, orEmpty(err))
	}
	path, err = readField(br)
	if err != nil || path == "" {
		return "", false, fmt.Errorf("new path of numstat record %q: %w", head, orEmpty(err))
	}
	return changeKey(oldPath, path), binary, nil
}

func isCount(s string) bool {
	if s == "-" {
		return true
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// orEmpty is err for a missing field, or the complaint about an empty one.
func orEmpty(err error) error {
	if err != nil {
		return unexpectedEOF(err)
	}
	return fmt.Errorf("empty")
}
