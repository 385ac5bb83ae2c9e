package input

import (
	"errors"
	"fmt"
	"strings"
)

// Error is a problem with an input file that stops it from being read. It
// always names the file and, where known, the line; Hint tells the user what
// to do about it.
type Error struct {
	Pos  Pos
	Msg  string
	Hint string
	Err  error // underlying cause, if any
}

func (e *Error) Error() string {
	s := e.Pos.String() + ": " + e.Msg
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error at pos.
func Errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// WithHint returns e with a remediation hint.
func (e *Error) WithHint(hint string) *Error {
	e.Hint = hint
	return e
}

// AsError reports whether err is, or wraps, an *Error.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Warning is something a reader repaired or could not interpret, that did
// not stop it. Warnings are reported, never dropped: an auditor must be able
// to see what tracegate read differently from what the file said.
type Warning struct {
	Pos Pos    `json:"location,omitempty"`
	Msg string `json:"message"`
}

func (w Warning) String() string {
	if w.Pos.IsZero() {
		return w.Msg
	}
	return w.Pos.String() + ": " + w.Msg
}

// Warnf builds a Warning at pos.
func Warnf(pos Pos, format string, args ...any) Warning {
	return Warning{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// Errors is a list of input errors reported together, so that a user fixes
// every problem of a file in one go rather than one per run.
type Errors []*Error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns es as an error, or nil when it is empty.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}
