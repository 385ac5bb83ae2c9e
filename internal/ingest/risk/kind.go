package risk

import "strings"

// Risk control options of ISO 14971:2019 7.1, in their priority order, as
// model.RiskControl.Kind holds them.
const (
	KindInherentSafety       = "inherent-safety"
	KindProtectiveMeasure    = "protective-measure"
	KindInformationForSafety = "information-for-safety"
)

// Kinds lists the accepted control kinds, for messages and schemas.
var Kinds = []string{KindInherentSafety, KindProtectiveMeasure, KindInformationForSafety}

// kindWording maps the standard's wording, as people copy it into risk files,
// to the canonical kind. Keys are normalised by kindKey.
var kindWording = map[string]string{
	"inherent safety":           KindInherentSafety,
	"inherent safety by design": KindInherentSafety,
	"inherently safe design":    KindInherentSafety,
	"protective measure":        KindProtectiveMeasure,
	"protective measures":       KindProtectiveMeasure,
	"information for safety":    KindInformationForSafety,
}

// kindKey lower-cases s and turns hyphens, underscores and runs of white
// space into single spaces.
func kindKey(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("-", " ", "_", " ").Replace(strings.ToLower(s))), " ")
}

// parseKind returns the canonical kind of a written control kind. The empty
// string is "not stated" and valid.
func parseKind(s string) (string, bool) {
	if strings.TrimSpace(s) == "" {
		return "", true
	}
	k, ok := kindWording[kindKey(s)]
	return k, ok
}

// kindHint tells the user what a control kind may be.
const kindHint = "kind is one of inherent-safety, protective-measure, information-for-safety (ISO 14971 7.1)"
