package requirement

import (
	"io/fs"
	"strings"

	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/yamlsrc"
)

// Markdown reads one requirement per Markdown file: the YAML front matter
// holds the fields of the native format (validated against the requirement
// definition of schema/requirements.schema.json), and the body is the text
// unless the front matter sets text.
type Markdown struct{}

func (Markdown) Kind() ingest.Kind { return ingest.Requirements }
func (Markdown) Format() string    { return "markdown" }

// Detect accepts a Markdown file that opens with front matter holding an
// id. A file without front matter (a README) is not a requirement; the
// loader reports it as unrecognised rather than this reader failing on it.
func (Markdown) Detect(fsys fs.FS, p string, head []byte) bool {
	if !isMarkdown(p) {
		return false
	}
	keys, ok := ingest.FrontMatterKeys(fsys, p, head)
	return ok && keys["id"]
}

func (md Markdown) Read(fsys fs.FS, p string) (*ingest.Items, error) {
	fm, v, pos, err := ingest.ReadFrontMatter(fsys, p, "start the file with a line holding only ---, then the requirement's fields (id: SRS-001 ...), then another ---")
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, input.Errorf(input.Pos{File: p, Line: 1}, "front matter is empty: the requirement has no id")
	}
	m, err := mappingOf(p, v, pos, "front matter")
	if err != nil {
		return nil, err
	}
	_, sch, err := schemas()
	if err != nil {
		return nil, input.Errorf(input.Pos{File: p}, "%v", err)
	}
	if errs := yamlsrc.Validate(sch, v, pos, unknownKeyHint); len(errs) > 0 {
		return nil, errs
	}
	log := &report{}
	f := fields{file: p, m: m, pos: pos, log: log}
	r := nativeRequirement(f, defaults{}, md.Format())
	if !f.set("text") {
		r.Text = strings.TrimSpace(fm.Body)
	}
	return log.items([]model.Requirement{r})
}
