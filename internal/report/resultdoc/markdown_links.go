package resultdoc

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/report"
)

// blobLink renders a location as a link into the repository at LinkBase, or
// as escaped text when there is no base or the file is not a repository
// path. Markdown files get ?plain=1 so that #L<line> lands on the line
// instead of the rendered document.
func blobLink(base, file string, line, col, max int) string {
	text := file
	if line > 0 {
		text += ":" + strconv.Itoa(line)
		if col > 0 {
			text += ":" + strconv.Itoa(col)
		}
	}
	label := report.MDCellText(text, max)
	p, ok := repoPath(file)
	if base == "" || !ok || len(p) > maxLinkedPath {
		return label
	}
	u := base + escapePath(p)
	if lower := strings.ToLower(p); strings.HasSuffix(lower, ".md") || strings.HasSuffix(lower, ".markdown") {
		u += "?plain=1"
	}
	if line > 0 {
		u += "#L" + strconv.Itoa(line)
	}
	return "[" + label + "](" + u + ")"
}

// maxLinkedPath bounds the paths that get a link: a link's URL counts
// against the budget in full and cannot be shortened.
const maxLinkedPath = 300

// linkBase validates a blob URL prefix (https://github.com/o/r/blob/SHA/):
// an absolute http(s) URL, returned with a trailing slash and with the
// characters that would end a Markdown link destination encoded. Anything
// else gives "" (no links).
func linkBase(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if s == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return destEscaper.Replace(s)
}

// reportRef renders the FullReport option for the "… more" lines: a link
// when it is a URL, escaped text otherwise.
func reportRef(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if u, err := url.Parse(s); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(s) <= 2000 {
		return "[the full report](" + destEscaper.Replace(s) + ")"
	}
	return report.MDInline(s, 200)
}

var destEscaper = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "\n", "", "\r", "", "\t", "", "\\", "%5C", "`", "%60", "|", "%7C")
