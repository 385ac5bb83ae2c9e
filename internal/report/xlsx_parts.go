package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The parts of the workbook XLSXBook writes (ECMA-376 Part 1, SpreadsheetML;
// Part 2, Open Packaging Conventions). The zip's entries carry no
// timestamps and come in a fixed order, so that the same tables give the
// same bytes.

// Cell styles: the index of each in styles.xml's cellXfs.
const (
	xlsxHeaderStyle = 1 // bold, grey fill, a thin line below, top-aligned, wrapped
	xlsxBodyStyle   = 2 // top-aligned, wrapped
)

// xlsxSheet is one sheet: its rows, written as they came, and what its
// frame needs.
type xlsxSheet struct {
	name       string
	cols, rows int // columns; rows with the header
	widths     []float64
	data       []byte // the <row> elements
}

// xlsxCell is a cell: a shared string's index, or a number.
type xlsxCell struct {
	str, num int
	isNum    bool
	style    int
}

// appendRow writes row r (1-based) of cells to w.
func (s *xlsxSheet) appendRow(w *bytes.Buffer, r int, cells []xlsxCell) {
	row := strconv.Itoa(r)
	w.WriteString(`<row r="` + row + `">`)
	for j, c := range cells {
		w.WriteString(`<c r="` + xlsxColumn(j+1) + row + `" s="` + strconv.Itoa(c.style) + `"`)
		if c.isNum {
			w.WriteString(`><v>` + strconv.Itoa(c.num) + `</v></c>`)
			continue
		}
		w.WriteString(` t="s"><v>` + strconv.Itoa(c.str) + `</v></c>`)
	}
	w.WriteString(`</row>`)
}

// xlsxColumn is the name of column n (1-based): A … Z, AA … .
func xlsxColumn(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append(b, byte('A'+(n-1)%26))
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// xlsxProps are the workbook's core properties (SetProps).
type xlsxProps struct {
	title, subject, description, when string
	set                               bool
}

// Write writes the workbook as an XLSX file.
func (b *XLSXBook) Write(w io.Writer) error {
	if len(b.sheets) == 0 {
		return fmt.Errorf("the workbook has no sheet")
	}
	zw := zip.NewWriter(w)
	for _, p := range b.parts() {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		if _, err := fw.Write(p.data); err != nil {
			return err
		}
	}
	return zw.Close()
}

type xlsxPart struct {
	name string
	data []byte
}

const (
	xlsxHeader  = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	xlsxMain    = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	xlsxRelsNS  = "http://schemas.openxmlformats.org/package/2006/relationships"
	xlsxDocRels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	xlsxCT      = "application/vnd.openxmlformats-officedocument.spreadsheetml."
)

// parts are the workbook's parts in the order they are written.
func (b *XLSXBook) parts() []xlsxPart {
	var ct, rels, wbRels, book bytes.Buffer
	ct.WriteString(xlsxHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="` + xlsxCT + `sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="` + xlsxCT + `styles+xml"/>` +
		`<Override PartName="/xl/sharedStrings.xml" ContentType="` + xlsxCT + `sharedStrings+xml"/>` +
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
		`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`)
	rels.WriteString(xlsxHeader + `<Relationships xmlns="` + xlsxRelsNS + `">` +
		`<Relationship Id="rId1" Type="` + xlsxDocRels + `/officeDocument" Target="xl/workbook.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
		`<Relationship Id="rId3" Type="` + xlsxDocRels + `/extended-properties" Target="docProps/app.xml"/>` +
		`</Relationships>`)
	wbRels.WriteString(xlsxHeader + `<Relationships xmlns="` + xlsxRelsNS + `">` +
		`<Relationship Id="rId1" Type="` + xlsxDocRels + `/styles" Target="styles.xml"/>` +
		`<Relationship Id="rId2" Type="` + xlsxDocRels + `/sharedStrings" Target="sharedStrings.xml"/>`)
	book.WriteString(xlsxHeader + `<workbook xmlns="` + xlsxMain + `" xmlns:r="` + xlsxDocRels + `">` +
		`<bookViews><workbookView activeTab="0"/></bookViews><sheets>`)
	var names bytes.Buffer
	parts := make([]xlsxPart, 0, len(b.sheets)+8)
	for i, s := range b.sheets {
		n := strconv.Itoa(i + 1)
		id := "rId" + strconv.Itoa(i+3)
		ct.WriteString(`<Override PartName="/xl/worksheets/sheet` + n + `.xml" ContentType="` + xlsxCT + `worksheet+xml"/>`)
		wbRels.WriteString(`<Relationship Id="` + id + `" Type="` + xlsxDocRels + `/worksheet" Target="worksheets/sheet` + n + `.xml"/>`)
		book.WriteString(`<sheet name="` + xmlText(s.name) + `" sheetId="` + n + `" r:id="` + id + `"/>`)
		// The autofilter's range and the rows printed on every page, as
		// Excel names them for the sheet.
		quoted := "'" + strings.ReplaceAll(s.name, "'", "''") + "'!"
		local := strconv.Itoa(i)
		names.WriteString(`<definedName name="_xlnm._FilterDatabase" localSheetId="` + local + `" hidden="1">` +
			xmlText(quoted+s.filterRange()) + `</definedName>` +
			`<definedName name="_xlnm.Print_Titles" localSheetId="` + local + `">` + xmlText(quoted+"$1:$1") + `</definedName>`)
		parts = append(parts, xlsxPart{"xl/worksheets/sheet" + n + ".xml", s.xml(i == 0)})
	}
	ct.WriteString(`</Types>`)
	wbRels.WriteString(`</Relationships>`)
	book.WriteString(`</sheets><definedNames>`)
	book.Write(names.Bytes())
	book.WriteString(`</definedNames></workbook>`)
	return append([]xlsxPart{
		{"[Content_Types].xml", ct.Bytes()},
		{"_rels/.rels", rels.Bytes()},
		{"docProps/app.xml", []byte(xlsxHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>tracegate</Application></Properties>`)},
		{"docProps/core.xml", b.coreXML()},
		{"xl/workbook.xml", book.Bytes()},
		{"xl/_rels/workbook.xml.rels", wbRels.Bytes()},
		{"xl/styles.xml", []byte(xlsxStyles)},
		{"xl/sharedStrings.xml", b.sharedXML()},
	}, parts...)
}

// filterRange is the sheet's whole table, header included: $A$1:$H$20.
func (s *xlsxSheet) filterRange() string {
	return "$A$1:$" + xlsxColumn(s.cols) + "$" + strconv.Itoa(s.rows)
}

// xml is the sheet's part: fit to the page's width, the header row frozen
// (the first sheet selected), the columns' widths, the rows, the
// autofilter over the table, A4 landscape.
func (s *xlsxSheet) xml(first bool) []byte {
	var w bytes.Buffer
	w.Grow(len(s.data) + 1024)
	last := xlsxColumn(s.cols) + strconv.Itoa(s.rows)
	w.WriteString(xlsxHeader + `<worksheet xmlns="` + xlsxMain + `" xmlns:r="` + xlsxDocRels + `">` +
		`<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1:` + last + `"/><sheetViews><sheetView`)
	if first {
		w.WriteString(` tabSelected="1"`)
	}
	w.WriteString(` workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
		`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>` +
		`<sheetFormatPr defaultRowHeight="15"/><cols>`)
	for j, width := range s.widths {
		n := strconv.Itoa(j + 1)
		w.WriteString(`<col min="` + n + `" max="` + n + `" width="` + strconv.FormatFloat(width, 'f', -1, 64) + `" customWidth="1"/>`)
	}
	w.WriteString(`</cols><sheetData>`)
	w.Write(s.data)
	w.WriteString(`</sheetData><autoFilter ref="A1:` + last + `"/>` +
		`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>` +
		`<pageSetup paperSize="9" fitToWidth="1" fitToHeight="0" orientation="landscape"/></worksheet>`)
	return w.Bytes()
}

// sharedXML is the shared strings part. A string that starts or ends with
// white space keeps it (xml:space="preserve").
func (b *XLSXBook) sharedXML() []byte {
	var w bytes.Buffer
	n := strconv.Itoa(len(b.strings))
	w.WriteString(xlsxHeader + `<sst xmlns="` + xlsxMain + `" count="` + n + `" uniqueCount="` + n + `">`)
	for _, s := range b.strings {
		if s != "" && (strings.IndexByte(" \t\n\r", s[0]) >= 0 || strings.IndexByte(" \t\n\r", s[len(s)-1]) >= 0) {
			w.WriteString(`<si><t xml:space="preserve">`)
		} else {
			w.WriteString(`<si><t>`)
		}
		xml.EscapeText(&w, []byte(s))
		w.WriteString(`</t></si>`)
	}
	w.WriteString(`</sst>`)
	return w.Bytes()
}

// coreXML is the core properties part: title, subject, description,
// tracegate as creator, and the dates SetProps gave (else none).
func (b *XLSXBook) coreXML() []byte {
	p := b.props
	var w bytes.Buffer
	w.WriteString(xlsxHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
		`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	if p.set {
		w.WriteString(`<dc:title>` + xmlText(p.title) + `</dc:title><dc:subject>` + xmlText(p.subject) + `</dc:subject>` +
			`<dc:creator>tracegate</dc:creator><dc:description>` + xmlText(p.description) + `</dc:description>` +
			`<cp:lastModifiedBy>tracegate</cp:lastModifiedBy><dc:language>en</dc:language>` +
			`<dcterms:created xsi:type="dcterms:W3CDTF">` + p.when + `</dcterms:created>` +
			`<dcterms:modified xsi:type="dcterms:W3CDTF">` + p.when + `</dcterms:modified>`)
	}
	w.WriteString(`</cp:coreProperties>`)
	return w.Bytes()
}

// xmlText escapes s for XML text or an attribute's value; a character XML
// cannot hold becomes U+FFFD (encoding/xml's EscapeText).
func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// xlsxStyles: the default font (Calibri 11) and its bold; no fill, the
// gray125 fill Excel requires, and the header's grey; no border and the
// header's thin line below. cellXfs 0 is the default, 1 the header
// (xlsxHeaderStyle), 2 the body (xlsxBodyStyle).
const xlsxStyles = xlsxHeader + `<styleSheet xmlns="` + xlsxMain + `">` +
	`<fonts count="2">` +
	`<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b val="1"/><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
	`</fonts><fills count="3">` +
	`<fill><patternFill patternType="none"/></fill>` +
	`<fill><patternFill patternType="gray125"/></fill>` +
	`<fill><patternFill patternType="solid"><fgColor rgb="FFE7EBEF"/></patternFill></fill>` +
	`</fills><borders count="2">` +
	`<border><left/><right/><top/><bottom/><diagonal/></border>` +
	`<border><left/><right/><top/><bottom style="thin"><color rgb="FF8C959F"/></bottom><diagonal/></border>` +
	`</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="3">` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">` +
	`<alignment vertical="top" wrapText="1"/></xf>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
	`</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`<dxfs count="0"/><tableStyles count="0"/></styleSheet>`
