package githubapi

import (
	"net/http"
	"strings"
)

// bearer adds the token to requests for GitHub's own hosts and to nothing
// else. http.Client follows redirects through the transport, and GitHub
// answers some requests with a redirect to another host (release assets,
// archives on a storage service): those must not receive the token.
// go-github's WithAuthToken adds it to every request whatever the host.
type bearer struct {
	token string
	// hosts maps scheme://host of the API and upload roots.
	hosts map[string]bool
	base  http.RoundTripper
}

func newBearer(token string, ep Endpoints, base http.RoundTripper) *bearer {
	return &bearer{
		token: token,
		hosts: map[string]bool{origin(ep.API.Scheme, ep.API.Host): true, origin(ep.Upload.Scheme, ep.Upload.Host): true},
		base:  base,
	}
}

func origin(scheme, host string) string { return strings.ToLower(scheme + "://" + host) }

func (b *bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	if !b.hosts[origin(req.URL.Scheme, req.URL.Host)] {
		return b.base.RoundTrip(req)
	}
	// A RoundTripper must not modify the caller's request.
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.base.RoundTrip(r)
}
