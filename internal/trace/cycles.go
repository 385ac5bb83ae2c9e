package trace

import "sort"

// findCycles returns every cycle of the parent relation, each as the IDs of
// one strongly connected component (sorted), self-parents included.
// Tarjan's algorithm, iterative so that a 100,000-long parent chain cannot
// exhaust the stack.
func (g *Graph) findCycles() [][]string {
	index := map[*Requirement]int{}
	low := map[*Requirement]int{}
	onStack := map[*Requirement]bool{}
	var stack []*Requirement
	var out [][]string
	next := 0

	type frame struct {
		r *Requirement
		i int // next parent to visit
	}
	for _, root := range g.Requirements {
		if _, seen := index[root]; seen || g.reqByID[root.ID] != root {
			continue
		}
		work := []frame{{r: root}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(work) > 0 {
			f := &work[len(work)-1]
			if f.i < len(f.r.Parents) {
				p := f.r.Parents[f.i]
				f.i++
				if _, seen := index[p]; !seen {
					index[p], low[p] = next, next
					next++
					stack = append(stack, p)
					onStack[p] = true
					work = append(work, frame{r: p})
				} else if onStack[p] && index[p] < low[f.r] {
					low[f.r] = index[p]
				}
				continue
			}
			r := f.r
			work = work[:len(work)-1]
			if len(work) > 0 {
				if parent := work[len(work)-1].r; low[r] < low[parent] {
					low[parent] = low[r]
				}
			}
			if low[r] != index[r] {
				continue
			}
			var comp []string
			for {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[top] = false
				comp = append(comp, top.ID)
				if top == r {
					break
				}
			}
			if len(comp) > 1 {
				sort.Slice(comp, func(i, j int) bool { return IDLess(comp[i], comp[j]) })
				out = append(out, comp)
			}
		}
	}
	for _, r := range g.Requirements {
		if g.reqByID[r.ID] != r {
			continue
		}
		for _, p := range r.Requirement.Parents {
			if p == r.ID {
				out = append(out, []string{r.ID})
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return IDLess(out[i][0], out[j][0]) })
	return out
}
