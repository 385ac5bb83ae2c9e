package testtag

import (
	"reflect"
	"slices"
	"testing"

	gherkin "github.com/cucumber/gherkin/go/v42"
)

// TestDialectsMatchGherkin holds gherkin_dialects.go equal to the built-in
// dialects of Cucumber's own Go implementation (go generate
// rewrites it after a version bump).
func TestDialectsMatchGherkin(t *testing.T) {
	provider := gherkin.DialectsBuiltin()
	var langs []string
	for _, k := range reflect.ValueOf(provider).MapKeys() {
		langs = append(langs, k.String())
	}
	slices.Sort(langs)
	if len(langs) < 70 || len(gherkinDialects) != len(langs) {
		t.Fatalf("gherkin has %d dialects, gherkin_dialects.go %d: run go generate ./internal/ingest/testtag", len(langs), len(gherkinDialects))
	}
	for _, lang := range langs {
		want := provider.GetDialect(lang)
		got, ok := dialectOf(lang)
		if !ok {
			t.Errorf("%s: not found", lang)
			continue
		}
		for _, c := range []struct {
			name      string
			got, want []string
		}{
			{"feature", got.feature, want.FeatureKeywords()},
			{"rule", got.rule, want.RuleKeywords()},
			{"background", got.background, want.BackgroundKeywords()},
			{"scenario", got.scenario, slices.Concat(want.ScenarioKeywords(), want.ScenarioOutlineKeywords())},
			{"examples", got.examples, want.ExamplesKeywords()},
		} {
			if !slices.Equal(c.got, c.want) || len(c.got) == 0 {
				t.Errorf("%s %s: got %q, want %q", lang, c.name, c.got, c.want)
			}
		}
	}
	if _, ok := dialectOf("xx"); ok {
		t.Error("an unknown language was found")
	}
}

func TestKeyword(t *testing.T) {
	kws := []string{"Scenario", "Scenario Outline"}
	for _, c := range []struct{ line, want string }{
		{"Scenario: a", "Scenario:"},
		{"Scenario Outline: a", "Scenario Outline:"},
		{"Scenario a", ""},
		{"Scenario", ""},
		{"Scenarios: a", ""},
		{"", ""},
	} {
		if got := keyword(c.line, kws); got != c.want {
			t.Errorf("keyword(%q) = %q, want %q", c.line, got, c.want)
		}
	}
}
