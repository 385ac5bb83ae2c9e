package ingest

import "strings"

// linkProps are the property names that link a test to requirements, as
// written by record_property("requirement", …), Xray and Ketryx
// (tested-item-id) and the like. Matched case-insensitively. The JUnit
// reader reads them in reports, the test tag scanner in pytest sources.
var linkProps = map[string]bool{
	"requirement":    true,
	"requirements":   true,
	"tested-item-id": true,
	"verifies":       true,
}

// IsLinkProp reports whether a property or attribute name links requirements.
func IsLinkProp(name string) bool {
	return linkProps[strings.ToLower(strings.TrimSpace(name))]
}
