package evidence

import (
	"archive/zip"
	"io"
	"io/fs"
	"path"
	"sort"
	"time"
)

// writeZip writes files (slash paths) under the directory root as a zip
// whose bytes depend on the files alone: entries in sorted order, each
// directory before its files, every entry dated when (clamped to the zip
// epoch, 1980, the earliest a zip can carry), permissions 0644 for files
// and 0755 for directories, deflated. The Go toolchain's deflate is
// deterministic, so one tracegate build gives one zip for one bundle.
func writeZip(w io.Writer, root string, files map[string][]byte, when time.Time) error {
	when = when.UTC()
	if when.Before(zipEpoch) {
		when = zipEpoch
	}
	// Zip times are local wall-clock times without a zone; archive/zip
	// writes Modified as given (and an extended UTC timestamp beside it),
	// so a UTC time gives the same entry everywhere.
	names := make([]string, 0, len(files)+8)
	dirs := map[string]bool{root + "/": true}
	for name := range files {
		full := root + "/" + name
		names = append(names, full)
		for d := path.Dir(full); d != "." && d != "/"; d = path.Dir(d) {
			dirs[d+"/"] = true
		}
	}
	for d := range dirs {
		names = append(names, d)
	}
	sort.Strings(names)
	zw := zip.NewWriter(w)
	for _, name := range names {
		h := &zip.FileHeader{Name: name, Modified: when}
		if name[len(name)-1] == '/' {
			h.SetMode(fs.ModeDir | 0o755)
			h.Method = zip.Store
			if _, err := zw.CreateHeader(h); err != nil {
				return err
			}
			continue
		}
		h.SetMode(0o644)
		h.Method = zip.Deflate
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(files[name[len(root)+1:]]); err != nil {
			return err
		}
	}
	return zw.Close()
}
