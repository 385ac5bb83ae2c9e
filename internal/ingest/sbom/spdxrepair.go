package sbom

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
)

// spdxRepairer fixes, in a generic JSON value (map[string]any, []any, …) of
// an SPDX 2 JSON or YAML document, the producer quirks that make
// tools-golang reject the whole document:
//
//   - null entries in arrays (packages: [null] panics tools-golang v0.5.7,
//     spdx/tools-golang#291): removed;
//   - supplier/originator without "Person:"/"Organization:" (Microsoft
//     sbom-tool "Microsoft/GitHub", syft "Georg Brandl <…>"): read as an
//     organisation's name; empty ones are dropped;
//   - creators/annotators without a type: read as an organisation;
//   - element IDs without "SPDXRef-" (syft's file IDs "50791f8ccfdc13e2",
//     rejected since tools-golang PR #275) or with nothing after it: the
//     prefix is added, the same way in every place that names the ID, so
//     relationships still meet their elements;
//   - numbers and booleans where SPDX wants text (versionInfo: 1.0): read as
//     text.
//
// Each repair is counted into a warning.
type spdxRepairer struct {
	ns     *notes
	pos    func(path []string) input.Pos // where a path sits, when known (YAML)
	fixed  map[string]bool               // IDs already repaired, to count each once
	change bool
}

var (
	spdxIDKeys     = map[string]bool{"SPDXID": true, "spdxElementId": true, "relatedSpdxElement": true, "snippetFromFile": true}
	spdxIDListKeys = map[string]bool{"documentDescribes": true, "hasFiles": true}
	// spdxTextKeys are members whose value SPDX defines as a string.
	spdxTextKeys = map[string]bool{
		"name": true, "versionInfo": true, "downloadLocation": true, "licenseConcluded": true,
		"licenseDeclared": true, "copyrightText": true, "packageFileName": true, "homepage": true,
		"summary": true, "description": true, "comment": true, "checksumValue": true,
		"referenceLocator": true, "primaryPackagePurpose": true, "fileName": true, "sourceInfo": true,
	}
)

func (r *spdxRepairer) at(path []string) input.Pos {
	if r.pos != nil {
		return r.pos(path)
	}
	return input.Pos{}
}

func (r *spdxRepairer) walk(v any, path []string) any {
	switch t := v.(type) {
	case []any:
		out := t[:0]
		for i, e := range t {
			p := append(path, "["+strconv.Itoa(i)+"]")
			if e == nil {
				r.ns.add("null", r.at(p), jsonPath(p))
				r.change = true
				continue
			}
			out = append(out, r.walk(e, p))
		}
		return out
	case map[string]any:
		// Sorted, so that the first example of each repair is the same on
		// every run.
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			e := t[k]
			p := append(path, k)
			switch s := e.(type) {
			case string:
				switch {
				case spdxIDKeys[k]:
					t[k] = r.fixID(s, p)
				case k == "supplier" || k == "originator":
					if fixed, ok := r.fixAgent(s, p); ok {
						t[k] = fixed
					} else {
						delete(t, k)
					}
				case k == "annotator":
					t[k] = r.fixCreator(s, p)
				}
				continue
			case json.Number, float64, bool:
				if spdxTextKeys[k] || spdxIDKeys[k] {
					r.ns.add("scalar-type", r.at(p), at(quote(scalarText(s)), jsonPath(p)))
					r.change = true
					t[k] = scalarText(s)
				}
				continue
			case []any:
				switch {
				case spdxIDListKeys[k]:
					for i, id := range s {
						if str, ok := id.(string); ok {
							s[i] = r.fixID(str, append(p, "["+strconv.Itoa(i)+"]"))
						}
					}
				case k == "creators":
					for i, c := range s {
						if str, ok := c.(string); ok {
							s[i] = r.fixCreator(str, append(p, "["+strconv.Itoa(i)+"]"))
						}
					}
				}
			}
			t[k] = r.walk(t[k], p)
		}
	}
	return v
}

func scalarText(v any) string {
	switch t := v.(type) {
	case json.Number:
		return t.String()
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

// fixID adds the SPDXRef- prefix an element ID lacks, keeping a
// DocumentRef- part and the special values NONE and NOASSERTION.
func (r *spdxRepairer) fixID(id string, path []string) string {
	docRef, elem, fixed, isElem := prefixElementID(id)
	if !isElem || fixed == elem {
		return id
	}
	r.change = true
	if r.fixed == nil {
		r.fixed = map[string]bool{}
	}
	if !r.fixed[elem] {
		r.fixed[elem] = true
		r.ns.add("id-prefix", r.at(path), at(quote(elem)+" read as "+quote(fixed), jsonPath(path)))
	}
	return docRef + fixed
}

// prefixElementID splits an SPDX element reference into its DocumentRef-
// part ("" or "DocumentRef-x:") and its element ID, and gives the element
// ID with the SPDXRef- prefix it lacks ("SPDXRef-" alone becomes
// "SPDXRef-empty-ID"); fixed equals elem when nothing lacked. isElem is
// false for NONE, NOASSERTION and a document reference alone, which are
// not element IDs and are kept as they are.
func prefixElementID(id string) (docRef, elem, fixed string, isElem bool) {
	if id == "NONE" || id == "NOASSERTION" {
		return "", id, id, false
	}
	elem = id
	if strings.HasPrefix(id, "DocumentRef-") {
		i := strings.IndexByte(id, ':')
		if i < 0 {
			return "", id, id, false
		}
		docRef, elem = id[:i+1], id[i+1:]
	}
	switch {
	case elem == "SPDXRef-":
		return docRef, elem, "SPDXRef-empty-ID", true
	case !strings.HasPrefix(elem, "SPDXRef-"):
		return docRef, elem, "SPDXRef-" + elem, true
	}
	return docRef, elem, elem, true
}

// fixAgent returns a supplier/originator value tools-golang accepts; ok is
// false for an empty one, which says nothing and is dropped.
func (r *spdxRepairer) fixAgent(s string, path []string) (string, bool) {
	t := strings.TrimSpace(s)
	if t == "NOASSERTION" || strings.Contains(t, ":") {
		return s, true
	}
	r.change = true
	r.ns.add("supplier-prefix", r.at(path), at(quote(s), jsonPath(path)))
	if t == "" {
		return "", false
	}
	return "Organization: " + t, true
}

func (r *spdxRepairer) fixCreator(s string, path []string) string {
	if strings.Contains(s, ":") {
		return s
	}
	r.change = true
	r.ns.add("creator-prefix", r.at(path), at(quote(s), jsonPath(path)))
	return "Organization: " + strings.TrimSpace(s)
}
