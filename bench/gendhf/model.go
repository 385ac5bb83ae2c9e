package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// params sizes the generated design history file.
type params struct {
	seed         uint64
	requirements int // system and software requirements together
	files        int // requirement files
	hazards      int
	tests        int // JUnit test cases
	junitFiles   int
}

func (p params) validate() error {
	switch {
	case p.requirements < 2:
		return fmt.Errorf("-requirements %d: need at least 2 (one system, one software)", p.requirements)
	case p.files < 1 || p.files > p.requirements:
		return fmt.Errorf("-files %d: need 1 to -requirements (%d)", p.files, p.requirements)
	case p.hazards < 1:
		return fmt.Errorf("-hazards %d: need at least 1", p.hazards)
	case p.junitFiles < 1 || p.tests < p.junitFiles:
		return fmt.Errorf("-tests %d, -junit-files %d: need at least one test per file", p.tests, p.junitFiles)
	}
	return nil
}

// item is a software item of the generated policy.
type item struct {
	name, class, pkg, javaPkg string
	topics                    []string
}

var items = []item{
	{"dose-engine", "C", "doseengine", "dose", []string{"rate", "bolus", "limit", "conversion", "syringe"}},
	{"alarms", "C", "alarms", "alarm", []string{"occlusion", "priority", "audio", "battery", "disengagement"}},
	{"pressure", "C", "pressure", "pressure", []string{"sensor", "calibration", "filter", "plausibility"}},
	{"motor", "C", "motor", "motor", []string{"stepper", "encoder", "backoff", "stall"}},
	{"ui", "B", "ui", "ui", []string{"display", "units", "confirmation", "keypad"}},
	{"logging", "B", "logging", "log", []string{"record", "crc", "recovery", "export"}},
	{"connectivity", "B", "connectivity", "net", []string{"hl7", "wifi", "time", "library-sync"}},
	{"service", "A", "service", "service", []string{"diagnostics", "counters", "calibration-menu"}},
}

// Requirement statuses and their weights (per thousand): most requirements
// of a product under development are approved; a few are still drafts.
var statuses = []weighted{
	{"approved", 800}, {"implemented", 80}, {"verified", 40},
	{"draft", 40}, {"proposed", 20}, {"obsolete", 20},
}

var inactiveStatus = map[string]bool{"draft": true, "proposed": true, "obsolete": true}

type weighted struct {
	value  string
	weight int
}

func pick(r *rand.Rand, ws []weighted) string {
	total := 0
	for _, w := range ws {
		total += w.weight
	}
	n := r.IntN(total)
	for _, w := range ws {
		if n < w.weight {
			return w.value
		}
		n -= w.weight
	}
	return ws[len(ws)-1].value
}

type requirement struct {
	id, title, text, typ, item, class, status, verification string
	parents, riskControls, evidence                         []string
}

type riskControl struct {
	id, title, kind, description string
	hazards, requirements        []string
	file                         int // index of the risk file it is written to
}

type estimate struct{ severity, probability int }

type hazard struct {
	id, title, hazard, cause, situation, harm, benefitRisk string
	initial, residual                                      estimate
	controls                                               []string
}

// outcome of a test case.
type outcome int

const (
	passed outcome = iota
	failed
	errored
	skipped
)

type testCase struct {
	name, classname string
	file            string // source file, for pytest xunit1
	line            int
	outcome         outcome
	props           [][2]string // property name, value
	duration        time.Duration
}

// goFunc is a Go test function written to a test source file; its results
// are in a go-junit-report file.
type goFunc struct {
	name     string
	verifies []string // IDs of its Verifies: tag; empty means untagged
	inside   bool     // the tag sits inside the function body
	subtests int
}

type junitFile struct {
	shape     string // pytest, surefire, gojunit
	path      string
	suite     string
	cases     []testCase
	goFuncs   []goFunc // gojunit only
	goPackage string   // gojunit only: the item's directory
	timestamp time.Time
}

// dhf is the whole generated design history file.
type dhf struct {
	p           params
	reqs        []requirement
	reqFiles    [][]requirement
	hazards     []hazard
	hazardFiles [][]hazard
	controls    []riskControl
	junit       []junitFile
}

// Severity and probability levels of the generated risk matrix.
var (
	severities    = []string{"negligible", "minor", "serious", "critical", "catastrophic"}
	probabilities = []string{"improbable", "remote", "occasional", "probable", "frequent"}
	// acceptability[probability][severity], as in the policy written by writePolicy.
	acceptability = [][]string{
		{"acceptable", "acceptable", "acceptable", "acceptable", "acceptable"},
		{"acceptable", "acceptable", "acceptable", "alarp", "alarp"},
		{"acceptable", "acceptable", "alarp", "unacceptable", "unacceptable"},
		{"acceptable", "alarp", "unacceptable", "unacceptable", "unacceptable"},
		{"alarp", "unacceptable", "unacceptable", "unacceptable", "unacceptable"},
	}
)

func idWidth(n int) int {
	w := len(fmt.Sprint(n))
	if w < 3 {
		return 3
	}
	return w
}

// generate builds the design history file in memory. Everything random
// comes from one PCG stream seeded by p.seed, and nothing iterates over a
// map, so the same parameters always give the same files.
func generate(p params) *dhf {
	r := rand.New(rand.NewPCG(p.seed, 0x5eed_d4f))
	d := &dhf{p: p}
	d.genRequirements(r)
	d.genRisk(r)
	d.genTests(r)
	return d
}

func (d *dhf) genRequirements(r *rand.Rand) {
	n := d.p.requirements
	nSys := max(1, n/20)
	nSRS := n - nSys
	sysW, srsW := idWidth(nSys), idWidth(nSRS)
	for i := 1; i <= nSys; i++ {
		t := sysTitle(r)
		d.reqs = append(d.reqs, requirement{
			id: fmt.Sprintf("SYS-%0*d", sysW, i), title: t, typ: "system", status: "approved",
			text: "The pump shall " + lowerFirst(t) + ", in every use scenario of the use specification.",
		})
	}
	for i := 1; i <= nSRS; i++ {
		it := items[(i-1)*len(items)/nSRS]
		topic := it.topics[r.IntN(len(it.topics))]
		t := srsTitle(r, topic)
		req := requirement{
			id: fmt.Sprintf("SRS-%0*d", srsW, i), title: t, typ: "software", item: it.name,
			status: pick(r, statuses),
			text:   "The " + it.name + " shall " + lowerFirst(t) + ", as specified in the " + topic + " design note.",
		}
		req.parents = append(req.parents, d.reqs[r.IntN(nSys)].id)
		if r.IntN(5) == 0 && nSys > 1 {
			if p := d.reqs[r.IntN(nSys)].id; p != req.parents[0] {
				req.parents = append(req.parents, p)
			}
		}
		// A few requirements are risk controls for harms above their item's
		// class and say so (IEC 62304 4.3).
		if r.IntN(33) == 0 && it.class != "C" {
			req.class = string(rune(it.class[0] + 1))
		}
		switch v := r.IntN(200); {
		case v < 3:
			req.verification = "inspection"
			req.evidence = []string{"docs/verification/code-review-" + req.id + ".md"}
		case v < 4:
			req.verification = "analysis"
			req.evidence = []string{"docs/verification/analysis-" + req.id + ".md"}
		}
		d.reqs = append(d.reqs, req)
	}
	// Split into files: contiguous runs, so a file holds one item's
	// requirements (or system requirements) except at the boundaries.
	for f := 0; f < d.p.files; f++ {
		lo, hi := f*n/d.p.files, (f+1)*n/d.p.files
		d.reqFiles = append(d.reqFiles, d.reqs[lo:hi])
	}
}

// activeTested lists the requirements tests should verify: active ones
// verified by test.
func (d *dhf) activeTested() []int {
	var out []int
	for i, q := range d.reqs {
		if !inactiveStatus[q.status] && q.verification == "" {
			out = append(out, i)
		}
	}
	return out
}

func (d *dhf) genRisk(r *rand.Rand) {
	nHaz := d.p.hazards
	nRC := max(1, nHaz*6/5)
	hazW, rcW := idWidth(nHaz), idWidth(nRC)
	const perFile = 50
	nFiles := (nHaz + perFile - 1) / perFile

	var srs []int
	for _, i := range d.activeTested() {
		if d.reqs[i].typ == "software" {
			srs = append(srs, i)
		}
	}
	if len(srs) == 0 { // tiny trees: fall back to any software requirement
		for i, q := range d.reqs {
			if q.typ == "software" {
				srs = append(srs, i)
			}
		}
	}

	for j := 0; j < nRC; j++ {
		c := riskControl{
			id:   fmt.Sprintf("RC-%0*d", rcW, j+1),
			kind: pick(r, []weighted{{"inherent-safety", 15}, {"protective-measure", 70}, {"information-for-safety", 15}}),
		}
		c.title, c.description = controlText(r, c.kind)
		// Which side declares the link: both (most), the control only, or
		// the requirement only. The loader must join all three.
		mode := pick(r, []weighted{{"both", 50}, {"control", 30}, {"requirement", 20}})
		for k, n := 0, 1+r.IntN(3); k < n; k++ {
			qi := srs[r.IntN(len(srs))]
			if contains(c.requirements, d.reqs[qi].id) || contains(d.reqs[qi].riskControls, c.id) {
				continue
			}
			if mode != "requirement" {
				c.requirements = append(c.requirements, d.reqs[qi].id)
			}
			if mode != "control" {
				d.reqs[qi].riskControls = append(d.reqs[qi].riskControls, c.id)
			}
		}
		d.controls = append(d.controls, c)
	}

	for h := 0; h < nHaz; h++ {
		hz := hazard{id: fmt.Sprintf("HAZ-%0*d", hazW, h+1)}
		hz.title, hz.hazard, hz.cause, hz.situation, hz.harm = hazardText(r)
		// Every control belongs to at least one hazard.
		for j := h; j < nRC; j += nHaz {
			hz.controls = append(hz.controls, d.controls[j].id)
		}
		for k := r.IntN(3); k > 0; k-- {
			if id := d.controls[r.IntN(nRC)].id; !contains(hz.controls, id) {
				hz.controls = append(hz.controls, id)
			}
		}
		sev := 2 + r.IntN(3) // serious to catastrophic
		hz.initial = estimate{sev, 2 + r.IntN(2)}
		res := 0
		if r.IntN(7) == 0 {
			res = 1
		}
		hz.residual = estimate{sev, res}
		if acceptability[res][sev] == "alarp" {
			hz.benefitRisk = benefitRisk(r, hz.title)
		}
		d.hazards = append(d.hazards, hz)
	}
	for f := 0; f < nFiles; f++ {
		lo, hi := f*perFile, min((f+1)*perFile, nHaz)
		d.hazardFiles = append(d.hazardFiles, d.hazards[lo:hi])
	}
	// A control is written to the file of the first hazard that uses it,
	// and lists its hazards in half of the cases.
	seen := map[string]bool{}
	for hi, hz := range d.hazards {
		for _, id := range hz.controls {
			j := indexOfControl(d.controls, id)
			if !seen[id] {
				seen[id] = true
				d.controls[j].file = hi / perFile
			}
		}
	}
	for j := range d.controls {
		if r.IntN(2) == 0 {
			continue
		}
		for _, hz := range d.hazards {
			if contains(hz.controls, d.controls[j].id) {
				d.controls[j].hazards = append(d.controls[j].hazards, hz.id)
			}
		}
	}
}

// indexOfControl finds a control by ID; controls are numbered in order.
func indexOfControl(cs []riskControl, id string) int {
	if n, err := strconv.Atoi(strings.TrimPrefix(id, "RC-")); err == nil && n >= 1 && n <= len(cs) && cs[n-1].id == id {
		return n - 1
	}
	panic("gendhf: unknown risk control " + id) // generate only links to controls it made
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
