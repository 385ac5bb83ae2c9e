package report

import (
	"fmt"
	"strings"
)

// Cell makes a value safe for one CSV Cell opened in a spreadsheet: a Cell
// starting with = + - @ (or a tab/CR) is a formula to Excel and LibreOffice,
// so it is prefixed with a quote (OWASP "CSV injection").
func Cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// MDCell makes a value safe inside a Markdown table cell: pipes would split
// the cell, newlines would end the row, and HTML would render.
func MDCell(s string) string {
	return mdCellReplacer.Replace(strings.TrimSpace(s))
}

// mdCellReplacer is built once: building a Replacer per cell dominated the
// time to render large tables.
var mdCellReplacer = strings.NewReplacer("|", `\|`, "\r\n", "<br>", "\n", "<br>", "\r", "<br>", "<", "&lt;", ">", "&gt;", "`", "\\`")

// OneLine folds a value onto one line for terminal tables.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Clip shortens s to at most n runes, marking the cut.
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 1 {
		return string(r[:n])
	}
	return string(r[:n-1]) + "…"
}

func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
