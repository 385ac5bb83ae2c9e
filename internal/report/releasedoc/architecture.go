package releasedoc

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/report"
)

// The architecture view (IEC 62304 5.3, 4.3): the software items of the
// policy and those the requirements name, each with its safety class, the
// requirements allocated to it and the SOUP it uses — from the SOUP
// register's items and from the SBOMs the policy gives the item, direct
// or transitive as the SBOM's dependency relations say — as a table and
// as an inline SVG diagram (no script, no external resource).

type itemRow struct {
	Name, Description string
	Class             model.Class
	// Known: the policy defines the item (else only requirements name it).
	Known        bool
	Paths, SBOMs []string
	Requirements []string
	Active       int
	SOUP         []soupUse
	Anchor       string
}

// soupUse is a SOUP component an item uses, and how that is known.
type soupUse struct {
	Name, Version string
	// Dependency is direct, transitive or unknown (the SBOM does not say).
	Dependency model.Dependency
	// Registered: the register names the item; SBOMs: the item's SBOMs
	// list the component.
	Registered bool
	SBOMs      []string
}

func (u soupUse) label() string {
	if u.Version == "" {
		return u.Name
	}
	return u.Name + " " + u.Version
}

func (u soupUse) how() string {
	var s []string
	if u.Registered {
		s = append(s, "SOUP register")
	}
	for _, f := range u.SBOMs {
		s = append(s, "SBOM "+f)
	}
	return fmt.Sprintf("%s (%s)", strings.Join(s, ", "), dependencyWord(u.Dependency))
}

func dependencyWord(d model.Dependency) string {
	switch d {
	case model.DependencyDirect:
		return "direct dependency"
	case model.DependencyTransitive:
		return "transitive dependency"
	}
	return "dependency not stated"
}

func (v *releaseView) buildArchitecture() {
	byName := map[string]*itemRow{}
	for _, it := range v.Cfg.Items {
		v.Items = append(v.Items, itemRow{Name: it.Name, Description: it.Description, Class: it.Class, Known: true, Paths: it.Paths, SBOMs: it.SBOMs, Anchor: anchor("item", it.Name)})
	}
	g := v.F.Model.Graph
	var unknown []string
	seen := map[string]bool{}
	for _, r := range g.Requirements {
		if r.Item != "" && !seen[r.Item] {
			seen[r.Item] = true
			if _, ok := v.Cfg.ClassOfItem(r.Item); !ok {
				unknown = append(unknown, r.Item)
			}
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		v.Items = append(v.Items, itemRow{Name: name, Class: v.Cfg.SafetyClass, Anchor: anchor("item", name)})
	}
	for i := range v.Items {
		byName[v.Items[i].Name] = &v.Items[i]
	}
	for _, r := range g.Requirements {
		if it := byName[r.Item]; it != nil && g.Requirement(r.ID) == r {
			it.Requirements = append(it.Requirements, r.ID)
			if r.Active {
				it.Active++
			}
		}
	}
	if v.F.SOUP == nil || v.F.SOUP.List == nil {
		v.Arch = newArchDiagram(v.Items)
		return
	}
	for _, c := range v.F.SOUP.List.Components {
		if c.NotSOUP {
			continue
		}
		for i := range v.Items {
			it := &v.Items[i]
			u := soupUse{Name: c.Name, Version: c.Version, Dependency: c.Dependency}
			if c.Register != nil {
				for _, name := range c.Register.Items {
					u.Registered = u.Registered || name == it.Name
				}
			}
			for _, it2 := range v.Cfg.Items {
				if it2.Name != it.Name {
					continue
				}
				for _, doc := range c.Documents {
					if it2.Uses(doc) {
						u.SBOMs = append(u.SBOMs, doc)
					}
				}
			}
			if u.Registered || len(u.SBOMs) > 0 {
				it.SOUP = append(it.SOUP, u)
			}
		}
	}
	v.Arch = newArchDiagram(v.Items)
}

// archDiagram is the architecture drawn for an inline SVG: items on the
// left, the SOUP they use on the right, a line for each use (solid for a
// direct dependency, dashed otherwise). The geometry is computed here; the
// template only places it.
type archDiagram struct {
	W, H  int
	Items []archBox
	SOUP  []archBox
	Edges []archEdge
}

type archBox struct {
	X, Y, W, H   int
	TX, TY, SubY int
	Text, Sub    string
	Full         string
	Fill         string
}

type archEdge struct {
	Path   string
	Dashed bool
	Title  string
}

// Geometry of the diagram, in SVG user units.
const (
	archItemX, archItemW, archItemH = 8, 250, 42
	archSOUPX, archSOUPW, archSOUPH = 430, 300, 24
	archRow                         = 30
	archMaxSOUP                     = 8 // boxes per item; the rest are counted in one
)

// archFill colours an item by its class, the colours of the risk heat map;
// the class is also written in the box.
var archFill = map[model.Class]string{model.ClassA: "#cdebd3", model.ClassB: "#ffe2a0", model.ClassC: "#f4b4ac"}

func newArchDiagram(items []itemRow) archDiagram {
	d := archDiagram{W: archSOUPX + archSOUPW + 8}
	placed := map[string]int{} // SOUP label → box index
	y := 8
	for _, it := range items {
		type use struct {
			key, text, full string
			dashed          bool
		}
		var uses []use
		shown := 0
		overflow, indirect := 0, 0 // not drawn: beyond the limit, or only in an SBOM and not direct
		for _, u := range it.SOUP {
			switch {
			case !u.Registered && u.Dependency != model.DependencyDirect:
				indirect++
			case shown < archMaxSOUP:
				shown++
				uses = append(uses, use{key: u.label(), text: u.label(), full: u.label() + ": " + u.how(), dashed: u.Dependency != model.DependencyDirect})
			default:
				overflow++
			}
		}
		if others := overflow + indirect; others > 0 {
			key := fmt.Sprintf("%s\x00others", it.Name)
			text := fmt.Sprintf("+%d more component(s)", others)
			var why []string
			if overflow > 0 {
				why = append(why, fmt.Sprintf("%d beyond the first %d drawn", overflow, archMaxSOUP))
			}
			if indirect > 0 {
				why = append(why, fmt.Sprintf("%d transitive or not stated as direct", indirect))
			}
			uses = append(uses, use{key: key, text: text, full: fmt.Sprintf("%d further components in %s's SBOMs (%s): see the architecture table", others, it.Name, strings.Join(why, ", ")), dashed: true})
		}
		fresh := 0
		for _, u := range uses {
			if _, ok := placed[u.key]; !ok {
				fresh++
			}
		}
		block := max(fresh*archRow, archItemH)
		iy := y + (block-archItemH)/2
		sub := fmt.Sprintf("class %s · %s", it.Class, plural(len(it.Requirements), "requirement", "requirements"))
		if !it.Known {
			sub += " · not in the policy"
		}
		fill := archFill[it.Class]
		if fill == "" {
			fill = heatUnknownFill
		}
		d.Items = append(d.Items, archBox{X: archItemX, Y: iy, W: archItemW, H: archItemH, TX: archItemX + 10, TY: iy + 17, SubY: iy + 33,
			Text: report.Clip(it.Name, 34), Sub: sub, Full: it.Name + " (class " + string(it.Class) + ")", Fill: fill})
		row := 0
		for _, u := range uses {
			i, ok := placed[u.key]
			if !ok {
				sy := y + row*archRow + (archRow-archSOUPH)/2
				row++
				d.SOUP = append(d.SOUP, archBox{X: archSOUPX, Y: sy, W: archSOUPW, H: archSOUPH, TX: archSOUPX + 10, TY: sy + 16,
					Text: report.Clip(u.text, 42), Full: u.full, Fill: "#ffffff"})
				i = len(d.SOUP) - 1
				placed[u.key] = i
			}
			s := d.SOUP[i]
			x1, y1 := archItemX+archItemW, iy+archItemH/2
			x2, y2 := s.X, s.Y+s.H/2
			mid := (x1 + x2) / 2
			d.Edges = append(d.Edges, archEdge{Path: fmt.Sprintf("M%d %d C%d %d %d %d %d %d", x1, y1, mid, y1, mid, y2, x2, y2), Dashed: u.dashed, Title: it.Name + " uses " + u.full})
		}
		y += block + 10
	}
	d.H = y
	return d
}
