package main

import (
	"regexp"
	"strconv"
	"strings"
)

// plainYAML matches the strings that YAML reads back unchanged without
// quotes: no indicator at the start, no ": " or " #", not a number, bool
// or null.
var plainYAML = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9 ,.()/%'+-]*$`)

var yamlKeywords = map[string]bool{"yes": true, "no": true, "on": true, "off": true, "true": true, "false": true, "null": true, "y": true, "n": true}

// yq writes s as a YAML scalar: plain where that is safe, else double-quoted
// (JSON string syntax is valid YAML).
func yq(s string) string {
	if plainYAML.MatchString(s) && !strings.HasSuffix(s, " ") && !yamlKeywords[strings.ToLower(s)] {
		return s
	}
	return strconv.Quote(s)
}

// ylist writes a flow sequence of IDs.
func ylist(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = yq(id)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
