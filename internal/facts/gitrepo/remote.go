package gitrepo

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/facts"
	"github.com/tracegate/tracegate/internal/lazyre"
)

var _ facts.Clone = (*Repo)(nil)

// Shallow reports whether the clone's history is cut short.
func (r *Repo) Shallow(ctx context.Context) (bool, error) {
	shallow, _, err := r.shallow(ctx)
	return shallow, err
}

// Remotes lists the names of the clone's remotes.
func (r *Repo) Remotes(ctx context.Context) ([]string, error) {
	out, err := r.run.output(ctx, "remote")
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(out)), nil
}

// remoteTimeout bounds one listing of a remote's tags: a host that does not
// answer must end the evaluation with an error, not hold it.
const remoteTimeout = 2 * time.Minute

// RemoteTags lists the tags the remote holds (git ls-remote --tags), each
// with the object it finally points to. It reaches the network for a
// remote that is not local, with the clone's own credentials (those
// actions/checkout keeps in the clone's configuration); credentials in a
// remote's URL never reach the error.
func (r *Repo) RemoteTags(ctx context.Context, remote string) ([]facts.Tag, error) {
	if remote == "" || strings.HasPrefix(remote, "-") || strings.ContainsAny(remote, "\x00\n") {
		return nil, fmt.Errorf("git remote %q: not a remote name", remote)
	}
	ctx, cancel := context.WithTimeout(ctx, remoteTimeout)
	defer cancel()
	out, err := r.run.output(ctx, "ls-remote", "--tags", "--end-of-options", remote)
	if err != nil {
		return nil, fmt.Errorf("listing the tags of remote %s: %s", remote, redactURLs(err.Error()))
	}
	return parseLsRemoteTags(out)
}

// parseLsRemoteTags reads git ls-remote --tags: "<oid>\trefs/tags/<name>",
// and for an annotated tag a second line "<oid>\trefs/tags/<name>^{}" with
// the object it finally points to, which wins.
func parseLsRemoteTags(out []byte) ([]facts.Tag, error) {
	var tags []facts.Tag
	index := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		oid, ref, ok := strings.Cut(sc.Text(), "\t")
		name, isTag := strings.CutPrefix(ref, "refs/tags/")
		if !ok || !isHex(oid) || !isTag || name == "" {
			return nil, fmt.Errorf("git ls-remote output, line %d: %q is not a tag", n, sc.Text())
		}
		name, peeled := strings.CutSuffix(name, "^{}")
		if i, seen := index[name]; seen {
			if peeled {
				tags[i].Commit = oid
			}
			continue
		}
		index[name] = len(tags)
		tags = append(tags, facts.Tag{Name: name, Commit: oid})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("git ls-remote output: %w", err)
	}
	return tags, nil
}

// userinfo is the user and password part of a URL.
var userinfo = lazyre.New(`(://)[^/@\s]*@`)

// redactURLs drops the credentials of every URL in s: a remote's URL may
// carry a token (https://x-access-token:…@github.com/…), and git repeats
// the URL in its messages.
func redactURLs(s string) string {
	return userinfo().ReplaceAllString(s, "${1}***@")
}

// fetchTimeout bounds the fetches of Complete.
const fetchTimeout = 10 * time.Minute

// Complete fetches from every remote what a CI checkout leaves out: the
// whole history of a shallow clone (--unshallow) and every tag (--tags),
// with the clone's own credentials. Only the clone's objects and refs
// change, never the work tree or HEAD; a tag that differs from the
// remote's is left as it is (and the fetch reports it). Without a remote
// there is nothing to fetch, and nothing is done. It is for faces
// that run in CI (the Action); the gates never fetch.
func (r *Repo) Complete(ctx context.Context) error {
	remotes, err := r.Remotes(ctx)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	for _, remote := range remotes {
		shallow, err := r.Shallow(ctx)
		if err != nil {
			return err
		}
		args := []string{"fetch", "--quiet", "--tags", "--no-recurse-submodules", "--no-write-fetch-head"}
		if shallow {
			args = append(args, "--unshallow")
		}
		if _, err := r.run.output(ctx, append(args, "--end-of-options", remote)...); err != nil {
			return fmt.Errorf("fetching the history and tags of remote %s: %s", remote, redactURLs(err.Error()))
		}
	}
	return nil
}
