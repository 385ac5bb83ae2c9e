package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tracegate/tracegate/internal/safefile"
)

// Outcome is what Write did with one file.
type Outcome struct {
	File
	// Exists is set when something was already at the path: it is left
	// as it was.
	Exists bool
}

// Write writes each file under root that does not exist yet; with dryRun
// it writes nothing and says what it would do. A file that exists —
// whatever it holds, a link included — is left as it is. A path whose
// directories below root include a link is an error: a write never goes
// through a link.
func Write(root string, files []File, dryRun bool) ([]Outcome, error) {
	var out []Outcome
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.Path))
		// The directories on the way must not be links; the path itself,
		// whatever it is, is left alone when it exists.
		if err := safefile.CheckInside(root, filepath.Dir(p)); err != nil {
			return out, err
		}
		if _, err := os.Lstat(p); err == nil {
			out = append(out, Outcome{File: f, Exists: true})
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return out, err
		}
		if dryRun {
			out = append(out, Outcome{File: f})
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return out, err
		}
		// Checked again: a directory made meanwhile could be a link.
		if err := safefile.CheckInside(root, filepath.Dir(p)); err != nil {
			return out, err
		}
		err := safefile.WriteNew(p, f.Data)
		if errors.Is(err, safefile.ErrExists) {
			out = append(out, Outcome{File: f, Exists: true})
			continue
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", f.Path, err)
		}
		out = append(out, Outcome{File: f})
	}
	return out, nil
}
