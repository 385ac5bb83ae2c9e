package fakegithub

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// A repository's content can come from a real git repository on disk
// (AddGitRepo), so that the commits a test makes with git exist on both
// sides: tracegate's local sources read the directory, its GitHub sources
// read the same objects through this server. The git database endpoints
// run git in that directory for every request, as GitHub's own are backed
// by git:
//
//	GET /repos/{owner}/{repo}/commits/{ref}              (JSON, or the bare SHA for application/vnd.github.sha)
//	GET /repos/{owner}/{repo}/commits?sha=REF            (git log order, paginated)
//	GET /repos/{owner}/{repo}/compare/{base}...{head}    (and base..head; paginated, files capped at 300)
//	GET /repos/{owner}/{repo}/tags                       (peeled commits, paginated)
//	GET /repos/{owner}/{repo}/git/ref/{ref}, /git/matching-refs/{ref}
//	GET /repos/{owner}/{repo}/git/tags/{sha}, /git/commits/{sha}
//	GET /repos/{owner}/{repo}/git/trees/{sha}[?recursive=1], /git/blobs/{sha}
//	GET /repos/{owner}/{repo}/tarball/{ref}, /zipball/{ref} (302 to the download host: git archive)

// AddGitRepo serves the git repository at dir as fullName's content.
func (s *Server) AddGitRepo(fullName, dir string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repo(fullName).git = dir
}

// errNoObject is git not knowing a name: the endpoint answers 404 (or 422
// where GitHub does).
var errNoObject = errors.New("no such object")

// git runs git in dir, isolated from the machine's and the user's
// configuration.
func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	env := []string{"GIT_CONFIG_GLOBAL=" + os.DevNull, "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C", "GIT_TERMINAL_PROMPT=0"}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(k, "GIT_") && k != "LC_ALL" {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.Bytes(), nil
}

// safeName refuses names git would read as options or ranges.
func safeName(name string) bool {
	return name != "" && !strings.HasPrefix(name, "-") && !strings.Contains(name, "..") &&
		!strings.ContainsAny(name, " \t\r\n:^~?*[\\\x00")
}

// resolve turns a ref or SHA into the commit SHA it names, peeling tags.
func resolve(dir, ref string) (string, error) {
	if !safeName(ref) {
		return "", errNoObject
	}
	out, err := git(dir, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		return "", errNoObject
	}
	return strings.TrimSpace(string(out)), nil
}

// objectType is git cat-file -t, or "" when there is no such object.
func objectType(dir, sha string) string {
	if !isHex(sha) {
		return ""
	}
	out, err := git(dir, "cat-file", "-t", sha)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func isHex(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

// logFormat separates fields by US and commits by RS.
const logFormat = "--format=%H%x1f%T%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI%x1f%B%x1e"

// gitLog lists commits as git log args does, in Commit form.
func gitLog(dir string, args ...string) ([]Commit, error) {
	out, err := git(dir, append([]string{"log", logFormat}, args...)...)
	if err != nil {
		return nil, err
	}
	var commits []Commit
	for _, rec := range strings.Split(string(out), "\x1e") {
		rec = strings.TrimLeft(rec, "\n")
		if rec == "" {
			continue
		}
		f := strings.Split(rec, "\x1f")
		if len(f) != 10 {
			return nil, fmt.Errorf("git log: a record of %d fields", len(f))
		}
		ad, _ := time.Parse(time.RFC3339, f[5])
		cd, _ := time.Parse(time.RFC3339, f[8])
		commits = append(commits, Commit{SHA: f[0], Tree: f[1], Parents: strings.Fields(f[2]), AuthorName: f[3], AuthorEmail: f[4],
			CommitterName: f[6], CommitterEmail: f[7], Date: ad, CommitterDate: cd, Message: f[9]})
	}
	return commits, nil
}

// treeEntry is a line of git ls-tree -l.
type treeEntry struct {
	mode, typ, sha, path string
	size                 int64 // -1 for trees and submodules
}

// lsTree lists a tree (or a commit's), recursively with its subtrees when
// recursive is set.
func lsTree(dir, sha string, recursive bool) ([]treeEntry, error) {
	args := []string{"ls-tree", "-l", "-z", "--full-tree"}
	if recursive {
		args = append(args, "-r", "-t")
	}
	out, err := git(dir, append(args, sha)...)
	if err != nil {
		return nil, errNoObject
	}
	var entries []treeEntry
	for _, rec := range strings.Split(string(out), "\x00") {
		if rec == "" {
			continue
		}
		meta, path, ok := strings.Cut(rec, "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 4 {
			return nil, fmt.Errorf("git ls-tree: %q", rec)
		}
		size := int64(-1)
		if f[3] != "-" {
			size, _ = strconv.ParseInt(f[3], 10, 64)
		}
		entries = append(entries, treeEntry{mode: f[0], typ: f[1], sha: f[2], path: path, size: size})
	}
	return entries, nil
}

// change is a line of git diff-tree --raw.
type change struct {
	status, path, oldPath string
}

// diffTree lists the files that differ between two commits, with renames.
func diffTree(dir, from, to string) ([]change, error) {
	out, err := git(dir, "diff-tree", "-r", "-z", "-M", "--raw", "--no-abbrev", from, to, "--")
	if err != nil {
		return nil, err
	}
	f := strings.Split(string(out), "\x00")
	var changes []change
	for i := 0; i < len(f); i++ {
		if !strings.HasPrefix(f[i], ":") {
			continue
		}
		meta := strings.Fields(f[i])
		st := meta[len(meta)-1][:1]
		c := change{status: st}
		if st == "R" || st == "C" {
			c.oldPath, c.path = f[i+1], f[i+2]
			i += 2
		} else {
			c.path = f[i+1]
			i++
		}
		changes = append(changes, c)
	}
	return changes, nil
}

// fileStatus is GitHub's name for git's status letter.
func fileStatus(letter string) string {
	switch letter {
	case "A":
		return "added"
	case "D":
		return "removed"
	case "R":
		return "renamed"
	case "C":
		return "copied"
	case "T":
		return "changed"
	}
	return "modified"
}

// mergeBase is git merge-base a b, "" when there is none.
func mergeBase(dir, a, b string) string {
	out, err := git(dir, "merge-base", a, b)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// tagRef is a tag as git for-each-ref shows it.
type tagRef struct {
	name, object, objectType, commit string
}

// tags lists the repository's tags, newest name first.
func tags(dir string) ([]tagRef, error) {
	out, err := git(dir, "for-each-ref", "--sort=-refname", "--format=%(refname:strip=2)%1f%(objectname)%1f%(objecttype)%1f%(*objectname)", "refs/tags")
	if err != nil {
		return nil, err
	}
	var list []tagRef
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\x1f")
		if len(f) != 4 {
			continue
		}
		t := tagRef{name: f[0], object: f[1], objectType: f[2], commit: f[3]}
		if t.commit == "" {
			t.commit = t.object
		}
		list = append(list, t)
	}
	return list, nil
}

// annotatedTag is the tag object sha.
type annotatedTag struct {
	name, message, object, objectType string
	taggerName, taggerEmail           string
	date                              time.Time
}

func readTag(dir, sha string) (annotatedTag, error) {
	if objectType(dir, sha) != "tag" {
		return annotatedTag{}, errNoObject
	}
	out, err := git(dir, "cat-file", "tag", sha)
	if err != nil {
		return annotatedTag{}, err
	}
	head, msg, _ := strings.Cut(string(out), "\n\n")
	t := annotatedTag{message: msg}
	for _, line := range strings.Split(head, "\n") {
		k, v, _ := strings.Cut(line, " ")
		switch k {
		case "object":
			t.object = v
		case "type":
			t.objectType = v
		case "tag":
			t.name = v
		case "tagger":
			// Name <email> seconds zone
			name, rest, _ := strings.Cut(v, " <")
			email, when, _ := strings.Cut(rest, "> ")
			t.taggerName, t.taggerEmail = name, email
			if f := strings.Fields(when); len(f) == 2 {
				if sec, err := strconv.ParseInt(f[0], 10, 64); err == nil {
					t.date = time.Unix(sec, 0).UTC()
				}
			}
		}
	}
	return t, nil
}
