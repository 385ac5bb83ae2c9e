package cli

import (
	"fmt"
	"io"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/report/resultdoc"
	"github.com/tracegate/tracegate/internal/safefile"
)

type writer = io.Writer

// write renders to the output destination: standard output, or the file
// --output names, written through safefile (a temporary file renamed into
// place; never through a link), and left as it was when rendering fails.
func (o *Options) write(render func(writer) error) error {
	if o.Output == "" || o.Output == "-" {
		return render(o.Stdout)
	}
	if err := safefile.CheckInside(orDefault(o.Dir, "."), o.Output); err != nil {
		return usagef("--output: %w", err)
	}
	f, err := safefile.Create(o.Output)
	if err != nil {
		return usagef("--output: %w", err)
	}
	if err := render(f); err != nil {
		f.Abort()
		return err
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("--output: %w", err)
	}
	return nil
}

// writeResult writes a gate's result in a format of resultdoc.Formats.
func writeResult(w writer, res *gate.Result, format string) error {
	return resultdoc.Write(w, res, format)
}
