package risk

import (
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/model"
)

// scalarText renders a YAML scalar (as yamlsrc.Value produces it) as the
// text that was written: strings trimmed, numbers in decimal without a
// fraction when they have none (severity: 3 → "3"). Severity and probability
// keep this text because only the policy's risk matrix knows whether "3" is
// a level number or "remote" a level name. ok is false for a mapping or list.
func scalarText(v any) (s string, ok bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case string:
		return strings.TrimSpace(x), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// declaredWords maps what risk files write for a declared acceptability to
// the matrix's acceptability levels. Only the canonical words are accepted in
// the native format; spreadsheets also say yes/no ("Residual risk
// acceptable?") or spell ALARP out.
var declaredWords = map[string]string{
	"broadly acceptable":               model.Acceptable,
	"accepted":                         model.Acceptable,
	"yes":                              model.Acceptable,
	"y":                                model.Acceptable,
	"as low as reasonably practicable": model.ALARP,
	"as low as reasonably possible":    model.ALARP,
	"as far as possible":               model.ALARP,
	"afap":                             model.ALARP,
	"acceptable (alarp)":               model.ALARP,
	"yes (alarp)":                      model.ALARP,
	"not acceptable":                   model.Unacceptable,
	"no":                               model.Unacceptable,
	"n":                                model.Unacceptable,
	"intolerable":                      model.Unacceptable,
}

// parseDeclared returns the acceptability level a file declares: one of
// model.Acceptable, model.ALARP, model.Unacceptable. The declared value is
// only ever compared with the matrix, never trusted. With lenient, the
// spreadsheet wordings of declaredWords are accepted too. ok is false for
// anything else; the lower-cased text is still returned so that a caller that
// warns rather than fails keeps what was written.
func parseDeclared(s string, lenient bool) (level string, ok bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "", model.Acceptable, model.ALARP, model.Unacceptable:
		return t, true
	}
	if lenient {
		if l, found := declaredWords[strings.Join(strings.Fields(t), " ")]; found {
			return l, true
		}
	}
	return t, false
}
