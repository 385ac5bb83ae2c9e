package githubapi

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// DefaultAPIURL is github.com's REST API, what GITHUB_API_URL holds there.
const DefaultAPIURL = "https://api.github.com"

// Endpoints are the two roots of GitHub's REST API: go-github needs both,
// with trailing slashes.
type Endpoints struct {
	API    *url.URL // https://api.github.com/, https://HOST/api/v3/, https://api.SUB.ghe.com/
	Upload *url.URL // https://uploads.github.com/, https://HOST/api/uploads/, https://uploads.SUB.ghe.com/
	// DotCom is set for github.com itself.
	DotCom bool
}

// ParseAPIURL reads GITHUB_API_URL. Empty means github.com. A URL whose
// path ends in /api/v3 names a GitHub Enterprise Server, as Actions sets it
// there ("https://HOST/api/v3"; a path prefix before /api/v3 is kept), its
// uploads under /api/uploads/ of the same root. A bare host whose name
// starts with "api." (api.github.com, GHE.com's api.SUB.ghe.com) is the API
// root itself, its uploads on the "uploads." host. Any other URL is taken
// as a GitHub Enterprise Server root ("https://HOST").
//
// go-github v60's WithEnterpriseURLs appends "/api/v3/" and "/api/uploads/"
// itself, but it also appends "/api/uploads/" to an uploads.SUB.ghe.com
// host (google/go-github#3985, fixed after v60), so the URLs are computed
// here in full and handed over finished.
//
// Plain http is accepted only for loopback hosts (the tests' fake GitHub):
// the client sends a token with every request.
func ParseAPIURL(raw string) (Endpoints, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		raw = DefaultAPIURL
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Endpoints{}, fmt.Errorf("GitHub API URL %q: %v", raw, err)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return Endpoints{}, fmt.Errorf("GitHub API URL %q: want an https:// URL such as %s or https://HOST/api/v3", raw, DefaultAPIURL)
	case u.Host == "":
		return Endpoints{}, fmt.Errorf("GitHub API URL %q has no host", raw)
	case u.User != nil:
		return Endpoints{}, fmt.Errorf("GitHub API URL %q carries credentials; give the token separately", redactUser(u))
	case u.RawQuery != "" || u.Fragment != "":
		return Endpoints{}, fmt.Errorf("GitHub API URL %q: a query or fragment is not allowed", raw)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return Endpoints{}, fmt.Errorf("GitHub API URL %q: refusing plain http to a non-loopback host, the token would travel unencrypted; use https", raw)
	}
	path := strings.TrimRight(u.Path, "/")
	if path == "" && strings.HasPrefix(strings.ToLower(u.Host), "api.") {
		return Endpoints{
			API:    &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/"},
			Upload: &url.URL{Scheme: u.Scheme, Host: "uploads." + u.Host[len("api."):], Path: "/"},
			DotCom: strings.EqualFold(u.Host, "api.github.com"),
		}, nil
	}
	root := strings.TrimSuffix(path, "/api/v3")
	return Endpoints{
		API:    &url.URL{Scheme: u.Scheme, Host: u.Host, Path: root + "/api/v3/"},
		Upload: &url.URL{Scheme: u.Scheme, Host: u.Host, Path: root + "/api/uploads/"},
	}, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func redactUser(u *url.URL) string {
	c := *u
	c.User = url.User("REDACTED")
	return c.String()
}
