package cli

import (
	"io"

	"github.com/tracegate/tracegate/internal/gate"
	"github.com/tracegate/tracegate/internal/report/resultdoc"
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

// writeResult writes a gate's result in a format of resultdoc.Formats.
func writeResult(w writer, res *gate.Result, format string) error {
	return resultdoc.Write(w, res, format)
}
