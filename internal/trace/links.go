package trace

import (
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/internal/config"
	"github.com/tracegate/tracegate/internal/lazyre"
)

// Link is a reference found in a pull request or commit: an ID of a kind
// (requirement, problem report, change request), or a GitHub issue.
type Link struct {
	Kind string `json:"kind"` // requirement | problem_report | change_request | issue
	ID   string `json:"id"`   // SRS-001, CR-12, #12, owner/repo#12
	// Repo and Number are set for issue links; Repo is empty for the
	// repository the text belongs to.
	Repo   string `json:"repo,omitempty"`
	Number int    `json:"number,omitempty"`
	// Where the link was found: title, body, branch, commit <sha>.
	Where []string `json:"where"`
	// Closing is set when a closing keyword (fixes #12) introduced it.
	Closing bool `json:"closing,omitempty"`
}

// LinkIssue is the kind of GitHub issue links, whose kind (problem report,
// change request or neither) only the tracker can tell.
const LinkIssue = "issue"

var (
	// HTML comments hold PR-template instructions ("<!-- e.g. Fixes #123 -->")
	// and code holds examples: neither is a link the author made.
	htmlComment = lazyre.New(`(?s)<!--.*?-->`)
	fenced      = lazyre.New("(?ms)^[ \t]*(```|~~~).*?^[ \t]*(```|~~~)[ \t]*$")
	inlineCode  = lazyre.New("`[^`\n]*`")

	// owner/repo#12, #12, GH-12 — GitHub's autolinked references.
	issueRef = lazyre.New(`(?:^|[\s(\[{,;:])(?:([A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+)#|#|GH-)(\d+)\b`)
	// https://host/owner/repo/issues/12
	issueURL = lazyre.New(`https?://([A-Za-z0-9.-]+(?::\d+)?)/([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+)/issues/(\d+)\b`)
	// GitHub's closing keywords, before a reference.
	closing = lazyre.New(`(?i)\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+$`)
	// A branch GitHub creates from an issue: "123-short-title".
	issueBranch = lazyre.New(`^(?:[^/]+/)?(\d+)-`)
)

// LinkFinder finds links with the policy's ID patterns. Hosts are the
// web hosts whose issue URLs count (github.com, or a GHES host).
type LinkFinder struct {
	IDs   *IDs
	Repo  string   // owner/name of the repository the texts belong to
	Hosts []string // default: github.com
}

// Links collects the links of several texts, merged by ID in order of
// first appearance.
type Links struct {
	list  []*Link
	index map[string]*Link
}

// List returns the links found.
func (l *Links) List() []Link {
	out := make([]Link, len(l.list))
	for i, x := range l.list {
		out[i] = *x
	}
	return out
}

// Len is the number of distinct links.
func (l *Links) Len() int { return len(l.list) }

func (l *Links) add(n Link, where string) {
	if l.index == nil {
		l.index = map[string]*Link{}
	}
	key := n.Kind + "\x00" + n.ID
	if x, ok := l.index[key]; ok {
		if !contains(x.Where, where) {
			x.Where = append(x.Where, where)
		}
		x.Closing = x.Closing || n.Closing
		return
	}
	n.Where = []string{where}
	l.list = append(l.list, &n)
	l.index[key] = l.list[len(l.list)-1]
}

// Text finds the links in a title, body or commit message.
func (f *LinkFinder) Text(into *Links, text, where string) {
	text = htmlComment().ReplaceAllString(text, " ")
	text = fenced().ReplaceAllString(text, " ")
	text = inlineCode().ReplaceAllString(text, " ")
	for _, kind := range []string{config.KindRequirement, config.KindChangeRequest, config.KindProblemReport} {
		for _, id := range f.IDs.Find(kind, text) {
			into.add(Link{Kind: kind, ID: id}, where)
		}
	}
	for _, m := range issueRef().FindAllStringSubmatchIndex(text, -1) {
		repo := ""
		if m[2] >= 0 {
			repo = text[m[2]:m[3]]
		}
		n, err := strconv.Atoi(text[m[4]:m[5]])
		if err != nil || n <= 0 {
			continue
		}
		f.addIssue(into, repo, n, closing().MatchString(text[:m[0]+1]), where)
	}
	for _, m := range issueURL().FindAllStringSubmatch(text, -1) {
		if !f.host(m[1]) {
			continue
		}
		n, err := strconv.Atoi(m[4])
		if err != nil || n <= 0 {
			continue
		}
		idx := strings.Index(text, m[0])
		f.addIssue(into, m[2]+"/"+m[3], n, closing().MatchString(text[:idx]), where)
	}
}

// Branch finds the links in a branch name: IDs, and the issue number of a
// branch GitHub created from an issue ("123-fix-occlusion").
func (f *LinkFinder) Branch(into *Links, branch string) {
	for _, kind := range []string{config.KindRequirement, config.KindChangeRequest, config.KindProblemReport} {
		for _, id := range f.IDs.Find(kind, branch) {
			into.add(Link{Kind: kind, ID: id}, "branch")
		}
	}
	if m := issueBranch().FindStringSubmatch(branch); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
			f.addIssue(into, "", n, false, "branch")
		}
	}
}

func (f *LinkFinder) addIssue(into *Links, repo string, n int, isClosing bool, where string) {
	if strings.EqualFold(repo, f.Repo) {
		repo = ""
	}
	id := "#" + strconv.Itoa(n)
	if repo != "" {
		id = repo + id
	}
	into.add(Link{Kind: LinkIssue, ID: id, Repo: repo, Number: n, Closing: isClosing}, where)
}

func (f *LinkFinder) host(h string) bool {
	hosts := f.Hosts
	if len(hosts) == 0 {
		hosts = []string{"github.com"}
	}
	for _, x := range hosts {
		if strings.EqualFold(x, h) {
			return true
		}
	}
	return false
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
