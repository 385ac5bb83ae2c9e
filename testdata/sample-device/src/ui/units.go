package ui

import "strings"

// unitSymbols maps every spelling the drug library or a user might use to
// the one the display shows. "µg" and "ug" are read as "mg" often enough to
// be on the ISMP list; "U" is read as 0 or 4, "cc" as "u".
var unitSymbols = map[string]string{
	"mcg": "mcg", "µg": "mcg", "μg": "mcg", "ug": "mcg",
	"mg": "mg", "g": "g",
	"units": "units", "unit": "units", "u": "units", "iu": "units",
	"ml": "mL", "cc": "mL",
	"mmol": "mmol",
}

// Unit returns the display symbol of a unit, and false for a unit the
// display does not know (the caller shows the entry as invalid rather than
// guessing).
func Unit(u string) (string, bool) {
	s, ok := unitSymbols[strings.ToLower(strings.TrimSpace(u))]
	return s, ok
}

// DoseUnit rewrites a compound dose unit ("ug/kg/min") into display symbols
// ("mcg/kg/min").
func DoseUnit(u string) (string, bool) {
	parts := strings.Split(u, "/")
	for i, p := range parts {
		switch strings.ToLower(p) {
		case "kg", "h", "min":
			parts[i] = strings.ToLower(p)
			continue
		}
		s, ok := Unit(p)
		if !ok {
			return "", false
		}
		parts[i] = s
	}
	return strings.Join(parts, "/"), true
}

// Rate formats a volumetric rate; the unit is always shown.
func Rate(mlh float64) string { return Number(mlh, 1) + " mL/h" }

// Dose formats a dose in its unit; the unit is always shown. An unknown
// unit is shown as such, never dropped.
func Dose(v float64, unit string) string {
	u, ok := DoseUnit(unit)
	if !ok {
		return Number(v, 3) + " ?" + unit + "?"
	}
	return Number(v, 3) + " " + u
}

// Concentration formats the drug amount in the syringe volume and the
// resulting concentration: "50 mg in 50 mL (1 mg/mL)". Showing both lets
// the user compare the screen with the syringe label.
func Concentration(amount float64, unit string, volumeML float64) string {
	u, ok := Unit(unit)
	if !ok {
		u = "?" + unit + "?"
	}
	per := "---"
	if volumeML > 0 {
		per = Number(amount/volumeML, 3)
	}
	return Number(amount, 3) + " " + u + " in " + Number(volumeML, 1) + " mL (" + per + " " + u + "/mL)"
}
