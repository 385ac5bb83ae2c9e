package soupreg

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// repo is the repository root, where the fixtures live under
// testdata/formats; paths in results are relative to it, as in a real run.
var repo = os.DirFS("../../..")

// summary renders an item for the tables: name, position, format and the
// fields that are set, so that a failing case shows every difference.
func summary(it model.SOUPItem) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s@%d:%d %s", it.Name, it.Source.Line, it.Source.Col, it.Format)
	for _, f := range []struct{ k, v string }{
		{"purl", it.PURL}, {"title", it.Title}, {"manufacturer", it.Manufacturer}, {"version", it.Version},
		{"identifier", it.Identifier}, {"purpose", it.Purpose}, {"license", it.License},
		{"requirements", it.Requirements}, {"environment", it.Environment}, {"risk", it.RiskLevel},
		{"verification", it.Verification}, {"items", strings.Join(it.Items, ",")},
	} {
		if f.v != "" {
			fmt.Fprintf(&b, " %s=%s", f.k, f.v)
		}
	}
	if r := it.AnomalyReview; r != nil {
		fmt.Fprintf(&b, " review@%d:%d{version=%s date=%s reviewer=%s sources=%s summary=%s anomalies=",
			r.Source.Line, r.Source.Col, r.Version, r.Date, r.Reviewer, strings.Join(r.Sources, ","), r.Summary)
		for i, a := range r.Anomalies {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%s:%s", a.ID, a.Assessment)
		}
		b.WriteByte('}')
	}
	return b.String()
}

func summaries(items []model.SOUPItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = summary(it)
	}
	return out
}

func warningStrings(ws []input.Warning) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.String()
	}
	return out
}

// errorList flattens what Parse returned into its input errors, failing
// the test when the error is of another kind: every error must name a file.
func errorList(t testing.TB, err error) []*input.Error {
	t.Helper()
	var es input.Errors
	if errors.As(err, &es) {
		return es
	}
	if e, ok := input.AsError(err); ok {
		return []*input.Error{e}
	}
	t.Fatalf("error %v (%T) is not an input error", err, err)
	return nil
}

// errorStrings renders errors as file:line:col: message (hint).
func errorStrings(t testing.TB, err error) []string {
	t.Helper()
	var out []string
	for _, e := range errorList(t, err) {
		out = append(out, e.Error())
	}
	return out
}
