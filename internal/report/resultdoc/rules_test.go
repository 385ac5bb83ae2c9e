package resultdoc

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/tracegate/tracegate/internal/gate"
)

var update = flag.Bool("update", false, "rewrite generated files (docs/rules.md)")

// TestRulesDocUpToDate fails when docs/rules.md is not what the catalog
// generates. Regenerate with: go test ./internal/report/resultdoc -run RulesDoc -update
func TestRulesDocUpToDate(t *testing.T) {
	var buf bytes.Buffer
	if err := RuleFormats.Write(&buf, "markdown", gate.Catalog()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "..", "docs", "rules.md")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (generate it: go test ./internal/report/resultdoc -run RulesDoc -update)", err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Fatalf("docs/rules.md is out of date with the rule catalog; regenerate: go test ./internal/report/resultdoc -run RulesDoc -update")
	}
	for _, r := range gate.Catalog() {
		if !bytes.Contains(got, []byte("### "+r.ID)) {
			t.Errorf("docs/rules.md lacks a section for %s", r.ID)
		}
	}
}
