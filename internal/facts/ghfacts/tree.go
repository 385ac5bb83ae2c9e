package ghfacts

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"strconv"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/facts/memfs"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/logctx"
)

// Tree returns the files of the commit ref names, read-only, as the local
// git tree gives them (see memfs): links listed as links and never
// followed, submodules listed as irregular files.
//
// The listing comes from GitHub's recursive tree (one request); a listing
// GitHub cuts short is an error. The contents come from the commit's
// tarball (Tarball, one request and its download) or one blob per file
// read (Blobs). Every file taken from the tarball is checked against the
// listing's object ID, so that what an archive leaves out or rewrites
// (export-ignore, export-subst, LFS) is read from its blob instead — a
// .github directory marked export-ignore cannot hide the policy. Both are
// kept in the Cache by commit SHA. The result is safe for concurrent use;
// its reads fail once ctx is done.
func (r *Repo) Tree(ctx context.Context, ref string) (fs.FS, error) {
	sha, err := r.Resolve(ctx, ref)
	if err != nil {
		return nil, err
	}
	listing, err := r.listing(ctx, sha)
	if err != nil {
		return nil, err
	}
	files := listing
	if r.files == Tarball {
		if files, err = r.archived(ctx, sha, listing); err != nil {
			return nil, err
		}
	}
	t, err := memfs.New(files, func(f *memfs.File) ([]byte, error) {
		oid, _ := f.Sys.(string)
		return r.blob(ctx, oid, f.Size)
	})
	if err != nil {
		return nil, fmt.Errorf("git tree of %s (%s) in %s: %w", ref, sha, r.repo, err)
	}
	return t, nil
}

// listing is the commit's tree: every entry, no contents.
func (r *Repo) listing(ctx context.Context, sha string) ([]memfs.File, error) {
	files, hit, err := cached(ctx, r.cache, r.key("tree", sha), func(ctx context.Context) ([]memfs.File, int64, error) {
		start := time.Now()
		what := fmt.Sprintf("git tree of %s in %s", sha, r.repo)
		tree, resp, err := r.client.Git.GetTree(ctx, r.owner, r.name, sha, true)
		if err != nil {
			return nil, 0, apiError(what, resp, err)
		}
		if tree.GetTruncated() {
			return nil, 0, fmt.Errorf("%s: GitHub's listing is truncated (it lists at most 100,000 entries or 7 MB): %w", what, ErrTruncated)
		}
		if len(tree.Entries) > r.limits.MaxFiles {
			return nil, 0, fmt.Errorf("%s: %d entries: %w (%d)", what, len(tree.Entries), memfs.ErrTooLarge, r.limits.MaxFiles)
		}
		files := make([]memfs.File, 0, len(tree.Entries))
		size := int64(0)
		for _, e := range tree.Entries {
			f, err := treeFile(e)
			if err != nil {
				return nil, 0, fmt.Errorf("%s: %w", what, err)
			}
			files = append(files, f)
			size += int64(len(f.Path) + 100)
		}
		logctx.From(ctx).Debug("github: fetched", "what", "tree", "repo", r.repo, "sha", sha, "entries", len(files), "took", time.Since(start))
		return files, size, nil
	})
	if hit {
		logctx.From(ctx).Debug("github: cache hit", "what", "tree", "repo", r.repo, "sha", sha)
	}
	return files, err
}

// treeFile reads an entry of GitHub's tree listing; Sys is the object ID.
func treeFile(e *github.TreeEntry) (memfs.File, error) {
	f := memfs.File{Path: e.GetPath(), Size: int64(e.GetSize()), Sys: e.GetSHA()}
	switch typ, mode := e.GetType(), e.GetMode(); {
	case typ == "tree" && mode == "040000":
		f.Mode, f.Size = fs.ModeDir|0o755, 0
	case typ == "blob" && mode == "120000":
		f.Mode = fs.ModeSymlink | 0o777
	case typ == "blob" && (mode == "100644" || mode == "100664"):
		f.Mode = 0o644
	case typ == "blob" && mode == "100755":
		f.Mode = 0o755
	case typ == "commit" && mode == "160000":
		f.Mode, f.Size = fs.ModeIrregular, 0
	default:
		return f, fmt.Errorf("entry %q has mode %s, which does not fit a %s", f.Path, mode, typ)
	}
	if !fullSHA().MatchString(e.GetSHA()) {
		return f, fmt.Errorf("entry %q has no object ID", f.Path)
	}
	return f, nil
}

// archived fills the listing's contents from the commit's tarball, each
// file checked against its object ID. Files the tarball lacks or that do
// not match keep no Data: Tree's loader reads their blobs. A commit whose
// archive is past the limits is read through blobs altogether.
func (r *Repo) archived(ctx context.Context, sha string, listing []memfs.File) ([]memfs.File, error) {
	files, hit, err := cached(ctx, r.cache, r.key("archive", sha), func(ctx context.Context) ([]memfs.File, int64, error) {
		start := time.Now()
		what := fmt.Sprintf("tarball of %s in %s", sha, r.repo)
		u, resp, err := r.client.Repositories.GetArchiveLink(ctx, r.owner, r.name, github.Tarball, &github.RepositoryContentGetOptions{Ref: sha}, 1)
		if err != nil {
			return nil, 0, apiError(what, resp, err)
		}
		data, err := githubapi.Download(ctx, r.dl, u, r.limits.MaxBytes)
		if errors.Is(err, githubapi.ErrDownloadTooLarge) {
			logctx.From(ctx).Info("github: archive too large, reading blobs", "repo", r.repo, "sha", sha, "limit", r.limits.MaxBytes)
			return listing, 0, nil
		}
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", what, err)
		}
		fetched := time.Since(start)
		members, err := memfs.ReadTarGz(bytes.NewReader(data), true, r.limits)
		if errors.Is(err, memfs.ErrTooLarge) {
			logctx.From(ctx).Info("github: archive too large, reading blobs", "repo", r.repo, "sha", sha, "error", err)
			return listing, 0, nil
		}
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", what, err)
		}
		byPath := make(map[string]*memfs.File, len(members))
		for i := range members {
			byPath[members[i].Path] = &members[i]
		}
		out := make([]memfs.File, len(listing))
		size := int64(0)
		var fromBlobs []string
		for i, f := range listing {
			out[i] = f
			if f.Mode.IsDir() || f.Mode&fs.ModeIrregular != 0 {
				continue
			}
			m := byPath[f.Path]
			oid, _ := f.Sys.(string)
			if m == nil || m.Mode.Type() != f.Mode.Type() || !sameObject(oid, m.Data) {
				fromBlobs = append(fromBlobs, f.Path)
				continue
			}
			out[i].Data = m.Data
			size += int64(len(m.Data))
		}
		logctx.From(ctx).Debug("github: fetched", "what", "tarball", "repo", r.repo, "sha", sha, "bytes", len(data),
			"files", len(members), "download", fetched, "took", time.Since(start))
		if len(fromBlobs) > 0 {
			logctx.From(ctx).Info("github: files the archive lacks or alters are read as blobs", "repo", r.repo, "sha", sha,
				"files", len(fromBlobs), "first", fromBlobs[0])
		}
		return out, size, nil
	})
	if hit {
		logctx.From(ctx).Debug("github: cache hit", "what", "tarball", "repo", r.repo, "sha", sha)
	}
	return files, err
}

// sameObject reports whether data is the blob oid names: git's object ID
// of it (SHA-1, or SHA-256 for a 64-digit ID).
func sameObject(oid string, data []byte) bool {
	var h hash.Hash
	switch len(oid) {
	case 40:
		h = sha1.New()
	case 64:
		h = sha256.New()
	default:
		return false
	}
	h.Write([]byte("blob " + strconv.Itoa(len(data)) + "\x00"))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil)) == oid
}

// blob reads one blob, checked against its ID, kept by ID.
func (r *Repo) blob(ctx context.Context, oid string, size int64) ([]byte, error) {
	if size > r.limits.MaxBytes {
		return nil, fmt.Errorf("blob %s: %d bytes: %w (%d)", oid, size, memfs.ErrTooLarge, r.limits.MaxBytes)
	}
	data, hit, err := cached(ctx, r.cache, r.key("blob", oid), func(ctx context.Context) ([]byte, int64, error) {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		start := time.Now()
		data, resp, err := r.client.Git.GetBlobRaw(ctx, r.owner, r.name, oid)
		if err != nil {
			return nil, 0, apiError(fmt.Sprintf("blob %s of %s", oid, r.repo), resp, err)
		}
		if !sameObject(oid, data) {
			return nil, 0, fmt.Errorf("blob %s of %s: GitHub's content does not hash to its ID", oid, r.repo)
		}
		logctx.From(ctx).Debug("github: fetched", "what", "blob", "repo", r.repo, "oid", oid, "bytes", len(data), "took", time.Since(start))
		return data, int64(len(data)), nil
	})
	if hit {
		logctx.From(ctx).Debug("github: cache hit", "what", "blob", "repo", r.repo, "oid", oid)
	}
	return data, err
}
