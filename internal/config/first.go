package config

import (
	"encoding/json"
	"fmt"
)

// FirstRelease is release.first: the policy's word that a release has no
// previous one. Without it, a release is a first release only when the
// history, with its tags fetched, holds no earlier release tag; a clone
// that lacks tags (git clone --no-tags, a CI checkout's defaults) must not
// turn every release into a first one whose changes go unjudged.
//
// In the file it is true (the release judged is the first, whenever no
// earlier release tag is in its history) or a tag name (that release is
// the first; any later one must find an earlier tag). false is the same as
// leaving it out.
type FirstRelease struct {
	Any bool   // release.first: true
	Tag string // release.first: <tag>
}

// IsZero reports whether the policy declares no first release.
func (f FirstRelease) IsZero() bool { return !f.Any && f.Tag == "" }

// Declares reports whether the policy declares the release tagged tag
// (empty for a release candidate, which has no tag yet) a first release.
func (f FirstRelease) Declares(tag string) bool {
	return f.Any || (f.Tag != "" && f.Tag == tag)
}

// String is the value as written in the policy.
func (f FirstRelease) String() string {
	switch {
	case f.Tag != "":
		return f.Tag
	case f.Any:
		return "true"
	}
	return "false"
}

// UnmarshalJSON reads true, false or a tag name (the schema allows nothing
// else).
func (f *FirstRelease) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case bool:
		*f = FirstRelease{Any: v}
	case string:
		*f = FirstRelease{Tag: v}
	default:
		return fmt.Errorf("release.first: %s is neither true nor a tag name", b)
	}
	return nil
}

// MarshalJSON writes the value as it is read.
func (f FirstRelease) MarshalJSON() ([]byte, error) {
	if f.Tag != "" {
		return json.Marshal(f.Tag)
	}
	return json.Marshal(f.Any)
}
