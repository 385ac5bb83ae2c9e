package gitrepo

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/facts"
)

// logFormat puts each commit in one record: RS, then SHA, parents, author,
// committer date and raw message, each ended by NUL (the message's NUL is
// the record terminator that -z gives tformat). A message may hold any byte
// but NUL, RS included, so records are split by counting fields; the RS
// only checks that the count is still right.
const logFormat = "--format=%x1e%H%x00%P%x00%an <%ae>%x00%cI%x00%B"

// logFields is the number of NUL-terminated fields in a record.
const logFields = 5

// Commits lists the commits reachable from to but not from from, newest
// first (git log --date-order: never a parent before its children,
// otherwise by committer date). from may be empty: every ancestor of to.
// Authors are as recorded (no .mailmap); messages lose their trailing
// newlines. In a shallow clone, a list that reaches the cut-off point of the
// history is refused with ShallowHint rather than returned incomplete.
func (r *Repo) Commits(ctx context.Context, from, to string) ([]facts.Commit, error) {
	head, err := r.Resolve(ctx, to)
	if err != nil {
		return nil, err
	}
	var base string
	if from != "" {
		if base, err = r.Resolve(ctx, from); err != nil {
			return nil, err
		}
	}
	args := logArgs(head, base)
	var commits []facts.Commit
	err = r.run.stream(ctx, args, func(rd io.Reader) error {
		return parseLog(rd, func(c facts.Commit) error {
			commits = append(commits, c)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	shallow, boundary, err := r.shallow(ctx)
	if err != nil {
		return nil, err
	}
	if shallow {
		for _, c := range commits {
			if boundary[c.SHA] {
				return nil, fmt.Errorf("git log %s: the history stops at commit %s, whose parents were not fetched, so the list of commits would be incomplete; %s",
					logRange(from, to), c.SHA, ShallowHint)
			}
		}
	}
	return commits, nil
}

// logArgs lists the commits of head that base lacks (base may be empty).
func logArgs(head, base string) []string {
	args := []string{"log", "-z", logFormat, "--date-order", "--no-color", "--no-show-signature",
		"--no-use-mailmap", "--encoding=UTF-8", "--end-of-options", head}
	if base != "" {
		args = append(args, "^"+base)
	}
	return append(args, "--")
}

func logRange(from, to string) string {
	if from == "" {
		return to
	}
	return from + ".." + to
}

// parseLog reads git log output in logFormat and calls fn for each commit
// as soon as it is read.
func parseLog(r io.Reader, fn func(facts.Commit) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var field [logFields]string
	for n := 1; ; n++ {
		b, err := br.ReadByte()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("git log output, commit %d: %w", n, err)
		}
		if b != '\x1e' {
			return fmt.Errorf("git log output, commit %d: starts with %q, expected the record separator", n, b)
		}
		for i := range field {
			if field[i], err = readField(br); err != nil {
				return fmt.Errorf("git log output, commit %d: %w", n, unexpectedEOF(err))
			}
		}
		c, err := logCommit(field)
		if err != nil {
			return fmt.Errorf("git log output, commit %d: %w", n, err)
		}
		if err := fn(c); err != nil {
			return err
		}
	}
}

func logCommit(f [logFields]string) (facts.Commit, error) {
	c := facts.Commit{SHA: f[0], Author: f[2], Message: strings.TrimRight(f[4], "\n")}
	if !isHex(c.SHA) {
		return c, fmt.Errorf("bad commit SHA %q", c.SHA)
	}
	if f[1] != "" {
		c.Parents = strings.Split(f[1], " ")
		for _, p := range c.Parents {
			if !isHex(p) || len(p) != len(c.SHA) {
				return c, fmt.Errorf("commit %s: bad parent %q", c.SHA, p)
			}
		}
	}
	t, err := time.Parse(time.RFC3339, f[3])
	if err != nil {
		return c, fmt.Errorf("commit %s: bad committer date %q", c.SHA, f[3])
	}
	c.Committed = t
	return c, nil
}
