package ingest

import (
	"errors"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/tracegate/tracegate/internal/input"
)

// skipDirs are never design-history inputs and can be huge.
var skipDirs = map[string]bool{".git": true}

// Glob returns the regular files in fsys that match pattern and none of the
// excludes, sorted. It walks only below the pattern's fixed prefix.
func Glob(fsys fs.FS, pattern string, exclude []string) ([]string, error) {
	files, _, err := GlobAll(fsys, pattern, exclude)
	return files, err
}

// GlobAll is Glob that also returns the matching entries that are not
// regular files (submodules, devices): they are never read, and the caller
// says so rather than dropping them silently.
//
// Symbolic links follow the rule of input.FollowLinks when fsys follows
// links: a link to a file is the file; a link to a directory is walked
// when the pattern may match below it (once per directory it leads to,
// and not when the directory is below the walk's start anyway, where its
// files are found under their own names); two names of one file give it
// once. A link the pattern may concern that leaves the repository, loops
// or leads nowhere is an error naming it: a file the policy names is read
// or the evaluation fails. A pattern that starts anywhere ("**/…") concerns
// only the links it matches that way: under it, a link that cannot be
// followed and that it does not match is left alone.
func GlobAll(fsys fs.FS, pattern string, exclude []string) (files, irregular []string, err error) {
	base, _ := doublestar.SplitPattern(pattern)
	if base == "" {
		base = "."
	}
	g := &globber{fsys: fsys, pattern: pattern, exclude: exclude, base: base,
		visited: map[string]bool{}, byTarget: map[string]string{}}
	g.links, _ = fsys.(input.LinkResolver)
	if g.rbase, err = g.resolve(base); err != nil {
		return nil, nil, linkError(err)
	}
	if err := g.walk(base); err != nil {
		return nil, nil, err
	}
	sort.Strings(g.files)
	sort.Strings(g.irregular)
	return g.files, g.irregular, nil
}

type globber struct {
	fsys             fs.FS
	links            input.LinkResolver // fsys, when it follows links; else nil
	pattern, base    string
	rbase            string // base with its links followed
	exclude          []string
	files, irregular []string
	visited          map[string]bool   // directories outside the base walked through links
	byTarget         map[string]string // the name kept for each file, by its resolved name
}

// resolve is the name p leads to; p itself where links are not followed.
func (g *globber) resolve(p string) (string, error) {
	if g.links == nil {
		return p, nil
	}
	return g.links.ResolveLinks(p)
}

func (g *globber) walk(root string) error {
	return fs.WalkDir(g.fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == g.base {
				return fs.SkipAll // the directory is simply not there: no matches
			}
			return linkError(err)
		}
		switch {
		case d.IsDir():
			if p != root && skipDirs[path.Base(p)] {
				return fs.SkipDir
			}
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			return g.link(p)
		case !g.matches(p):
			return nil
		case !d.Type().IsRegular():
			g.irregular = append(g.irregular, p)
			return nil
		}
		return g.file(p)
	})
}

// matches reports whether p matches the pattern and no exclude.
func (g *globber) matches(p string) bool {
	if ok, _ := doublestar.Match(g.pattern, p); !ok {
		return false
	}
	for _, x := range g.exclude {
		if ok, _ := doublestar.Match(x, p); ok {
			return false
		}
	}
	return true
}

// file keeps a matched file once per file it resolves to: under its own
// name when that matches too, else under the first name in walk order.
func (g *globber) file(p string) error {
	r, err := g.resolve(p)
	if err != nil {
		return linkError(err)
	}
	if kept, ok := g.byTarget[r]; ok {
		if p == r && kept != r {
			g.replace(kept, p)
			g.byTarget[r] = p
		}
		return nil
	}
	g.byTarget[r] = p
	g.files = append(g.files, p)
	return nil
}

func (g *globber) replace(old, new string) {
	for i, f := range g.files {
		if f == old {
			g.files[i] = new
			return
		}
	}
}

// link handles a symbolic link met in the walk.
func (g *globber) link(p string) error {
	matched, below := g.matches(p), mayMatchBelow(g.pattern, p)
	if !matched && !below {
		return nil // the pattern cannot concern it: never looked at
	}
	st, err := fs.Stat(g.fsys, p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if !matched {
			return nil // leads nowhere, and could only have been a directory
		}
		target, _ := fs.ReadLink(g.fsys, p)
		return &input.LinkError{Link: p, Target: target, Err: input.ErrLinkNowhere}
	case err != nil && !matched && g.base == ".":
		// A pattern that reaches anywhere ("**/*_test.go") meets links it
		// does not name everywhere (a virtualenv's bin/python links out of
		// the work tree): one that cannot be followed holds nothing of the
		// repository, and is no file the policy names.
		return nil
	case err != nil:
		return linkError(err)
	case st.Mode().IsRegular():
		if matched {
			return g.file(p)
		}
		return nil
	case st.IsDir():
		if !below || g.links == nil {
			return nil // a file system that follows links itself is not walked through them: they may loop
		}
		r, err := g.resolve(p)
		if err != nil {
			return linkError(err)
		}
		if r == g.rbase || strings.HasPrefix(r, g.rbase+"/") || g.rbase == "." || g.visited[r] {
			return nil // walked anyway, or already
		}
		g.visited[r] = true
		return g.walk(p)
	case matched:
		g.irregular = append(g.irregular, p)
	}
	return nil
}

// linkError is the link a file system error is about, which names the
// link and its target, or err itself.
func linkError(err error) error {
	var le *input.LinkError
	if errors.As(err, &le) {
		return le
	}
	return err
}

// mayMatchBelow reports whether pattern may match a path below dir: each
// of dir's elements matches the pattern's element at its place, until a
// "**". A brace alternative holding a "/" could match anything.
func mayMatchBelow(pattern, dir string) bool {
	depth := 0
	for _, c := range pattern {
		switch {
		case c == '{':
			depth++
		case c == '}' && depth > 0:
			depth--
		case c == '/' && depth > 0:
			return true
		}
	}
	ps, ds := strings.Split(pattern, "/"), strings.Split(dir, "/")
	for i, d := range ds {
		if i >= len(ps)-1 {
			return false
		}
		if ps[i] == "**" {
			return true
		}
		if ok, _ := doublestar.Match(ps[i], d); !ok {
			return false
		}
	}
	return true
}
