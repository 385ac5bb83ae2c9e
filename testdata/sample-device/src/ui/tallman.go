package ui

import "strings"

// tallMan holds the tall-man spellings of look-alike drug names from the
// FDA and ISMP lists, for the drugs in SP-1 libraries.
var tallMan = map[string]string{
	"dobutamine":    "DOBUTamine",
	"dopamine":      "DOPamine",
	"hydromorphone": "HYDROmorphone",
	"hydralazine":   "hydrALAZINE",
	"hydroxyzine":   "hydrOXYzine",
	"nicardipine":   "niCARdipine",
	"nifedipine":    "NIFEdipine",
	"oxycodone":     "oxyCODONE",
	"vinblastine":   "vinBLAStine",
	"vincristine":   "vinCRIStine",
}

// DrugName returns the name to display: the tall-man spelling when the
// drug has one, else the name as the library gives it. Only the first word
// is looked up, so "Dopamine 200 mg" becomes "DOPamine 200 mg".
func DrugName(name string) string {
	first, rest, _ := strings.Cut(name, " ")
	if t, ok := tallMan[strings.ToLower(first)]; ok {
		if rest == "" {
			return t
		}
		return t + " " + rest
	}
	return name
}
