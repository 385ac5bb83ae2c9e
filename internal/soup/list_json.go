package soup

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the entry's JSON — the bytes encoding/json writes for
// it without HTML escaping, field for field — to b. `soup list --format
// json` writes one entry per line through it (report.WriteJSONLines): by
// reflection, encoding/json spent more on a 1,749-component list than
// reading the SBOM's components did. The register item and the anomaly
// lookup, which few entries carry, are still encoded by encoding/json;
// TestListEntryJSON and FuzzListEntryJSON compare the two.
func (e *ListEntry) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"name":`...)
	b = appendString(b, e.Name)
	if e.Group != "" {
		b = append(b, `,"group":`...)
		b = appendString(b, e.Group)
	}
	b = append(b, `,"version":`...)
	b = appendString(b, e.Version)
	b = append(b, `,"supplier":`...)
	b = appendString(b, e.Supplier)
	b = append(b, `,"purl":`...)
	b = appendString(b, e.PURL)
	if len(e.CPEs) > 0 {
		b = append(b, `,"cpes":`...)
		b = appendStrings(b, e.CPEs)
	}
	b = append(b, `,"licenses":`...)
	b = appendStrings(b, e.Licenses)
	b = append(b, `,"direct":`...)
	switch {
	case e.Direct == nil:
		b = append(b, "null"...)
	default:
		b = strconv.AppendBool(b, *e.Direct)
	}
	if e.Type != "" {
		b = append(b, `,"type":`...)
		b = appendString(b, e.Type)
	}
	if e.NotSOUP {
		b = append(b, `,"not_soup":true`...)
	}
	if e.SupplierFrom != "" {
		b = append(b, `,"supplier_from":`...)
		b = appendString(b, e.SupplierFrom)
	}
	if len(e.LicenseDetails) > 0 {
		b = append(b, `,"license_details":[`...)
		for i, l := range e.LicenseDetails {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"expression":`...)
			b = appendString(b, l.Expression)
			b = append(b, `,"source":`...)
			b = appendString(b, l.Source)
			if l.ByName {
				b = append(b, `,"by_name":true`...)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(e.Hashes) > 0 {
		b = append(b, `,"hashes":{`...)
		algs := make([]string, 0, len(e.Hashes))
		for alg := range e.Hashes {
			algs = append(algs, alg)
		}
		slices.Sort(algs)
		for i, alg := range algs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, alg)
			b = append(b, ':')
			b = appendString(b, e.Hashes[alg])
		}
		b = append(b, '}')
	}
	if e.DownloadLocation != "" {
		b = append(b, `,"download_location":`...)
		b = appendString(b, e.DownloadLocation)
	}
	if e.Ecosystem != "" {
		b = append(b, `,"ecosystem":`...)
		b = appendString(b, e.Ecosystem)
	}
	b = append(b, `,"dependency":`...)
	b = appendString(b, string(e.Dependency))
	if e.ElementID != "" {
		b = append(b, `,"element_id":`...)
		b = appendString(b, e.ElementID)
	}
	b = append(b, `,"source":{"file":`...)
	b = appendString(b, e.Source.File)
	if e.Source.Line != 0 {
		b = append(b, `,"line":`...)
		b = strconv.AppendInt(b, int64(e.Source.Line), 10)
	}
	if e.Source.Col != 0 {
		b = append(b, `,"column":`...)
		b = strconv.AppendInt(b, int64(e.Source.Col), 10)
	}
	b = append(b, `},"elements":`...)
	b = strconv.AppendInt(b, int64(e.Elements), 10)
	b = append(b, `,"register":`...)
	var err error
	if e.Register == nil {
		b = append(b, "null"...)
	} else if b, err = appendValue(b, e.Register); err != nil {
		return nil, err
	}
	if e.MatchedBy != "" {
		b = append(b, `,"matched_by":`...)
		b = appendString(b, e.MatchedBy)
	}
	b = append(b, `,"documents":`...)
	b = appendStrings(b, e.Documents)
	if e.Anomalies != nil {
		b = append(b, `,"anomalies":`...)
		if b, err = appendValue(b, e.Anomalies); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendStrings appends a string slice as encoding/json writes it: null
// when nil.
func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendString appends s as a JSON string. Printable ASCII other than the
// quote and the backslash is written as it is, as encoding/json writes
// it; anything else is left to encoding/json.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' {
			out, _ := appendValue(b, s) // a string always encodes
			return out
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendValue appends v as encoding/json writes it without HTML escaping.
func appendValue(b []byte, v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...), nil
}
