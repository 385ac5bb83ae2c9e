package trace

import "github.com/tracegate/tracegate/internal/config"

// rollUp judges parents through their active children, as the policy's
// verification.parents says (children or both; own leaves every
// requirement judged by its own), children first. A parent in a cycle of
// the parent relation cannot be judged through itself: what the cycle
// leads back to counts as unverified. The risk controls are judged again
// on the outcomes that result.
func (g *Graph) rollUp(how string) {
	if how != config.ParentsChildren && how != config.ParentsBoth {
		return
	}
	const visiting Status = "visiting"
	done := map[*Requirement]Status{}
	var judge func(r *Requirement) Status
	judge = func(r *Requirement) Status {
		switch st := done[r]; st {
		case visiting:
			return Unverified
		case "":
		default:
			return st
		}
		done[r] = visiting
		n, failed, unverified := 0, false, false
		for _, c := range r.Children {
			if !c.Active {
				continue
			}
			n++
			switch judge(c) {
			case Failed:
				failed = true
			case Unverified:
				unverified = true
			}
		}
		st := r.Own
		if n > 0 {
			r.RolledUp = true
			switch {
			case r.Own == Failed || failed:
				st = Failed
			case unverified || (how == config.ParentsBoth && r.Own != Verified):
				st = Unverified
			default:
				st = Verified
			}
		}
		r.Outcome = st
		done[r] = st
		return st
	}
	for _, r := range g.Requirements {
		if g.reqByID[r.ID] == r {
			judge(r)
		}
	}
	for _, c := range g.RiskControls {
		c.Outcome = controlStatus(c)
	}
}
