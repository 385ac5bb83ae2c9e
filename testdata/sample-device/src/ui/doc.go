// Package ui formats what the SP-1 shows on its display (software item ui,
// safety class B; requirements that are risk controls for unit and drug
// confusion are class C). The rules follow the ISMP list of error-prone
// abbreviations and the FDA/ISMP tall-man lettering list.
package ui
