package report

import (
	"fmt"
	"io"

	"github.com/tracegate/tracegate/internal/input"
)

// WriteWarnings lists what readers repaired or skipped: an auditor must see
// where tracegate read something differently from what a file said.
func WriteWarnings(w io.Writer, ws []input.Warning) error {
	if len(ws) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\n%d warning(s) while reading:\n", len(ws))
	for _, x := range ws {
		if _, err := fmt.Fprintf(w, "  %s\n", Text(x.String())); err != nil {
			return err
		}
	}
	return nil
}
