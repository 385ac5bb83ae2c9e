package scaffold

import (
	"bytes"
	"embed"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/lazyre"
)

//go:embed templates
var templates embed.FS

// SchemaURL is where editors fetch the policy's JSON Schema from (the
// yaml-language-server modeline on the policy's first line).
const SchemaURL = "https://raw.githubusercontent.com/tracegate/tracegate/main/schema/tracegate.schema.json"

// SyftVersion is the SBOM producer the release workflow runs, pinned.
const SyftVersion = "v1.57.2"

// Options are the choices init leaves to its user.
type Options struct {
	// Class is the software safety class; "" takes the one a file
	// declares (rdm's device.yml), else B.
	Class string
	// ActionRef is the ref of tracegate/tracegate the workflows use: a
	// commit SHA (pinned) or a branch.
	ActionRef string
	// Version is the tracegate that writes the files, for their header.
	Version string
	// Branch is the default branch the release candidates are judged on.
	Branch string
	// SOUPIssues keeps the SOUP register as GitHub issues written from the
	// SOUP form it writes (soup.issues), in place of a register file.
	SOUPIssues bool
}

// SOUPForm is where the SOUP form goes; SOUPLabel and SOUPID are the label
// that makes an issue a SOUP entry and the entries' IDs, in the form and
// in the policy alike.
const (
	SOUPForm  = ".github/ISSUE_TEMPLATE/soup.yml"
	SOUPLabel = "soup"
	SOUPID    = "SOUP-{number}"
)

// File is a file Plan would write.
type File struct {
	Path string // slash-separated, relative to the repository root
	Data []byte
	What string // one line for the listing
}

// fullSHA is a commit ID as the action's ref must be to be pinned.
var fullSHA = lazyre.New(`^[0-9a-f]{40}$`)

// Pinned reports whether ref pins a commit.
func Pinned(ref string) bool { return fullSHA().MatchString(ref) }

// Plan renders the files for what f found. The policy it writes is
// loaded against the schema before Plan returns it: a plan whose policy
// would not load is an error, never a file.
func Plan(f *Found, o Options) ([]File, error) {
	if o.Branch == "" {
		o.Branch = "main"
	}
	if o.ActionRef == "" {
		o.ActionRef = "main"
	}
	if o.SOUPIssues && f.Register != "" {
		return nil, fmt.Errorf("the repository keeps a SOUP register in %s; keeping it as issues (--soup-issues) would make two: move its entries to issues and remove it first, or leave --soup-issues out", f.Register)
	}
	d := f.data(o)
	var out []File
	add := func(p, tmpl, what string) error {
		b, err := render(tmpl, d)
		if err != nil {
			return err
		}
		out = append(out, File{Path: p, Data: b, What: what})
		return nil
	}
	if err := add(config.DefaultPath, "tracegate.yml", "the policy"); err != nil {
		return nil, err
	}
	if _, err := config.Parse(config.DefaultPath, out[0].Data); err != nil {
		return nil, fmt.Errorf("tracegate init wrote a policy that does not load (a bug: please report it): %w", err)
	}
	switch {
	case o.SOUPIssues:
		if err := add(SOUPForm, "soup-entry.yml", "issue form: SOUP register entry (8.1.2, 5.3.3, 5.3.4, 7.1.2, 7.1.3), one issue per SOUP item"); err != nil {
			return nil, err
		}
	case f.Register == "":
		if err := add(d.Register, "soup.yml", "the SOUP register (IEC 62304 8.1.2), empty"); err != nil {
			return nil, err
		}
	}
	for _, t := range []struct{ path, tmpl, what string }{
		{".github/ISSUE_TEMPLATE/problem-report.yml", "problem-report.yml", "issue form: problem report (9.1 type, scope, criticality; 9.2 investigation)"},
		{".github/ISSUE_TEMPLATE/change-request.yml", "change-request.yml", "issue form: change request (8.2 effects, 7.4 risk impact)"},
		{".github/ISSUE_TEMPLATE/soup-anomaly-review.yml", "soup-anomaly-review.yml", "issue form: SOUP anomaly review (7.1.3)"},
		{".github/pull_request_template.md", "pull_request_template.md", "pull request template: trace, risk impact, justification"},
		{".github/workflows/tracegate-pr.yml", "tracegate-pr.yml", "workflow: the pull request gate (check tracegate/pr)"},
		{".github/workflows/tracegate-release.yml", "tracegate-release.yml", "workflow: the release gate on " + o.Branch + " and release tags, with an SBOM and the evidence (check tracegate/release)"},
	} {
		if err := add(t.path, t.tmpl, t.what); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// render executes one template with the [[ ]] delimiters: the workflows
// are full of GitHub's ${{ }}.
func render(name string, d *data) ([]byte, error) {
	t, err := template.New(name).Delims("[[", "]]").ParseFS(templates, "templates/"+name, "templates/tests.tmpl")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// data is what the templates are filled with.
type data struct {
	SchemaURL, Version              string
	Class, DeviceClass, DeviceFile  string
	ClassNote                       string
	IDs                             map[string]string
	IDNotes, SourceNotes, SOUPNotes []string
	External, ExternalSample        string
	ExternalCount                   int
	Requirements, Risks, TestGlobs  []source
	Tables                          []string
	Items                           []string
	ItemClass                       string
	Criticality                     string
	CriticalityLevels               []string
	CriticalityList, MaxOpen        string
	Exempt, ExemptList              string
	TagPattern, TagList             string
	Branch, BranchList              string
	Register                        string
	SOUPIssues                      bool
	SOUPLabel, SOUPID               string
	SOUPFields                      map[string]string
	SBOMs                           []string
	Action, ActionNote              string
	Tests                           []string
	TestCommands                    []string
	TestCommand                     string
	SyftVersion                     string
}

type source struct{ Path, Format string }

// defaultIDs are the built-in patterns, for kinds whose files gave none.
var defaultIDs = map[string]string{
	"requirement":  config.Defaults().IDs.Requirement,
	"hazard":       config.Defaults().IDs.Hazard,
	"risk_control": config.Defaults().IDs.RiskControl,
}

// planned are the paths Plan writes: the globs of the policy must not
// match them either.
var planned = []string{
	config.DefaultPath, "docs/soup/soup.yml", SOUPForm, ".github/ISSUE_TEMPLATE/problem-report.yml",
	".github/ISSUE_TEMPLATE/change-request.yml", ".github/ISSUE_TEMPLATE/soup-anomaly-review.yml",
	".github/pull_request_template.md", ".github/workflows/tracegate-pr.yml", ".github/workflows/tracegate-release.yml",
}

func (f *Found) data(o Options) *data {
	f.seen = append(f.seen, planned...)
	levels := []string{"low", "medium", "high", "critical"}
	d := &data{
		SchemaURL: SchemaURL, Version: o.Version,
		IDs:               map[string]string{},
		Criticality:       strings.Join(levels, ", "),
		CriticalityLevels: levels,
		CriticalityList:   "[" + strings.Join(levels, ", ") + "]",
		MaxOpen:           "medium",
		Exempt:            "trace-exempt", ExemptList: "[trace-exempt]",
		TagPattern: "v*", TagList: `["v*"]`,
		Branch: o.Branch, BranchList: "[" + o.Branch + "]",
		Register:   "docs/soup/soup.yml",
		SOUPIssues: o.SOUPIssues, SOUPLabel: SOUPLabel, SOUPID: SOUPID,
		SOUPFields:  config.SOUPIssueFields,
		SyftVersion: SyftVersion,
		Tables:      f.Tables,
		Items:       f.Items,
	}
	switch {
	case o.Class != "":
		d.Class, d.ClassNote = o.Class, "Chosen with tracegate init --class."
	case f.DeviceClass != "":
		d.DeviceClass, d.DeviceFile = f.DeviceClass, f.DeviceFile
		d.ClassNote = "The class " + f.DeviceFile + " declares stands while this key is left out."
	default:
		d.Class, d.ClassNote = "B", "B until you decide (tracegate init --class A|B|C)."
	}
	d.ItemClass = d.Class + d.DeviceClass
	sort.Strings(d.Items)
	for _, kind := range []string{"requirement", "hazard", "risk_control"} {
		if p, ok := idPattern(f.IDs[kind]); ok {
			d.IDs[kind] = p
			d.IDNotes = append(d.IDNotes, fmt.Sprintf("%s: the shape of the %d IDs the files define (%s).", kind, len(f.IDs[kind]), sample(f.IDs[kind])))
		} else {
			d.IDs[kind] = defaultIDs[kind]
		}
	}
	if p, ok := idPattern(f.Links); ok {
		d.External, d.ExternalCount, d.ExternalSample = p, len(f.Links), sample(f.Links)
	}
	d.Requirements = f.sources(ingest.Requirements, &d.SourceNotes)
	d.Risks = f.sources(ingest.Risks, &d.SourceNotes)
	d.TestGlobs, d.Tests, d.TestCommands, d.TestCommand = f.tests(&d.SourceNotes)
	switch {
	case o.SOUPIssues:
		d.SOUPNotes = append(d.SOUPNotes, "The register is kept as GitHub issues written from "+SOUPForm+" (label "+SOUPLabel+"): one issue per SOUP item; the gates read them with a token.")
	case f.Register != "":
		d.Register = f.Register
		d.SOUPNotes = append(d.SOUPNotes, "The register found in the repository.")
	default:
		d.SOUPNotes = append(d.SOUPNotes, "The register tracegate init wrote: empty until `tracegate soup sync --sbom FILE` fills it.")
	}
	if len(f.SBOMs) > 0 {
		d.SBOMs = globsOf(f.SBOMs, f.seen)
		d.SOUPNotes = append(d.SOUPNotes, "SBOMs committed to the repository (found: "+sample(f.SBOMs)+").")
	} else {
		d.SOUPNotes = append(d.SOUPNotes, "No SBOM is committed: the release workflow makes one with syft "+SyftVersion+" and passes it to the gate (its sbom input).")
	}
	if len(f.Lockfiles) > 0 {
		d.SOUPNotes = append(d.SOUPNotes, "Package manifests syft reads: "+sample(f.Lockfiles)+".")
	}
	d.Action = "tracegate/tracegate@" + o.ActionRef
	if Pinned(o.ActionRef) {
		d.ActionNote = "pinned: the commit tracegate " + orWord(o.Version, "init") + " was built from"
	} else {
		d.ActionNote = "a branch: pin a commit SHA of tracegate/tracegate (tracegate doctor checks)"
	}
	return d
}

func orWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// sources turns the recognised files of a kind into policy sources, one
// per format, and notes what was found.
func (f *Found) sources(kind ingest.Kind, notes *[]string) []source {
	byFormat := map[string][]string{}
	for _, d := range f.Files {
		if d.Kind == kind {
			byFormat[d.Format] = append(byFormat[d.Format], d.Path)
		}
	}
	var out []source
	for _, format := range sortedKeys(byFormat) {
		paths := byFormat[format]
		for _, g := range globsOf(paths, f.seen) {
			out = append(out, source{Path: g, Format: format})
		}
		*notes = append(*notes, fmt.Sprintf("%s: %d file%s in %s format (%s).", kind, len(paths), plural(len(paths)), format, sample(paths)))
	}
	return out
}

// tests are the test report globs (from the workflows, else committed
// reports, else reports/), the workflows' tests input, and the test step.
func (f *Found) tests(notes *[]string) (globs []source, input []string, cmds []string, cmd string) {
	switch {
	case len(f.Reports) > 0:
		for _, r := range f.Reports {
			g := r
			if !strings.ContainsAny(r, "*{") {
				g = path.Join(path.Dir(r), "*"+path.Ext(r))
			}
			if !containsSource(globs, g) {
				globs = append(globs, source{Path: g, Format: "auto"})
			}
		}
		*notes = append(*notes, "tests: where your workflows write test reports ("+sample(f.Reports)+").")
		return globs, nil, f.TestCommands, ""
	default:
		var committed []string
		for _, d := range f.Files {
			if d.Kind == ingest.Tests {
				committed = append(committed, d.Path)
			}
		}
		if len(committed) > 0 {
			for _, g := range globsOf(committed, f.seen) {
				globs = append(globs, source{Path: g, Format: "auto"})
			}
			*notes = append(*notes, "tests: test reports committed to the repository ("+sample(committed)+").")
		}
	}
	globs = append(globs, source{Path: "reports/**/*.{xml,jsonl}", Format: "auto"})
	switch {
	case f.Languages["go"]:
		cmd = "mkdir -p reports && go test -json ./... > reports/go-test.jsonl"
	case f.Languages["python"]:
		cmd = "mkdir -p reports && python -m pytest --junitxml=reports/pytest.xml"
	}
	return globs, nil, nil, cmd
}

func containsSource(list []source, p string) bool {
	for _, s := range list {
		if s.Path == p {
			return true
		}
	}
	return false
}

// globsOf covers exactly paths among the files seen: one glob over their
// common directory when nothing else there has their extensions, else a
// glob per directory where that holds, else the files themselves. A glob
// that caught a file no reader recognises would make every evaluation
// fail on it.
func globsOf(paths, seen []string) []string {
	in := map[string]bool{}
	for _, p := range paths {
		in[p] = true
	}
	covers := func(match func(string) bool) bool {
		for _, s := range seen {
			if match(s) && !in[s] {
				return false
			}
		}
		return true
	}
	exts := extSet(paths)
	anc := commonDir(paths)
	under := func(s string) bool {
		return (anc == "." || strings.HasPrefix(s, anc+"/")) && exts[strings.ToLower(path.Ext(s))]
	}
	if len(paths) > 1 && anc != "." && covers(under) {
		return []string{path.Join(anc, "**", "*"+extGlob(exts))}
	}
	byDir := map[string][]string{}
	for _, p := range paths {
		byDir[path.Dir(p)] = append(byDir[path.Dir(p)], p)
	}
	var out []string
	for _, dir := range sortedKeys(byDir) {
		ps := byDir[dir]
		de := extSet(ps)
		inDir := func(s string) bool { return path.Dir(s) == dir && de[strings.ToLower(path.Ext(s))] }
		if len(ps) > 1 && covers(inDir) {
			out = append(out, path.Join(dir, "*"+extGlob(de)))
			continue
		}
		sort.Strings(ps)
		out = append(out, ps...)
	}
	return out
}

func extSet(paths []string) map[string]bool {
	m := map[string]bool{}
	for _, p := range paths {
		m[strings.ToLower(path.Ext(p))] = true
	}
	return m
}

// extGlob is ".yml" or ".{yml,md}".
func extGlob(exts map[string]bool) string {
	var list []string
	for e := range exts {
		list = append(list, strings.TrimPrefix(e, "."))
	}
	sort.Strings(list)
	if len(list) == 1 {
		return "." + list[0]
	}
	return ".{" + strings.Join(list, ",") + "}"
}

func commonDir(paths []string) string {
	dir := path.Dir(paths[0])
	for _, p := range paths[1:] {
		for dir != "." && !strings.HasPrefix(p, dir+"/") {
			dir = path.Dir(dir)
		}
	}
	return dir
}

// idShape turns an ID into the pattern of its shape: each run of digits
// \d+, the rest literal.
var (
	digits = lazyre.New(`[0-9]+`)
	letter = lazyre.New(`[A-Za-z]`)
)

// idPattern is the pattern of the IDs' shapes, when they are few.
func idPattern(ids []string) (string, bool) {
	shapes := map[string]bool{}
	for _, id := range ids {
		parts := digits().Split(id, -1)
		if len(parts) < 2 || !letter().MatchString(id) {
			// An ID without a number has no shape to write; one that is
			// only a number (a table's row number) would match any number.
			return "", false
		}
		for i, p := range parts {
			parts[i] = regexp.QuoteMeta(p)
		}
		shapes[strings.Join(parts, `\d+`)] = true
	}
	if len(shapes) == 0 || len(shapes) > 8 {
		return "", false
	}
	list := sortedKeys(shapes)
	// The longest shape first: an alternative is tried in order, and
	// r-\d+ would match the start of r-3-1.
	sort.SliceStable(list, func(i, j int) bool { return len(list[i]) > len(list[j]) })
	if len(list) == 1 {
		return list[0], true
	}
	return "(?:" + strings.Join(list, "|") + ")", true
}

func sample(list []string) string {
	const n = 3
	if len(list) <= n {
		return strings.Join(list, ", ")
	}
	return strings.Join(list[:n], ", ") + fmt.Sprintf(" and %d more", len(list)-n)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
