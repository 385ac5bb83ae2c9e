package gate

// Catalog returns every rule of every gate: the model lint (which the PR
// and release gates also run), then the PR and the release rules.
// docs/rules.md is generated from it.
func Catalog() []Rule {
	var out []Rule
	for _, rf := range validateRules {
		r := rf.Rule
		r.Gate = GateValidate
		out = append(out, r)
	}
	for _, pr := range prRules {
		r := pr.Rule
		r.Gate = GatePR
		out = append(out, r)
	}
	for _, rr := range releaseRules {
		r := rr.Rule
		r.Gate = GateRelease
		out = append(out, r)
	}
	for _, sr := range soupRules {
		r := sr.Rule
		r.Gate = GateSOUP
		out = append(out, r)
	}
	return out
}
