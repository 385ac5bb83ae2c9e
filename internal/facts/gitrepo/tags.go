package gitrepo

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/input"
)

// tagFormat gives one line per tag, fields separated by NUL (ref names
// hold neither NUL nor newline, git-check-ref-format(1)). A field with *
// describes the object an annotated tag points to (git-for-each-ref(1)).
const tagFormat = "--format=%(refname)%00%(objecttype)%00%(objectname)" +
	"%00%(*objecttype)%00%(*objectname)" +
	"%00%(taggerdate:iso-strict)%00%(*committerdate:iso-strict)%00%(committerdate:iso-strict)"

var tagArgs = []string{"for-each-ref", tagFormat, "refs/tags"}

// tagRef is one line of tagFormat.
type tagRef struct {
	ref                string // refs/tags/…
	typ, oid           string // the object the ref points to
	targetTyp, target  string // for a tag object: what it points to
	taggerDate         string // for a tag object
	targetDate, cmDate string // committer date of the target, of the object itself
}

// Tags lists the tags that point, directly or through annotated tags, at a
// commit, oldest first (then by name). A tag's date is its tagger date, or
// its commit's committer date for a lightweight tag or an annotated tag
// without a tagger (made by very old git). Tags of a tree or a blob (git.git
// keeps its maintainer's key that way) cannot be releases and are left
// out; TagsWithWarnings says which.
func (r *Repo) Tags(ctx context.Context) ([]facts.Tag, error) {
	tags, _, err := r.TagsWithWarnings(ctx)
	return tags, err
}

// TagsWithWarnings is Tags, with a warning for every tag it leaves out.
func (r *Repo) TagsWithWarnings(ctx context.Context) ([]facts.Tag, []input.Warning, error) {
	var refs []tagRef
	err := r.run.stream(ctx, tagArgs, func(rd io.Reader) error {
		return parseTagRefs(rd, func(t tagRef) error {
			refs = append(refs, t)
			return nil
		})
	})
	if err != nil {
		return nil, nil, err
	}
	// for-each-ref peels one level; a tag of a tag needs git to peel the rest.
	var nested []string
	for _, t := range refs {
		if t.typ == "tag" && t.targetTyp == "tag" {
			nested = append(nested, t.oid)
		}
	}
	peeled, err := r.peel(ctx, nested)
	if err != nil {
		return nil, nil, err
	}
	tags, warnings, undated := resolveTags(refs, peeled)
	if len(undated) > 0 {
		commits := make([]string, len(undated))
		for i, k := range undated {
			commits[i] = tags[k].Commit
		}
		dates, err := r.commitDates(ctx, commits)
		if err != nil {
			return nil, nil, err
		}
		for _, k := range undated {
			if tags[k].Date, err = parseDate(dates[tags[k].Commit]); err != nil {
				return nil, nil, fmt.Errorf("tag %s: commit %s: %w", tags[k].Name, tags[k].Commit, err)
			}
		}
	}
	if shallow, _, err := r.shallow(ctx); err != nil {
		return nil, nil, err
	} else if shallow {
		warnings = append(warnings, input.Warnf(input.Pos{File: "refs/tags"},
			"the tags of commits outside the fetched history are missing; %s", ShallowHint))
	}
	slices.SortFunc(tags, func(a, b facts.Tag) int {
		return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.Name, b.Name))
	})
	return tags, warnings, nil
}

// object is a peeled object: its ID and type.
type object struct{ oid, typ string }

// resolveTags turns refs into tags. peeled holds the fully peeled object of
// each tag of a tag. Tags whose date must come from their commit are
// returned without one, their indexes in undated.
func resolveTags(refs []tagRef, peeled map[string]object) (tags []facts.Tag, warnings []input.Warning, undated []int) {
	skip := func(t tagRef, typ string) {
		warnings = append(warnings, input.Warnf(input.Pos{File: t.ref},
			"the tag points to a %s, not a commit, so it cannot mark a release; left out", typ))
	}
	for _, t := range refs {
		tag := facts.Tag{Name: strings.TrimPrefix(t.ref, "refs/tags/")}
		var date string
		switch {
		case t.typ == "commit":
			tag.Commit, date = t.oid, t.cmDate
		case t.typ != "tag":
			skip(t, t.typ)
			continue
		case t.targetTyp == "commit":
			tag.Commit, date = t.target, cmp.Or(t.taggerDate, t.targetDate)
		case t.targetTyp == "tag":
			p, ok := peeled[t.oid]
			if !ok || p.typ != "commit" {
				skip(t, cmp.Or(p.typ, "missing object"))
				continue
			}
			tag.Commit, date = p.oid, t.taggerDate
		default:
			skip(t, cmp.Or(t.targetTyp, "missing object"))
			continue
		}
		if date == "" {
			undated = append(undated, len(tags))
		} else if d, err := parseDate(date); err == nil {
			tag.Date = d
		} else {
			// Dates come from git's own formatting; a bad one means the
			// tag object is damaged: read the commit's instead, and say so.
			warnings = append(warnings, input.Warnf(input.Pos{File: t.ref},
				"the tag's date %q cannot be read; the commit's date is used", date))
			undated = append(undated, len(tags))
		}
		tags = append(tags, tag)
	}
	return tags, warnings, undated
}

func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad date %q", s)
	}
	return t, nil
}

// peel returns the object each tag object finally points to.
func (r *Repo) peel(ctx context.Context, oids []string) (map[string]object, error) {
	if len(oids) == 0 {
		return nil, nil
	}
	var in strings.Builder
	for _, oid := range oids {
		in.WriteString(oid + "^{}\n")
	}
	out, err := r.run.outputStdin(ctx, strings.NewReader(in.String()),
		"cat-file", "--batch-check=%(objectname) %(objecttype)")
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(oids) {
		return nil, fmt.Errorf("git cat-file --batch-check: %d replies to %d tags", len(lines), len(oids))
	}
	peeled := make(map[string]object, len(oids))
	for i, line := range lines {
		oid, typ, _ := strings.Cut(line, " ")
		if !isHex(oid) { // "<name> missing"
			continue
		}
		peeled[oids[i]] = object{oid: oid, typ: typ}
	}
	return peeled, nil
}

// commitDates returns the committer date of each commit.
func (r *Repo) commitDates(ctx context.Context, commits []string) (map[string]string, error) {
	args := append([]string{"log", "--no-walk=unsorted", "--format=%H %cI", "--end-of-options"}, commits...)
	out, err := r.run.output(ctx, append(args, "--")...)
	if err != nil {
		return nil, err
	}
	dates := make(map[string]string, len(commits))
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		sha, date, _ := strings.Cut(line, " ")
		dates[sha] = date
	}
	return dates, nil
}

// parseTagRefs reads for-each-ref output in tagFormat.
func parseTagRefs(r io.Reader, fn func(tagRef) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		f := strings.Split(sc.Text(), "\x00")
		if len(f) != 8 {
			return fmt.Errorf("git for-each-ref output, line %d: %d fields, expected 8", n, len(f))
		}
		t := tagRef{ref: f[0], typ: f[1], oid: f[2], targetTyp: f[3], target: f[4],
			taggerDate: f[5], targetDate: f[6], cmDate: f[7]}
		if !strings.HasPrefix(t.ref, "refs/tags/") || len(t.ref) == len("refs/tags/") {
			return fmt.Errorf("git for-each-ref output, line %d: %q is not a tag", n, t.ref)
		}
		if !isHex(t.oid) || t.typ == "" || (t.target != "" && !isHex(t.target)) || (t.target == "") != (t.targetTyp == "") {
			return fmt.Errorf("git for-each-ref output, line %d: bad object fields for %s", n, t.ref)
		}
		if err := fn(t); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("git for-each-ref output: %w", err)
	}
	return nil
}
