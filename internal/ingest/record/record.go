// Package record reads problem reports and change requests kept as YAML
// files in the repository (the policy's problem_reports.files and
// change_requests.files), for teams that do not keep them as GitHub issues.
package record

import (
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/model"
	"github.com/tracegate/tracegate/internal/yamlsrc"
	"github.com/tracegate/tracegate/schema"
)

// Reader reads record files.
type Reader struct{}

var recordSchema = yamlsrc.CompileOnce("https://github.com/tracegate/tracegate/schema/record.schema.json", schema.Record)

// reserved keys are record attributes, not fields.
var reserved = map[string]bool{"id": true, "title": true, "state": true, "labels": true, "approved": true, "approved_by": true, "approved_on": true, "url": true, "commits": true}

// Read reads the records of one kind from a file: one mapping, a list of
// mappings, or several YAML documents.
func (Reader) Read(fsys fs.FS, path, kind string) ([]model.Record, []input.Warning, error) {
	data, err := input.ReadAll(fsys, path, 0)
	if err != nil {
		return nil, nil, err
	}
	docs, err := yamlsrc.Documents(path, data)
	if err != nil {
		return nil, nil, err
	}
	sch, err := recordSchema()
	if err != nil {
		return nil, nil, err
	}
	var out []model.Record
	var warns []input.Warning
	for _, doc := range docs {
		v, pos, err := yamlsrc.Value(path, doc)
		if err != nil {
			return nil, nil, err
		}
		if v == nil {
			continue
		}
		if errs := yamlsrc.Validate(sch, v, pos, "record keys are id, title, state, labels, approved, approved_by, approved_on, url, commits and text fields"); len(errs) > 0 {
			return nil, nil, errs
		}
		items := []any{v}
		prefix := ""
		if list, ok := v.([]any); ok {
			items = list
		}
		for i, it := range items {
			m := it.(map[string]any)
			ptr := prefix
			if _, isList := v.([]any); isList {
				ptr = "/" + strconv.Itoa(i)
			}
			out = append(out, toRecord(m, kind, yamlsrc.Lookup(pos, ptr)))
		}
	}
	if len(out) == 0 {
		warns = append(warns, input.Warnf(input.Pos{File: path}, "no %s in the file", strings.ReplaceAll(kind, "_", " ")))
	}
	return out, warns, nil
}

func toRecord(m map[string]any, kind string, pos input.Pos) model.Record {
	r := model.Record{Kind: kind, Source: pos, Fields: map[string]string{}}
	r.ID = strings.TrimSpace(text(m["id"]))
	r.Title = strings.TrimSpace(text(m["title"]))
	r.State = strings.ToLower(strings.TrimSpace(text(m["state"])))
	r.URL = strings.TrimSpace(text(m["url"]))
	r.ApprovedBy = strings.TrimSpace(text(m["approved_by"]))
	if b, ok := m["approved"].(bool); ok {
		r.Approved = b
	}
	if cs, ok := m["commits"].([]any); ok {
		for _, c := range cs {
			if s := strings.TrimSpace(text(c)); s != "" {
				r.Commits = append(r.Commits, s)
			}
		}
	}
	if ls, ok := m["labels"].([]any); ok {
		for _, l := range ls {
			if s := strings.TrimSpace(text(l)); s != "" {
				r.Labels = append(r.Labels, s)
			}
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if reserved[k] {
			continue
		}
		if s := strings.TrimSpace(text(m[k])); s != "" {
			r.Fields[strings.ToLower(k)] = s
		}
	}
	return r
}

func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}
