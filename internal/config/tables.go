package config

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// FormatMarkdownTable is the format of registers kept as Markdown tables:
// requirement lists, risk tables and SOUP lists.
const FormatMarkdownTable = "markdown-table"

// Table maps the columns of a register kept as Markdown tables (format
// markdown-table) to the fields tracegate reads. Headers are compared
// without regard to case, spaces and punctuation.
type Table struct {
	// Columns maps a field to the header of the column that holds it, in
	// place of the headers the field is known by.
	Columns map[string]string `json:"columns,omitempty"`
	// IDPrefixes maps a field that holds IDs to the prefix a number in it
	// takes: templates number their rows 1, 2, 3 in each table, and the
	// policy's IDs tell a requirement from a hazard (id_prefixes: {id: SWR-}).
	IDPrefixes map[string]string `json:"id_prefixes,omitempty"`
}

// IsZero reports whether the table maps nothing.
func (t Table) IsZero() bool { return len(t.Columns) == 0 && len(t.IDPrefixes) == 0 }

// Fields of a requirement table (the native format's keys).
var RequirementColumns = []string{"id", "title", "text", "type", "item", "class", "parents", "risk_controls",
	"verification", "evidence", "tests", "status"}

// Fields of a risk table: a hazard table's, then a risk control table's.
var RiskColumns = []string{"id", "title", "hazard", "cause", "hazardous_situation", "harm", "severity", "probability",
	"acceptability", "risk_controls", "residual_severity", "residual_probability", "residual_acceptability",
	"benefit_risk", "description", "kind", "hazards", "requirements"}

// Fields of a SOUP table (the native register's keys).
var SOUPColumns = []string{"name", "purl", "title", "manufacturer", "version", "identifier", "purpose", "license",
	"requirements", "environment", "risk_level", "verification", "items"}

// Fields whose cells hold IDs, which id_prefixes may complete. In a risk
// file the prefix belongs to the kind of ID wherever it is written: id
// numbers the hazards (a hazard table's ID, a control table's hazards),
// risk_controls the controls (a hazard table's controls, a control table's
// ID), requirements the requirements a control table names.
var (
	RequirementIDColumns = []string{"id", "parents", "risk_controls"}
	RiskIDColumns        = []string{"id", "risk_controls", "requirements"}
)

// checkTable checks a source's column mapping against the fields of its
// kind (none for a kind not kept in tables).
func checkTable(key string, s Source, fields, idFields []string, bad func(key, format string, args ...any)) {
	if s.Table.IsZero() {
		return
	}
	if s.Format != FormatMarkdownTable && s.Format != "auto" {
		bad(key+".format", "%s: columns and id_prefixes apply to format %s, not %s", dotted(key), FormatMarkdownTable, s.Format)
	}
	if fields == nil {
		bad(key, "%s: columns and id_prefixes apply to registers kept as Markdown tables (requirements, risks, soup)", dotted(key))
		return
	}
	for _, f := range sortedKeys(s.Columns) {
		if !slices.Contains(fields, f) {
			bad(key+".columns."+f+"#key", "%s.columns: %q is not a field of the table (fields: %s)", dotted(key), f, strings.Join(fields, ", "))
		}
	}
	for _, f := range sortedKeys(s.IDPrefixes) {
		if !slices.Contains(idFields, f) {
			bad(key+".id_prefixes."+f+"#key", "%s.id_prefixes: %q is not a field that holds IDs (fields: %s)", dotted(key), f, strings.Join(idFields, ", "))
		}
	}
}

func dotted(key string) string {
	i := strings.LastIndexByte(key, '.')
	if i < 0 {
		return key
	}
	return fmt.Sprintf("%s[%s]", key[:i], key[i+1:])
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
