package readers

import (
	"os"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/ingest"
)

// docSection is the part of docs/formats.md that documents a kind.
var docSection = map[ingest.Kind]string{
	ingest.Requirements: "## Requirements",
	ingest.Risks:        "## Risk analysis",
	ingest.Tests:        "## Test reports",
}

// Every format a policy can select by name is documented in
// docs/formats.md, in its kind's section, as `format` — so that the page
// lists every format read.
func TestEveryFormatDocumented(t *testing.T) {
	data, err := os.ReadFile("../../../docs/formats.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	section := func(heading string) string {
		i := strings.Index(doc, "\n"+heading)
		if i < 0 {
			t.Fatalf("docs/formats.md has no %q section", heading)
		}
		rest := doc[i+1:]
		if j := strings.Index(rest[2:], "\n## "); j >= 0 {
			rest = rest[:j+2]
		}
		return rest
	}
	n := 0
	for _, r := range All().Readers {
		heading, ok := docSection[r.Kind()]
		if !ok {
			t.Errorf("format %s: kind %v has no section in this test", r.Format(), r.Kind())
			continue
		}
		n++
		if !strings.Contains(section(heading), "`"+r.Format()+"`") {
			t.Errorf("format %s (%v) is not named in docs/formats.md's %q section", r.Format(), r.Kind(), heading)
		}
	}
	if n < 10 {
		t.Fatalf("only %d readers", n)
	}
}
