package yamlsrc

import (
	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/internal/input"
)

// Aliases let a few hundred bytes of YAML describe an exponentially large
// value ("billion laughs"). yaml.v3 guards its own decoding into Go values
// by the share of aliased nodes; tracegate converts yaml.Node trees itself
// (to keep positions), so it bounds the expansion the same way, relative
// to what the document writes out, and before converting anything: the
// expanded size is computed on the tree, each anchored node once.

// checkAliases refuses a document whose aliases expand it beyond
// input.AliasBudget: more than AliasSlack values over what it writes out,
// and more than AliasRatio times that. A node that contains an alias to
// itself is refused too.
func checkAliases(file string, root *yaml.Node) error {
	w := &aliasWalk{size: map[*yaml.Node]int{}}
	written, expanded := w.count(root)
	if w.loop != nil {
		return input.Errorf(Pos(file, w.loop), "YAML alias *%s refers to a value that contains it", w.loop.Value).
			WithHint("an alias may only repeat a value that is complete")
	}
	if written > input.MaxYAMLValues {
		return input.Errorf(Pos(file, root), "the document holds more than %d values", input.MaxYAMLValues).
			WithHint("split it into several files")
	}
	if limit := input.AliasBudget(written); expanded > limit {
		return input.Errorf(Pos(file, root), "aliases expand the document to more than %d values from the %d it writes out (an alias bomb?)", limit, written).
			WithHint("write the values out instead of repeating them through anchors and aliases")
	}
	return nil
}

type aliasWalk struct {
	size map[*yaml.Node]int // expanded size of each anchored node; -1 while it is counted
	loop *yaml.Node         // an alias met inside its own anchor
}

// count returns the nodes written under n (an alias counts one) and the
// values they expand to, saturating at input.MaxYAMLValues+1.
func (w *aliasWalk) count(n *yaml.Node) (written, expanded int) {
	if n == nil {
		return 0, 0
	}
	if n.Kind == yaml.AliasNode {
		return 1, w.expand(n)
	}
	written, expanded = 1, 1
	for _, c := range n.Content {
		wc, ec := w.count(c)
		written += wc
		expanded = sat(expanded + ec)
	}
	if n.Anchor != "" {
		w.size[n] = expanded
	}
	return written, expanded
}

// expand returns the size of an alias's target, counting a target met for
// the first time (an alias can precede nothing in yaml.v3, but a target is
// only recorded once its node is complete).
func (w *aliasWalk) expand(a *yaml.Node) int {
	t := a.Alias
	if t == nil {
		return 1
	}
	if s, ok := w.size[t]; ok {
		if s < 0 {
			w.loop = a
			return sat(input.MaxYAMLValues)
		}
		return s
	}
	w.size[t] = -1
	_, s := w.count(t)
	w.size[t] = s
	return s
}

func sat(n int) int { return min(n, input.MaxYAMLValues+1) }
