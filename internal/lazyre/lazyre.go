// Package lazyre holds regular expressions that are compiled on first use
// instead of at start-up: every command pays the package initialisation of
// every package the binary links, so an expression compiled in a package
// variable costs even the commands that never match it.
//
// A compiled-at-start expression that does not compile panics at once, in
// any test; one compiled on first use would panic only on the path that
// first uses it. So New records every expression, and a test of the whole
// binary (cmd/tracegate) compiles them all.
package lazyre

import (
	"regexp"
	"sync"
)

var (
	mu  sync.Mutex
	all []string
)

// New returns a function that compiles expr the first time it is called
// and returns the same *regexp.Regexp ever after. It panics then if expr
// does not compile, as regexp.MustCompile does; TestExpressionsCompile in
// cmd/tracegate holds that none does.
func New(expr string) func() *regexp.Regexp {
	mu.Lock()
	all = append(all, expr)
	mu.Unlock()
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// All returns every expression New was given, in the order it was.
func All() []string {
	mu.Lock()
	defer mu.Unlock()
	return append([]string(nil), all...)
}
