package gate

// Catalog returns every rule of every gate, in ID order. docs/rules.md is
// generated from it.
func Catalog() []Rule {
	var out []Rule
	for _, rf := range validateRules {
		r := rf.Rule
		r.Gate = GateValidate
		out = append(out, r)
	}
	return out
}
