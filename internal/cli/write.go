package cli

import (
	"errors"
	"io"

	"github.com/tracegate/tracegate/internal/input"
)

type writer = io.Writer

// write renders to the output destination and closes it.
func (o *Options) write(render func(writer) error) error {
	w, closeFn, err := o.output()
	if err != nil {
		return err
	}
	if err := render(w); err != nil {
		closeFn()
		return err
	}
	return closeFn()
}

// errorLines splits an error into one line per input problem.
func errorLines(err error) []string {
	var es input.Errors
	if errors.As(err, &es) {
		out := make([]string, len(es))
		for i, e := range es {
			out[i] = e.Error()
		}
		return out
	}
	return []string{err.Error()}
}
