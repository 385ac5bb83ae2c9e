// Package gfm holds GitHub Flavored Markdown's table and strikethrough
// extensions to goldmark, copied unchanged (but for this package's name)
// from github.com/yuin/goldmark v1.8.7, extension/table.go and
// extension/strikethrough.go (MIT, © 2019 Yusuke Inuzuka: LICENSE in this
// directory). Their nodes stay goldmark's own (extension/ast).
//
// Why a copy: linking goldmark's extension package runs its package
// initialisation in every command — the Linkify extension's URL
// expressions are compiled at start-up, 2,049 allocations and about half a
// millisecond, though tracegate uses only tables and strikethrough.
// TestSameAsGoldmark holds the copy to goldmark's own on Markdown of every
// shape these extensions read; bump both together.
package gfm
