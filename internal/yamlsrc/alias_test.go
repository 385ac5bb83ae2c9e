package yamlsrc

import (
	"runtime"
	"strings"
	"testing"
)

// TestAliasBudget: aliases may expand a document only in proportion to its
// own size, and the budget is checked before anything is expanded, so that
// a few hundred bytes can never cost megabytes — ten of them read at once
// used to take 2 GB.
func TestAliasBudget(t *testing.T) {
	bomb := "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h"} {
		bomb += n + ": &" + n + " [" + strings.Repeat("*"+prev+",", 9) + "*" + prev + "]\n"
		prev = n
	}
	docs, err := Documents("bomb.yml", []byte(bomb))
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, err = Value("bomb.yml", docs[0])
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "aliases expand the document") {
		t.Errorf("bomb: %v", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing a %d-byte alias bomb allocated %d bytes", len(bomb), n)
	}

	// A document that refers to itself is refused, not walked forever.
	if docs, err := Documents("loop.yml", []byte("a: &a [x, *a]\n")); err == nil {
		if _, _, err := Value("loop.yml", docs[0]); err == nil {
			t.Errorf("a self-referring alias was accepted")
		}
	}

	// Anchors used as intended — shared defaults — are well within it.
	var b strings.Builder
	b.WriteString("defaults: &d {status: approved, class: C, verification: test, type: software}\nitems:\n")
	for i := 0; i < 200; i++ {
		b.WriteString("  - {id: SRS-1, fields: *d, more: *d}\n")
	}
	docs, err = Documents("ok.yml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Value("ok.yml", docs[0]); err != nil {
		t.Errorf("shared defaults: %v", err)
	}
}
