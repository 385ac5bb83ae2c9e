package facts

import (
	"strings"

	"github.com/tracegate/tracegate/internal/lazyre"
)

var (
	atxHeading = lazyre.New(`^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$`)
	fenceLine  = lazyre.New("^ {0,3}(```|~~~)")
	mdComment  = lazyre.New(`(?s)<!--.*?-->`)
	keyLine    = lazyre.New(`^[ \t>*-]*\**([A-Za-z][A-Za-z0-9 /_-]{0,39}?)\**[ \t]*:\**[ \t]+(\S.*)$`)
)

// noResponse is what GitHub issue forms write for an optional field left
// empty.
const noResponse = "_No response_"

// Section returns the trimmed text of a body's section titled heading
// (case-insensitive, ignoring a trailing colon): the text under a Markdown
// heading up to the next heading of the same or a higher level, or else the
// rest of a "Heading: text" line, for bodies written without headings. HTML
// comments (template instructions) and GitHub's "_No response_" count as
// nothing, so a template's untouched section is "".
func Section(body, heading string) string {
	h, kv := Sections(body)
	key := normHeading(heading)
	if v := h[key]; v != "" {
		return v
	}
	return kv[key]
}

// Sections returns a body's Markdown sections and its "Key: value" lines,
// each by normalised title.
func Sections(body string) (headed, keyed map[string]string) {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = mdComment().ReplaceAllString(body, "")
	headed, keyed = map[string]string{}, map[string]string{}
	var cur string
	var level int
	var buf []string
	inFence := false
	flush := func() {
		if cur == "" {
			return
		}
		text := strings.TrimSpace(strings.Join(buf, "\n"))
		if text == noResponse {
			text = ""
		}
		if headed[cur] == "" {
			headed[cur] = text
		}
	}
	for _, line := range strings.Split(body, "\n") {
		if fenceLine().MatchString(line) {
			inFence = !inFence
		}
		if !inFence {
			if m := atxHeading().FindStringSubmatch(line); m != nil && (cur == "" || len(m[1]) <= level) {
				flush()
				cur, level, buf = normHeading(m[2]), len(m[1]), nil
				continue
			}
			if m := keyLine().FindStringSubmatch(line); m != nil {
				if k := normHeading(m[1]); keyed[k] == "" && strings.TrimSpace(m[2]) != noResponse {
					keyed[k] = strings.TrimSpace(m[2])
				}
			}
		}
		if cur != "" {
			buf = append(buf, line)
		}
	}
	flush()
	return headed, keyed
}

func normHeading(h string) string {
	h = strings.TrimSpace(h)
	h = strings.TrimSuffix(h, ":")
	h = strings.Trim(h, "*_ ")
	return strings.ToLower(strings.Join(strings.Fields(h), " "))
}
