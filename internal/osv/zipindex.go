package osv

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
)

// Limits bound what reading one ecosystem's all.zip may cost. An entry or
// an archive beyond them is an error, not a skip: a record left unread is
// an anomaly left unreported.
type Limits struct {
	// MaxEntryBytes caps one record, uncompressed. OSV's largest records
	// (Linux kernel CVEs with long version lists) are well under 1 MiB.
	MaxEntryBytes int64
	// MaxTotalBytes caps one archive, uncompressed.
	MaxTotalBytes int64
	// MaxEntries caps the number of entries of one archive.
	MaxEntries int
}

// DefaultLimits are generous for the real database and still stop a zip
// bomb before it exhausts memory or time.
var DefaultLimits = Limits{MaxEntryBytes: 32 << 20, MaxTotalBytes: 8 << 30, MaxEntries: 4 << 20}

func (l Limits) orDefault() Limits {
	if l.MaxEntryBytes <= 0 {
		l.MaxEntryBytes = DefaultLimits.MaxEntryBytes
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = DefaultLimits.MaxTotalBytes
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = DefaultLimits.MaxEntries
	}
	return l
}

// index is what one all.zip holds for the packages asked about.
type index struct {
	// records is how many records the archive holds (all packages).
	records int
	// ecosystems are the ecosystem strings (with release) of the
	// archive's base ecosystem that its records name.
	ecosystems map[string]bool
	// byName are the records naming each wanted package (by normalised
	// name), deduplicated by id.
	byName map[string][]*Record
}

type indexed struct {
	rec      *Record // nil when it names none of the wanted packages
	modified Timestamp
	entry    string
}

// readIndex streams the entries of an ecosystem's all.zip (one OSV record
// per *.json entry, osv-scalibr enricher/vulnmatch/osvlocal/zip.go) and
// keeps the records that name one of the wanted packages of base. file
// names the archive in errors and warnings.
func readIndex(ctx context.Context, r io.ReaderAt, size int64, file, base string, want map[string]bool, lim Limits) (*index, []input.Warning, error) {
	pos := input.Pos{File: file}
	fail := func(hint, format string, args ...any) error {
		return input.Errorf(pos, format, args...).WithHint(hint)
	}
	const redownload = "download the ecosystem's all.zip again from https://osv-vulnerabilities.storage.googleapis.com/"
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, nil, fail(redownload, "not a readable zip archive (%v): the download is truncated or corrupt", err)
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, nil, fail(redownload, "the archive has %d entries, more than the %d tracegate reads", len(zr.File), lim.MaxEntries)
	}
	// Declared sizes can lie, so they are checked here and the bytes
	// actually read are counted again below.
	var declared uint64
	for _, f := range zr.File {
		if unsafeEntryName(f.Name) {
			return nil, nil, fail(redownload, "entry %q has an unsafe name (absolute or with ..): this is not an archive published by OSV", f.Name)
		}
		if f.UncompressedSize64 > uint64(lim.MaxEntryBytes) {
			return nil, nil, fail(redownload, "entry %q would expand to %d bytes, more than the %d tracegate reads per record", f.Name, f.UncompressedSize64, lim.MaxEntryBytes)
		}
		declared += f.UncompressedSize64
		if declared > uint64(lim.MaxTotalBytes) {
			return nil, nil, fail(redownload, "the archive would expand to more than the %d bytes tracegate reads", lim.MaxTotalBytes)
		}
	}

	var (
		warns        []input.Warning
		byID         = map[string]*indexed{}
		total        int64
		ignored      int
		firstIgnored string
		idx          = &index{ecosystems: map[string]bool{}, byName: map[string][]*Record{}}
	)
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if f.FileInfo().IsDir() {
			continue
		}
		if !strings.HasSuffix(f.Name, ".json") {
			if ignored == 0 {
				firstIgnored = f.Name
			}
			ignored++
			continue
		}
		data, err := readEntry(f, lim.MaxEntryBytes)
		if err != nil {
			return nil, nil, fail(redownload, "entry %q cannot be read: %v", f.Name, err)
		}
		total += int64(len(data))
		if total > lim.MaxTotalBytes {
			return nil, nil, fail(redownload, "the archive expands to more than the %d bytes tracegate reads", lim.MaxTotalBytes)
		}
		rec, notes, err := ParseRecord(data)
		if err != nil {
			warns = append(warns, input.Warnf(pos, "entry %q is not a readable OSV record and was skipped: %v", f.Name, err))
			continue
		}
		idx.records++
		for _, n := range notes {
			warns = append(warns, input.Warnf(pos, "entry %q (%s): %s", f.Name, rec.ID, n))
		}
		relevant := false
		for _, a := range rec.Affected {
			if a.Package == nil {
				continue
			}
			eco, ok := canonicalEcosystem(a.Package.Ecosystem)
			if !ok || baseEcosystem(eco) != base {
				continue
			}
			idx.ecosystems[eco] = true
			relevant = relevant || want[normalizeName(eco, a.Package.Name)]
		}
		cur := &indexed{modified: rec.Modified, entry: f.Name}
		if relevant {
			cur.rec = rec
		}
		prev, dup := byID[rec.ID]
		if !dup {
			byID[rec.ID] = cur
			continue
		}
		// Two entries with one id: the later modification is the
		// database's current word (OSV ids are unique per database).
		keep, drop := prev, cur
		if cur.modified.Time.After(prev.modified.Time) {
			keep, drop = cur, prev
			byID[rec.ID] = cur
		}
		warns = append(warns, input.Warnf(pos, "id %s is in entries %q (modified %s) and %q (modified %s): kept %q, the later modification",
			rec.ID, keep.entry, keep.modified, drop.entry, drop.modified, keep.entry))
	}
	if ignored > 0 {
		warns = append(warns, input.Warnf(pos, "%d entries are not .json records and were ignored (the first: %q)", ignored, firstIgnored))
	}
	ids := make([]string, 0, len(byID))
	for id, e := range byID {
		if e.rec != nil {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		rec := byID[id].rec
		named := map[string]bool{}
		for _, a := range rec.Affected {
			if a.Package == nil {
				continue
			}
			eco, ok := canonicalEcosystem(a.Package.Ecosystem)
			if !ok || baseEcosystem(eco) != base {
				continue
			}
			n := normalizeName(eco, a.Package.Name)
			if want[n] && !named[n] {
				named[n] = true
				idx.byName[n] = append(idx.byName[n], rec)
			}
		}
	}
	return idx, warns, nil
}

// readEntry reads one entry, refusing to read past max however small the
// entry claims to be; checksum and decompression errors (a truncated
// archive) are returned.
func readEntry(f *zip.File, max int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("expands past the %d bytes tracegate reads per record", max)
	}
	return data, nil
}

// unsafeEntryName reports names that would escape a directory they were
// extracted to. tracegate never extracts, but OSV's exports hold flat
// "<ID>.json" names: such a name means the archive is not what it claims.
func unsafeEntryName(name string) bool {
	if name == "" || strings.HasPrefix(name, "/") || strings.ContainsAny(name, "\\\x00") ||
		(len(name) >= 2 && name[1] == ':') {
		return true
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == ".." {
			return true
		}
	}
	return false
}
