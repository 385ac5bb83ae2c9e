package requirement

import (
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// mappingOf returns v as a mapping, reporting anything else as an error at
// the start of the value.
func mappingOf(file string, v any, pos map[string]input.Pos, what string) (map[string]any, error) {
	switch m := v.(type) {
	case map[string]any:
		return m, nil
	case nil:
		return map[string]any{}, nil
	}
	p := pos[""]
	if p.File == "" {
		p = input.Pos{File: file, Line: 1}
	}
	return nil, input.Errorf(p, "%s must be a mapping of keys to values, got %s", what, yamlsrc.Describe(v))
}
