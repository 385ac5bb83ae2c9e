package soupreg

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/package-url/packageurl-go"

	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/soup"
)

// skeleton is an entry Sync adds for a component the register lacks: what
// the SBOM tells, and notes on what it does not.
type skeleton struct {
	item  model.SOUPItem
	notes []string
}

// skeletonOf builds the entry for c, or ok=false when no entry could ever
// match c: without a purl and without a usable name (a name the reader
// would read back differently, since it trims) there is nothing to match on.
func skeletonOf(c model.Component) (s skeleton, ok bool) {
	key := soup.PackageKey(c.PURL)
	name := clean(c.Name)
	if name != "" && clean(c.Group) != "" {
		// The names soup.Match tries first: group/name, or groupId:artifactId
		// for Maven (soup.names).
		sep := "/"
		if strings.HasPrefix(c.PURL, "pkg:maven/") {
			sep = ":"
		}
		name = c.Group + sep + name
	}
	if name == "" && key != "" {
		name = nameFromPURL(key)
		s.notes = append(s.notes, "the SBOM gives this component no usable name: name and title are taken from its purl")
	}
	if name == "" {
		return s, false
	}
	title := readBack(c.Name)
	if title == "" {
		title = name
	}
	s.item = model.SOUPItem{
		Name:         name,
		PURL:         key,
		Title:        title,
		Manufacturer: readBack(c.Supplier),
		Version:      readBack(c.Version),
		License:      license(c),
	}
	if len(c.CPEs) > 0 {
		s.item.Identifier = readBack(c.CPEs[0])
	}
	switch {
	case s.item.Manufacturer == "":
		s.notes = append(s.notes, "the SBOM names no supplier: write the manufacturer (8.1.2 b)")
	case c.SupplierFrom == model.SupplierFromPublisher || c.SupplierFrom == model.SupplierFromAuthors || c.SupplierFrom == model.SupplierFromAuthor:
		// Who published or wrote a package is not always who stands
		// behind it; supplier, manufacturer and originator are.
		s.notes = append(s.notes, fmt.Sprintf("manufacturer is the SBOM's %s, not an asserted supplier: check it (8.1.2 b)", c.SupplierFrom))
	}
	if s.item.Version == "" {
		s.notes = append(s.notes, "the SBOM gives no version: write the exact version in use (8.1.2 c)")
	}
	return s, true
}

// clean returns s when the reader would read it back as it is (valid
// UTF-8, no surrounding white space), else "".
func clean(s string) string {
	if !utf8.ValidString(s) || strings.TrimSpace(s) != s {
		return ""
	}
	return s
}

// readBack is s as the reader reads it back.
func readBack(s string) string { return strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD")) }

// nameFromPURL is the package name of a purl: namespace/name, or
// namespace:name for Maven.
func nameFromPURL(key string) string {
	p, err := packageurl.FromString(key)
	if err != nil {
		return ""
	}
	name := clean(p.Name)
	if ns := clean(p.Namespace); ns != "" && name != "" {
		sep := "/"
		if p.Type == "maven" {
			sep = ":"
		}
		name = ns + sep + name
	}
	return name
}

// license is the component's license when the SBOM states exactly one
// (concluded or declared; what a scanner detected is not a statement).
func license(c model.Component) string {
	var found string
	for _, l := range c.Licenses {
		if l.Source == model.LicenseEvidence || readBack(l.Expression) == "" {
			continue
		}
		if found != "" && found != readBack(l.Expression) {
			return ""
		}
		found = readBack(l.Expression)
	}
	return found
}

// style is how the register writes its list, so that added entries look
// like the ones already there.
type style struct {
	dash  int  // column of the "-"
	key   int  // keys start this many columns after the "-"
	nest  int  // indentation of a nested mapping's keys
	blank bool // a blank line goes before each entry
}

var defaultStyle = style{dash: 2, key: 2, nest: 2}

// render writes the entries as YAML lines in the register's style.
func render(entries []skeleton, format string, st style) []string {
	pad := strings.Repeat(" ", st.dash)
	kpad := pad + strings.Repeat(" ", max(st.key, 2))
	npad := kpad + strings.Repeat(" ", max(st.nest, 1))
	var out []string
	for _, e := range entries {
		if st.blank {
			out = append(out, "")
		}
		it := e.item
		first := true
		kv := func(key, value string) {
			if first {
				out = append(out, pad+"-"+strings.Repeat(" ", max(st.key, 2)-1)+key+": "+value)
				first = false
				return
			}
			out = append(out, kpad+key+": "+value)
		}
		opt := func(key, value string) {
			if value != "" {
				kv(key, scalar(value))
			}
		}
		todo := func() {
			out = append(out, kpad+"# TODO(tracegate): added by tracegate from the SBOM; complete it for IEC 62304 8.1.2 / 5.3.3 / 5.3.4 / 7.1.2 / 7.1.3, then delete these TODO lines")
			for _, n := range e.notes {
				out = append(out, kpad+"# TODO(tracegate): "+n)
			}
		}
		switch format {
		case FormatRDM:
			kv("title", scalar(it.Name))
			kv("manufacturer", scalar(it.Manufacturer))
			kv("version", quoted(it.Version))
			opt("purl", it.PURL)
			opt("identifier", it.Identifier)
			opt("license", it.License)
			todo()
			kv("purpose", `""  # 5.3.3: the functional and performance requirements for its intended use`)
			kv("requirements", `""  # 5.3.4: the hardware and software it needs`)
			kv("anomaly_reference", `""  # 7.1.3: where its anomaly list is published`)
		default:
			kv("name", scalar(it.Name))
			opt("purl", it.PURL)
			kv("title", scalar(it.Title))
			kv("manufacturer", scalar(it.Manufacturer))
			kv("version", quoted(it.Version))
			opt("identifier", it.Identifier)
			opt("license", it.License)
			todo()
			kv("purpose", `""`)
			kv("requirements", `""  # 5.3.3: functional and performance requirements for its intended use`)
			kv("environment", `""  # 5.3.4: the hardware and software it needs`)
			kv("risk_level", `""  # 7.1.2: its failure as a cause of hazardous situations`)
			kv("verification", `""`)
			kv("items", "[]")
			version := "the version in use"
			if it.Version != "" {
				version = "version " + quoted(it.Version)
			}
			kv("anomaly_review", " # 7.1.3: the published anomaly lists reviewed for "+version)
			for _, k := range []string{"version", "date", "reviewer"} {
				out = append(out, npad+k+`: ""`)
			}
			out = append(out, npad+"sources: []", npad+`summary: ""`)
		}
	}
	return out
}

// scalar writes s plain when YAML reads it back as the same text, else
// double-quoted.
func scalar(s string) string {
	if plain(s) {
		return s
	}
	return quoted(s)
}

// plain reports whether s is safe as a plain scalar: it starts with a
// letter (so it is no number, and no indicator), holds only characters
// that mean nothing to YAML there, and is none of YAML 1.1's booleans and
// nulls (other tools read YAML 1.1).
func plain(s string) bool {
	if s == "" || strings.HasSuffix(s, ":") || strings.Contains(s, ": ") || strings.HasSuffix(s, " ") {
		return false
	}
	c := s[0]
	if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
		return false
	}
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		case strings.ContainsRune(" ._-/+@%:()", r):
		default:
			return false
		}
	}
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null":
		return false
	}
	return true
}

// quoted writes s as a YAML double-quoted scalar, escaping what is not
// printable in YAML (and the line breaks of YAML 1.1: NEL, LS, PS).
func quoted(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0x2028 || r == 0x2029 ||
			r == 0xfeff || (r >= 0xd800 && r <= 0xdfff) || r == 0xfffe || r == 0xffff:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
