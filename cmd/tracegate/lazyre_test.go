package main

import (
	"regexp"
	"testing"

	"github.com/tracegate/tracegate/internal/lazyre"
)

// Every regular expression the binary compiles on first use compiles: a
// bad one would otherwise panic only on the path that first uses it.
// Linking cmd/tracegate links every package that declares one.
func TestExpressionsCompile(t *testing.T) {
	all := lazyre.All()
	if len(all) < 60 {
		t.Fatalf("only %d expressions recorded: are the packages' expressions still made with lazyre.New?", len(all))
	}
	for _, expr := range all {
		if _, err := regexp.Compile(expr); err != nil {
			t.Errorf("%q: %v", expr, err)
		}
	}
}
