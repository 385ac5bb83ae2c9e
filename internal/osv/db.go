package osv

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/tracegate/tracegate/internal/input"
)

// DB is a downloaded copy of the OSV database (tracegate --osv-db DIR): one
// all.zip per ecosystem, as osv.dev publishes them at
// https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip.
// Three layouts are accepted, tried in this order:
//
//	DIR/<Ecosystem>/all.zip               as downloaded from the bucket
//	DIR/osv-scalibr/<Ecosystem>/all.zip   osv-scalibr's cache (OSV_SCALIBR_LOCAL_DB_CACHE_DIRECTORY)
//	DIR/osv-scanner/<Ecosystem>/all.zip   osv-scanner's cache (OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY)
//
// <Ecosystem> is the base ecosystem ("Alpine", not "Alpine:v3.17").
type DB struct {
	fsys   fs.FS  // where the archives are read from
	dir    string // the database's directory in fsys
	shown  string // the directory as messages name it
	limits Limits
}

// cacheLayouts are the subdirectories the scanners keep their caches in.
var cacheLayouts = []string{"", "osv-scalibr", "osv-scanner"}

// OpenDB opens the database in dir; zero limits take DefaultLimits'. The directory must exist: an offline
// review against a database that is not there is a usage error, not a
// clean result.
func OpenDB(dir string, limits Limits) (*DB, error) {
	return openDB(os.DirFS(dir), ".", dir, limits)
}

// OpenDBIn opens the database in dir of fsys (a slash-separated path): a
// database kept in the repository, read through the repository's file
// system so that its links follow the repository's rule
// (input.FollowLinks). Messages name dir as given.
func OpenDBIn(fsys fs.FS, dir string, limits Limits) (*DB, error) {
	return openDB(fsys, dir, dir, limits)
}

func openDB(fsys fs.FS, dir, shown string, limits Limits) (*DB, error) {
	st, err := fs.Stat(fsys, dir)
	if err != nil {
		return nil, input.Errorf(input.Pos{File: shown}, "OSV database directory cannot be opened: %v", unwrapPath(err)).
			WithHint("download the ecosystems' all.zip files into DIR/<Ecosystem>/all.zip")
	}
	if !st.IsDir() {
		return nil, input.Errorf(input.Pos{File: shown}, "OSV database must be a directory holding <Ecosystem>/all.zip files")
	}
	return &DB{fsys: fsys, dir: dir, shown: shown, limits: limits.orDefault()}, nil
}

// Query looks the packages up in the ecosystems' archives. Each archive
// needed is read once per query; only the records naming a queried
// package are kept in memory.
func (db *DB) Query(ctx context.Context, pkgs []Package) (*Report, error) {
	p := newPlan(pkgs)
	byBase := map[string][]Coordinate{}
	for _, c := range p.coords {
		b := baseEcosystem(c.Ecosystem)
		byBase[b] = append(byBase[b], c)
	}
	bases := make([]string, 0, len(byBase))
	for b := range byBase {
		bases = append(bases, b)
	}
	sort.Strings(bases)

	out := map[Coordinate]*outcome{}
	var warns []input.Warning
	for _, base := range bases {
		coords := byBase[base]
		file, others := db.locate(base)
		for _, o := range others {
			warns = append(warns, input.Warnf(input.Pos{File: o}, "ignored: %s is read instead", file))
		}
		if file == "" {
			why := fmt.Sprintf("no offline database for ecosystem %s in %s (looked for %s)", base, db.shown, strings.Join(db.candidates(base), ", "))
			for _, c := range coords {
				out[c] = &outcome{notChecked: why}
			}
			continue
		}
		idx, w, err := db.read(ctx, file, base, coords)
		warns = append(warns, w...)
		if err != nil {
			return nil, err
		}
		vc := versionCache{}
		for _, c := range coords {
			out[c] = lookup(idx, file, c, vc)
		}
	}
	return &Report{Source: "offline OSV database " + db.shown, At: time.Now().UTC(), Results: p.finish(out), Warnings: warns}, nil
}

// lookup matches one coordinate against an archive's index.
func lookup(idx *index, file string, c Coordinate, vc versionCache) *outcome {
	if idx.records == 0 {
		return &outcome{notChecked: fmt.Sprintf("the offline database %s holds no records", file)}
	}
	base := baseEcosystem(c.Ecosystem)
	if c.Ecosystem != base && !idx.ecosystems[c.Ecosystem] && !idx.ecosystems[base] {
		// Alpine:v3.99 finds nothing because no such release has
		// advisories, not because the package has no anomalies.
		known := make([]string, 0, len(idx.ecosystems))
		for e := range idx.ecosystems {
			known = append(known, e)
		}
		slices.Sort(known)
		if len(known) > 8 {
			known = append(known[:8], "…")
		}
		return &outcome{notChecked: fmt.Sprintf("no record in %s is for %s (it has %s): the release is unknown to this database", file, c.Ecosystem, strings.Join(known, ", "))}
	}
	o := &outcome{}
	for _, rec := range idx.byName[normalizeName(c.Ecosystem, c.Name)] {
		if m, ok := matchRecord(rec, c, vc); ok {
			o.matches = append(o.matches, m)
		}
	}
	return o
}

// candidates are the archives of an ecosystem that may exist, as messages
// name them.
func (db *DB) candidates(base string) []string {
	var c []string
	for _, l := range cacheLayouts {
		c = append(c, filepath.Join(db.shown, l, base, "all.zip"))
	}
	return c
}

// inFS is the name in fsys of a file named as candidates names it.
func (db *DB) inFS(shown string) string {
	rel, err := filepath.Rel(db.shown, shown)
	if err != nil {
		return shown
	}
	return path.Join(db.dir, filepath.ToSlash(rel))
}

// locate finds the archive of an ecosystem, and the other layouts' copies
// that are ignored (reported, so nobody wonders which copy was read).
func (db *DB) locate(base string) (file string, ignored []string) {
	for _, c := range db.candidates(base) {
		st, err := fs.Stat(db.fsys, db.inFS(c))
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		if file == "" {
			file = c
		} else {
			ignored = append(ignored, c)
		}
	}
	return file, ignored
}

func (db *DB) read(ctx context.Context, file, base string, coords []Coordinate) (*index, []input.Warning, error) {
	f, err := db.fsys.Open(db.inFS(file))
	if err != nil {
		return nil, nil, input.Errorf(input.Pos{File: file}, "cannot open: %v", unwrapPath(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, input.Errorf(input.Pos{File: file}, "cannot stat: %v", unwrapPath(err))
	}
	ra, ok := f.(io.ReaderAt)
	if !ok {
		return nil, nil, input.Errorf(input.Pos{File: file}, "cannot be read in place (the file system gives no random access)")
	}
	want := map[string]bool{}
	for _, c := range coords {
		want[normalizeName(c.Ecosystem, c.Name)] = true
	}
	return readIndex(ctx, ra, st.Size(), file, base, want, db.limits)
}

func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
