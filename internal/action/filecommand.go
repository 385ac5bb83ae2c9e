package action

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/tracegate/tracegate/internal/lazyre"
)

// Output is one step output.
type Output struct{ Name, Value string }

// outputName is what an output's name may be: the runner reads a name up
// to the first "=" or "<<", and action.yml refers to it in expressions.
var outputName = lazyre.New(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// delimiter returns a fresh heredoc delimiter, as actions/toolkit's
// prepareKeyValueMessage makes one (ghadelimiter_ and a random UUID): a
// value is read up to the first line that equals it, so it must be
// unguessable to whoever chose the value.
var delimiter = func() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "ghadelimiter_" + hex.EncodeToString(b[:]), nil
}

// formatOutputs renders outputs in the GITHUB_OUTPUT file format, each
// value between its own random delimiter:
//
//	name<<ghadelimiter_…
//	value
//	ghadelimiter_…
//
// A name the runner would misread is refused, and so is a value that holds
// its delimiter (which a random 128-bit delimiter makes a failure of the
// random source, not of the value).
func formatOutputs(outs []Output) (string, error) {
	var b strings.Builder
	for _, o := range outs {
		if !outputName().MatchString(o.Name) {
			return "", fmt.Errorf("output name %q: not a name the runner reads back", o.Name)
		}
		d, err := delimiter()
		if err != nil {
			return "", fmt.Errorf("output %s: making a delimiter: %w", o.Name, err)
		}
		if strings.Contains(o.Value, d) {
			return "", fmt.Errorf("output %s: the value contains its delimiter", o.Name)
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", o.Name, d, o.Value, d)
	}
	return b.String(), nil
}

// appendFile appends text to the file a runner variable names
// (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), which the runner creates for the
// step. The whole text is written with one call.
func appendFile(path, text string) error {
	if path == "" {
		return errors.New("not set")
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
