package ingest

import (
	"io/fs"
	"strings"
	"unicode"
)

// KetryxRelations are the relation fields of Ketryx's Git-based items in
// Markdown (Ketryx MAN-09; Ketryx/git-based-items-best-practices README).
// The Ketryx readers of each kind turn some into links and name the others
// in a warning, never dropping one in silence.
var KetryxRelations = []string{
	"itemAffects", "itemContainsTests", "itemFoundAnomaly", "itemFulfills", "itemHasParent",
	"itemHasRootCause", "itemImplements", "itemIntroducesRisk", "itemIsRiskControlledBy",
	"itemExecutes", "itemRelatesTo", "itemIsRelatedTo", "itemResolvedBy", "itemResultsIn",
	"itemTests", "itemUses", "itemTriggers", "itemIsTriggeredBy",
}

// KetryxNotRead are the Ketryx item types, lower-cased, that no reader
// reads: they are reported, not read.
var KetryxNotRead = []string{"task", "anomaly", "complaint", "change request", "capa"}

// KetryxRisk is the item type of Ketryx's risks, lower-cased: the risks
// sources read them (format ketryx), the requirements sources leave them.
const KetryxRisk = "risk"

// LooksLikeKetryxField reports whether key is in Ketryx's metadata
// namespace: "item" followed by a capital letter.
func LooksLikeKetryxField(key string) bool {
	rest, ok := strings.CutPrefix(key, "item")
	return ok && rest != "" && unicode.IsUpper([]rune(rest)[0])
}

// IsKetryxItem reports whether the file at p is a Ketryx item: Markdown
// whose front matter has itemId or itemType. The Ketryx readers of every
// kind claim every item, reading their own and leaving the others to their
// kind (Elsewhere).
func IsKetryxItem(fsys fs.FS, p string, head []byte) bool {
	if !IsMarkdown(p) {
		return false
	}
	keys, ok := FrontMatterKeys(fsys, p, head)
	return ok && (keys["itemId"] || keys["itemType"])
}
