package sbom

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// cdxJSON reads CycloneDX JSON with cyclonedx-go's model. detect has
// checked bomFormat and specVersion (a version cyclonedx-go does not know,
// or one written as a number, is an error there, not "the latest").
type cdxJSON struct{}

func (cdxJSON) decode(src *source) (*parsed, error) {
	var bom cdx.BOM
	err := protect("cyclonedx-go", func() error { return json.Unmarshal(src.data, &bom) })
	if cut, cerr := cutTrailing(src, err); cerr != nil {
		return nil, cerr
	} else if cut {
		bom = cdx.BOM{}
		err = protect("cyclonedx-go", func() error { return json.Unmarshal(src.data, &bom) })
	}
	if err != nil {
		return nil, jsonError(src, err)
	}
	return fromCycloneDX(src, &bom), nil
}

// cdxXML reads CycloneDX XML with cyclonedx-go's model. cyclonedx-go's
// decoder stops after the root element without looking further and leaves
// the version at 0 for a namespace it does not know; here the version comes
// from detect (an unknown namespace is an error) and what follows the root
// is checked: a second <bom> is an error, other text a warning.
type cdxXML struct{}

func (cdxXML) decode(src *source) (*parsed, error) {
	var bom cdx.BOM
	d := xml.NewDecoder(bytes.NewReader(src.data))
	if err := protect("cyclonedx-go", func() error { return d.Decode(&bom) }); err != nil {
		l, _ := d.InputPos()
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			l = se.Line
		}
		e := &input.Error{Pos: input.Pos{File: src.file, Line: l}, Msg: "invalid CycloneDX XML: " + xmlMsg(err), Err: err}
		if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF") {
			e.Hint = "the file ends in the middle of the document: it was probably truncated"
		}
		return nil, e
	}
	end := d.InputOffset()
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		l, c := d.InputPos()
		pos := input.Pos{File: src.file, Line: l, Col: c}
		if se, ok := tok.(xml.StartElement); ok {
			return nil, input.Errorf(pos, "a second root element <%s> follows the CycloneDX document", se.Name.Local).
				WithHint("one file must hold one SBOM")
		}
		cd, isText := tok.(xml.CharData)
		if err != nil || (isText && len(bytes.TrimSpace(cd)) > 0) {
			rest := src.data[end:]
			src.notes.warnf(src.posAt(int(end)+len(rest)-len(bytes.TrimLeft(rest, " \t\r\n"))),
				"ignored %d bytes of text after the end of the CycloneDX document: %s",
				len(bytes.TrimSpace(rest)), quote(string(bytes.TrimSpace(rest))))
			break
		}
	}
	return fromCycloneDX(src, &bom), nil
}

// cdxAlgorithms are the hash algorithms as CycloneDX spells them.
var cdxAlgorithms = map[cdx.HashAlgorithm]bool{
	cdx.HashAlgoMD5: true, cdx.HashAlgoSHA1: true, cdx.HashAlgoSHA256: true, cdx.HashAlgoSHA384: true,
	cdx.HashAlgoSHA512: true, cdx.HashAlgoSHA3_256: true, cdx.HashAlgoSHA3_384: true, cdx.HashAlgoSHA3_512: true,
	cdx.HashAlgoBlake2b_256: true, cdx.HashAlgoBlake2b_384: true, cdx.HashAlgoBlake2b_512: true, cdx.HashAlgoBlake3: true,
}

// fromCycloneDX extracts the SOUP fields. metadata.component is the
// described product: it becomes the root, and the components nested in it
// (the product's own modules or packages) stay with it, uncounted. The
// components tree is walked with an explicit stack, so that no nesting depth
// can exhaust the goroutine's stack.
func fromCycloneDX(src *source, bom *cdx.BOM) *parsed {
	ns := src.notes
	p := &parsed{}
	if bom.Metadata != nil && bom.Metadata.Component != nil {
		mc := bom.Metadata.Component
		p.extraRoots = append(p.extraRoots, cdxRaw(ns, src, mc, "metadata.component", -1))
		if mc.BOMRef != "" {
			p.rootIDs = append(p.rootIDs, mc.BOMRef)
		}
	}
	type item struct {
		c      *cdx.Component
		prefix string // path of the list it is in
		index  int
		parent string // graph node of the enclosing component
	}
	var stack []item
	push := func(list *[]cdx.Component, prefix, parent string) {
		if list == nil {
			return
		}
		for i := len(*list) - 1; i >= 0; i-- {
			stack = append(stack, item{&(*list)[i], prefix, i, parent})
		}
	}
	if bom.Components != nil {
		p.elems = make([]rawComponent, 0, len(*bom.Components))
	}
	push(bom.Components, "components", "")
	seen := make(map[string]bool, cap(p.elems))
	if bom.Dependencies != nil {
		p.edges = make(map[string][]string, len(*bom.Dependencies)+cap(p.elems)/8)
	}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if *it.c == (cdx.Component{}) {
			ns.add("empty-component", src.pos(), it.prefix+"["+strconv.Itoa(it.index)+"]")
			continue
		}
		p.read++
		e := cdxRaw(ns, src, it.c, it.prefix, it.index)
		e.node = e.id
		switch {
		case e.id == "" && (it.parent != "" || it.c.Components != nil):
			// A component in the tree without a bom-ref still needs a node
			// for its place; its path is unique and cannot be a bom-ref.
			e.node = "\x00" + e.path()
		case e.id != "" && seen[e.id]:
			ns.add("bomref-duplicate", src.pos(), at(quote(e.id), e.path()))
		}
		seen[e.id] = true
		p.edge(it.parent, e.node)
		p.elems = append(p.elems, e)
		if it.c.Components != nil {
			push(it.c.Components, e.path()+".components", e.node)
		}
	}
	if bom.Dependencies != nil {
		for _, d := range *bom.Dependencies {
			if d.Dependencies == nil {
				continue
			}
			for _, to := range *d.Dependencies {
				p.edge(d.Ref, to)
			}
		}
	}
	return p
}

// cdxRaw extracts one component's fields.
func cdxRaw(ns *notes, src *source, c *cdx.Component, prefix string, index int) rawComponent {
	e := rawComponent{
		id:         c.BOMRef,
		pathPrefix: prefix,
		pathIndex:  index,
		name:       c.Name,
		group:      c.Group,
		version:    c.Version,
		typ:        string(c.Type),
		purl:       c.PackageURL,
	}
	if c.Supplier != nil {
		e.setSupplier(model.SupplierFromSupplier, c.Supplier.Name)
	}
	if c.Manufacturer != nil {
		e.setSupplier(model.SupplierFromManufacturer, c.Manufacturer.Name)
	}
	e.setSupplier(model.SupplierFromPublisher, c.Publisher)
	if c.Authors != nil {
		var names []string
		for _, a := range *c.Authors {
			if n := strings.TrimSpace(a.Name); n != "" {
				names = append(names, n)
			}
		}
		e.setSupplier(model.SupplierFromAuthors, strings.Join(names, ", "))
	}
	e.setSupplier(model.SupplierFromAuthor, c.Author)
	if c.CPE != "" {
		e.cpes = []string{c.CPE}
	}
	if c.Licenses != nil {
		e.licenses = cdxLicenses(ns, src, c.Licenses, &e, ".licenses", "")
	}
	if len(e.licenses) == 0 && c.Evidence != nil && c.Evidence.Licenses != nil {
		e.licenses = cdxLicenses(ns, src, c.Evidence.Licenses, &e, ".evidence.licenses", model.LicenseEvidence)
	}
	if c.Hashes != nil {
		e.hashes = make([]rawHash, 0, len(*c.Hashes))
		for _, h := range *c.Hashes {
			e.hashes = append(e.hashes, rawHash{alg: string(h.Algorithm), value: h.Value, spelled: cdxAlgorithms[h.Algorithm]})
		}
	}
	if c.ExternalReferences != nil {
		for _, r := range *c.ExternalReferences {
			if r.Type == cdx.ERTypeDistribution && r.URL != "" {
				e.download = r.URL
				break
			}
		}
	}
	return e
}

// cdxLicenses reads a licenses array. source forces the License.Source
// (evidence); otherwise a license acknowledged as concluded (CycloneDX 1.6)
// is concluded and every other one declared.
func cdxLicenses(ns *notes, src *source, ls *cdx.Licenses, e *rawComponent, member, source string) []model.License {
	out := make([]model.License, 0, len(*ls))
	for i, lc := range *ls {
		src1 := model.LicenseDeclared
		ack := lc.Acknowledgement
		if lc.License != nil && lc.License.Acknowledgement != "" {
			a := lc.License.Acknowledgement
			ack = &a
		}
		if ack != nil && *ack == cdx.LicenseAcknowledgementConcluded {
			src1 = model.LicenseConcluded
		}
		if source != "" {
			src1 = source
		}
		switch {
		case strings.TrimSpace(lc.Expression) != "":
			out = append(out, model.License{Expression: lc.Expression, Source: src1})
		case lc.License != nil && strings.TrimSpace(lc.License.ID) != "":
			out = append(out, model.License{Expression: lc.License.ID, Source: src1})
		case lc.License != nil && strings.TrimSpace(lc.License.Name) != "":
			out = append(out, model.License{Expression: lc.License.Name, Source: src1, ByName: true})
		case lc.License == nil:
			ns.add("null", src.pos(), e.path()+member+"["+strconv.Itoa(i)+"]")
		}
	}
	return out
}
