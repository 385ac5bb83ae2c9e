package model

import "github.com/tracegate/tracegate/internal/input"

// SOUPItem is one entry of the SOUP register (IEC 62304 8.1.2): what the
// team asserts about a piece of software of unknown provenance it uses.
// The SBOM says what is in the product; the register says why it is there,
// what is required of it and what is known to be wrong with it.
type SOUPItem struct {
	// Name and PURL match register entries to SBOM components: by the
	// package URL without its version (pkg:npm/lodash), else by name.
	Name string `json:"name"`
	PURL string `json:"purl,omitempty"`
	// Title and Manufacturer identify it to a reader (8.1.2 a, b).
	Title        string `json:"title,omitempty"`
	Manufacturer string `json:"manufacturer,omitempty"`
	// Version is the exact version in use (8.1.2 c): not a range, not
	// "latest", not "system-provided".
	Version string `json:"version,omitempty"`
	// Identifier is a unique designator (8.1.2: e.g. a CPE, a part number),
	// when the purl is not one.
	Identifier string `json:"identifier,omitempty"`
	Purpose    string `json:"purpose,omitempty"`
	License    string `json:"license,omitempty"`
	// Requirements are the functional and performance requirements the
	// SOUP must meet for its intended use (5.3.3).
	Requirements string `json:"requirements,omitempty"`
	// Environment is the system hardware and software it needs (5.3.4).
	Environment string `json:"environment,omitempty"`
	// RiskLevel is the result of analysing the SOUP's failure as a cause
	// of hazardous situations (7.1.2), in the team's scale.
	RiskLevel string `json:"risk_level,omitempty"`
	// Verification says how the SOUP's fitness is verified.
	Verification string `json:"verification,omitempty"`
	// AnomalyReview is the evaluation of the published anomaly lists for
	// the version in use (7.1.3).
	AnomalyReview *AnomalyReview `json:"anomaly_review,omitempty"`
	// Items names the software items that use it.
	Items []string `json:"items,omitempty"`
	// Class is the software safety class the entry states for it (a SOUP
	// form's field): it raises the class the item is judged at, never
	// lowers it (the policy's items and system class say what is lower).
	Class  Class     `json:"class,omitempty"`
	Source input.Pos `json:"source"`
	Format string    `json:"format"`
}

// AnomalyReview is the review of a SOUP item's known anomalies.
type AnomalyReview struct {
	// Version is the version the review covers; it must be the version in
	// use: a review of another version does not count.
	Version  string `json:"version"`
	Date     string `json:"date,omitempty"`
	Reviewer string `json:"reviewer,omitempty"`
	// Sources are the anomaly lists consulted (osv.dev, vendor errata).
	Sources []string `json:"sources,omitempty"`
	Summary string   `json:"summary,omitempty"`
	// Anomalies are the known anomalies assessed, each with its assessment
	// (not applicable, mitigated by RC-004, …).
	Anomalies []ReviewedAnomaly `json:"anomalies,omitempty"`
	Source    input.Pos         `json:"source"`
}

// ReviewedAnomaly is one known anomaly and the team's assessment of it.
type ReviewedAnomaly struct {
	ID         string `json:"id"`
	Assessment string `json:"assessment,omitempty"`
}
