package memfs

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
)

// Limits bound what an archive may unpack to: an archive is read whole
// into memory, so a commit or an artifact larger than the bound is an
// error rather than a memory exhaustion.
type Limits struct {
	MaxBytes int64 // the files' contents together
	MaxFiles int   // entries, directories included
}

// ErrTooLarge is returned for an archive past its Limits.
var ErrTooLarge = errors.New("archive larger than allowed")

// budget counts what has been unpacked against the limits.
type budget struct {
	lim   Limits
	bytes int64
	files int
}

func (b *budget) entry(name string) error {
	b.files++
	if b.lim.MaxFiles > 0 && b.files > b.lim.MaxFiles {
		return fmt.Errorf("%w: more than %d entries (at %q)", ErrTooLarge, b.lim.MaxFiles, name)
	}
	return nil
}

// read reads r whole within what is left of the byte bound.
func (b *budget) read(name string, r io.Reader) ([]byte, error) {
	left := b.lim.MaxBytes - b.bytes
	if b.lim.MaxBytes <= 0 {
		left = 1<<63 - 1
	}
	data, err := io.ReadAll(io.LimitReader(r, left))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	b.bytes += int64(len(data))
	if int64(len(data)) == left {
		// One more byte tells whether the limit was reached or passed.
		var one [1]byte
		if n, _ := r.Read(one[:]); n > 0 {
			return nil, fmt.Errorf("%w: more than %d bytes unpacked (at %q)", ErrTooLarge, b.lim.MaxBytes, name)
		}
	}
	return data, nil
}

// entryPath cleans an archive member's name, dropping the top directory
// when strip is set. ok is false for the top directory itself.
func entryPath(name string, strip bool) (string, bool, error) {
	p := strings.TrimSuffix(name, "/")
	if strings.HasPrefix(p, "/") {
		return "", false, fmt.Errorf("archive member %q is not a relative path inside the archive", name)
	}
	if strip {
		_, rest, found := strings.Cut(p, "/")
		if !found {
			return "", false, nil
		}
		p = rest
	}
	if p == "" || !ValidPath(p) {
		return "", false, fmt.Errorf("archive member %q is not a relative path inside the archive", name)
	}
	return p, true, nil
}

// ReadTarGz reads a gzipped tar archive, as GitHub's tarball endpoint
// serves it: strip drops the top directory (OWNER-REPO-SHORTSHA/) every
// member sits in. pax global headers (git archive's commit ID) are
// skipped; hard links, devices and FIFOs are errors.
func ReadTarGz(r io.Reader, strip bool, lim Limits) ([]File, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a gzip stream: %w", err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	b := &budget{lim: lim}
	var files []File
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading the tar archive: %w", err)
		}
		if h.Typeflag == tar.TypeXGlobalHeader {
			continue
		}
		p, ok, err := entryPath(h.Name, strip)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if err := b.entry(p); err != nil {
			return nil, err
		}
		switch h.Typeflag {
		case tar.TypeDir:
			files = append(files, File{Path: p, Mode: fs.ModeDir | 0o755})
		case tar.TypeReg:
			data, err := b.read(p, tr)
			if err != nil {
				return nil, err
			}
			files = append(files, File{Path: p, Mode: perm(h.Mode), Size: int64(len(data)), Data: data})
		case tar.TypeSymlink:
			files = append(files, File{Path: p, Mode: fs.ModeSymlink | 0o777, Size: int64(len(h.Linkname)), Data: []byte(h.Linkname)})
		default:
			return nil, fmt.Errorf("archive member %q is of tar type %q, which a git tree cannot hold", h.Name, h.Typeflag)
		}
	}
	return files, nil
}

// perm is git's view of a file's permissions: executable or not.
func perm(mode int64) fs.FileMode {
	if mode&0o111 != 0 {
		return 0o755
	}
	return 0o644
}

// ReadZip reads a zip archive (a CI artifact, a zipball). strip drops the
// top directory as ReadTarGz does. The sizes members declare are not
// trusted: contents are counted as they are inflated.
func ReadZip(data []byte, strip bool, lim Limits) ([]File, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a zip archive: %w", err)
	}
	b := &budget{lim: lim}
	var files []File
	for _, zf := range zr.File {
		p, ok, err := entryPath(zf.Name, strip)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if err := b.entry(p); err != nil {
			return nil, err
		}
		mode := zf.Mode()
		if mode.IsDir() || strings.HasSuffix(zf.Name, "/") {
			files = append(files, File{Path: p, Mode: fs.ModeDir | 0o755})
			continue
		}
		if mode&^(fs.ModePerm|fs.ModeSymlink) != 0 {
			return nil, fmt.Errorf("archive member %q has mode %v, neither a file nor a link", zf.Name, mode)
		}
		rc, err := zf.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", zf.Name, err)
		}
		content, err := b.read(p, rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		f := File{Path: p, Mode: perm(int64(mode.Perm())), Size: int64(len(content)), Data: content}
		if mode&fs.ModeSymlink != 0 {
			f.Mode = fs.ModeSymlink | 0o777
		}
		files = append(files, f)
	}
	return files, nil
}

// Under places files under dir: an artifact's files under its name.
func Under(dir string, files []File) []File {
	out := make([]File, len(files))
	for i, f := range files {
		f.Path = path.Join(dir, f.Path)
		out[i] = f
	}
	return out
}
