package yamlsrc

import (
	"strings"
	"testing"
)

func TestSyntaxErrorPositions(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"requirements:\n  - id: SRS-1\n    title: [unclosed\n", "f.yml:3:12: invalid YAML: sequence end token ']' not found"},
		{"a: 1\nb: [1, 2\nc: 3\n", "f.yml:3:1: invalid YAML"},
		{"a:\n  b: 1\n c: 2\n", "f.yml:3:2: invalid YAML"},
		{"a: 1\n\tb: 2\n", "f.yml:2: invalid YAML: found a tab character"},
		{"id: SRS-001\ntitle: a\n  parents: x\n", "f.yml:3: invalid YAML: mapping values are not allowed"},
		{"- a\nb: 1\n", "f.yml:2:1: invalid YAML"},
		{"a: b: c\n", "f.yml:1:4: invalid YAML: mapping value is not allowed in this context"},
		{"a: 'x\n", "f.yml:2: invalid YAML: found unexpected end of stream"},
	} {
		_, err := Documents("f.yml", []byte(tc.src))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want prefix %q", tc.src, err, tc.want)
		}
	}
}

func TestValuePositionsAndLimits(t *testing.T) {
	docs, err := Documents("f.yml", []byte("a:\n  b: [x, 2, true, null]\n"))
	if err != nil {
		t.Fatal(err)
	}
	v, pos, err := Value("f.yml", docs[0])
	if err != nil {
		t.Fatal(err)
	}
	b := v.(map[string]any)["a"].(map[string]any)["b"].([]any)
	if b[0] != "x" || b[1] != 2.0 || b[2] != true || b[3] != nil {
		t.Errorf("values = %#v", b)
	}
	if p := pos["/a/b/1"]; p.Line != 2 || p.Col != 10 {
		t.Errorf("pos = %v", p)
	}
	if p := pos["/a/b#key"]; p.Line != 2 || p.Col != 3 {
		t.Errorf("key pos = %v", p)
	}
	// An alias bomb expands past the node budget and is refused.
	bomb := "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h"} {
		bomb += n + ": &" + n + " [" + strings.Repeat("*"+prev+",", 9) + "*" + prev + "]\n"
		prev = n
	}
	docs, err = Documents("bomb.yml", []byte(bomb))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Value("bomb.yml", docs[0]); err == nil || !strings.Contains(err.Error(), "alias bomb") {
		t.Errorf("alias bomb: %v", err)
	}
	deep := strings.Repeat("[", 200) + strings.Repeat("]", 200)
	docs, err = Documents("deep.yml", []byte(deep))
	if err == nil {
		if _, _, err = Value("deep.yml", docs[0]); err == nil || !strings.Contains(err.Error(), "nested deeper") {
			t.Errorf("deep nesting: %v", err)
		}
	}
}
