package soupreg

import (
	"slices"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/ingest/mdtable"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
)

// FormatMarkdownTable is a register kept as a Markdown table, one row per
// SOUP (the openregulatory SOUP list: ID | Software System | Package Name |
// Programming Language | Version | Website | Last verified at | Risk Level
// | Requirements | Verification Reasoning).
const FormatMarkdownTable = "markdown-table"

// soupColumns are the headers each field of a SOUP table is known by, as
// mdtable.Norm makes them. The openregulatory template's "Requirements"
// are the functional and performance requirements of 5.3.3, its
// "Verification Reasoning" how the SOUP's fitness is verified.
var soupColumns = mdtable.Synonyms{
	"name":         {"name", "packagename", "package", "library", "libraryname", "component", "componentname", "soup", "soupname", "dependency", "dependencyname", "software"},
	"purl":         {"purl", "packageurl"},
	"title":        {"title", "soupdesignation", "designation"},
	"manufacturer": {"manufacturer", "vendor", "supplier", "author", "authors", "maintainer", "publisher"},
	"version":      {"version", "versioninuse", "usedversion"},
	"identifier":   {"identifier", "cpe", "uniqueidentifier"},
	"purpose":      {"purpose", "description", "intendeduse", "usedfor", "use"},
	"license":      {"license", "licence", "licenses", "licences"},
	"requirements": {"requirements", "functionalrequirements", "performancerequirements", "functionalandperformancerequirements", "soupfunctionalandperformancerequirements"},
	"environment":  {"environment", "hardwareandsoftwarerequirements", "hardwaresoftwarerequirements", "systemrequirements", "prerequisites"},
	"risk_level":   {"risklevel", "risk", "riskclass", "riskassessment"},
	"verification": {"verification", "verificationreasoning", "verificationmethod", "verificationmethods"},
	"items":        {"items", "item", "softwareitem", "softwareitems", "softwaresystem", "system", "usedby"},
}

// parseMarkdown reads a register kept as Markdown tables: every table with
// a name column (by the headers above, or the policy's soup.columns) lists
// SOUP, a row each; the file's other tables are named in a warning. rdm and
// native registers have an anomaly review; a table has no place for one,
// so its entries have none unless the team maps no column to it — the
// gate then asks for it at class B and C, as it should.
func parseMarkdown(path string, data []byte, mapping map[string]string) ([]model.SOUPItem, []input.Warning, error) {
	tables, err := mdtable.Parse(path, data)
	if err != nil {
		return nil, nil, err
	}
	var items []model.SOUPItem
	pos := map[string]input.Pos{} // JSON pointers of the entries, for check
	names := map[string]string{}
	var warns []input.Warning
	var errs input.Errors
	var skipped []mdtable.Table
	read := 0
	for _, t := range tables {
		c, e := mdtable.Resolve(t, soupColumns, mapping)
		if e != nil {
			errs = append(errs, e)
			continue
		}
		if !c.Has("name") {
			skipped = append(skipped, t)
			continue
		}
		read++
		errs = append(errs, c.Missing(t, mapping)...)
		if w, ok := c.UnknownWarning(t); ok {
			warns = append(warns, w)
		}
		for _, row := range t.Rows {
			if row.Blank() {
				continue
			}
			it := model.SOUPItem{
				Name: c.Get(row, "name"), PURL: c.Get(row, "purl"), Title: c.Get(row, "title"),
				Manufacturer: c.Get(row, "manufacturer"), Version: c.Get(row, "version"), Identifier: c.Get(row, "identifier"),
				Purpose: c.Get(row, "purpose"), License: c.Get(row, "license"), Requirements: c.Get(row, "requirements"),
				Environment: c.Get(row, "environment"), RiskLevel: c.Get(row, "risk_level"), Verification: c.Get(row, "verification"),
				Items:  mdtable.IDs(c.Get(row, "items"), ""),
				Source: row.Pos, Format: FormatMarkdownTable,
			}
			if it.Name == "" {
				errs = append(errs, input.Errorf(row.Pos, "row without a package name (column %q)", c.Header(t, "name")).
					WithHint("write the package name as the SBOM does: entries are matched to components by purl, else by this name"))
				continue
			}
			ptr := index("", len(items))
			pos[ptr] = row.Pos
			pos[child(ptr, "purl")] = c.At(row, "purl")
			names[child(ptr, "purl")] = "column " + strconv.Quote(c.Header(t, "purl"))
			items = append(items, it)
		}
	}
	d := &decoder{file: path, data: data, pos: pos, names: names}
	ptrs := make([]string, len(items))
	for i := range ptrs {
		ptrs[i] = index("", i)
	}
	d.check(items, ptrs)
	errs = append(errs, d.errs...)
	if len(errs) == 0 && read == 0 {
		what := "the file holds no table"
		if len(tables) > 0 {
			what = "no table of the file has a package name column (" + tables[0].Headers() + ")"
		}
		errs = append(errs, input.Errorf(input.Pos{File: path}, "no SOUP table: %s", what).
			WithHint("a SOUP table has a Name or Package Name column and a row per SOUP; name your headers in the policy's soup.columns (name: Library)"))
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *input.Error) int { return compare(a.Pos, b.Pos) })
		return nil, nil, errs
	}
	if w, ok := mdtable.Skipped(path, skipped, "SOUP (no package name column)"); ok {
		warns = append(warns, w)
	}
	if len(items) == 0 {
		warns = append(warns, input.Warnf(input.Pos{File: path}, "SOUP register lists no SOUP"))
	}
	warns = append(warns, d.warns...)
	slices.SortStableFunc(warns, func(a, b input.Warning) int { return compare(a.Pos, b.Pos) })
	return items, warns, nil
}

func compare(a, b input.Pos) int {
	switch {
	case a.Before(b):
		return -1
	case b.Before(a):
		return 1
	}
	return 0
}

// isMarkdownName reports whether the register's name says it is Markdown.
func isMarkdownName(p string) bool {
	l := strings.ToLower(p)
	return strings.HasSuffix(l, ".md") || strings.HasSuffix(l, ".markdown")
}
