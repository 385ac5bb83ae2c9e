package githubapi

import (
	"net"
	"strings"
	"testing"
)

// FuzzParseAPIURL: GITHUB_API_URL is read without panicking into either an
// error or two roots go-github accepts (trailing slash, http only on
// loopback).
func FuzzParseAPIURL(f *testing.F) {
	for _, s := range []string{"", "https://api.github.com", "https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/",
		"https://api.acme.ghe.com", "http://127.0.0.1:1/api/v3", "http://[::1]/", "https://u:p@h/", "https://h/a%2Fb/api/v3",
		"https://h/api/v3?x", "https://api./", "https://api.", "http://localhost", "https://h/../api/v3", "https://%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		ep, err := ParseAPIURL(raw)
		if err != nil {
			return
		}
		for _, u := range []string{ep.API.String(), ep.Upload.String()} {
			if !strings.HasSuffix(u, "/") {
				t.Fatalf("%q: root %q has no trailing slash", raw, u)
			}
		}
		for _, u := range []*struct{ scheme, host string }{{ep.API.Scheme, ep.API.Hostname()}, {ep.Upload.Scheme, ep.Upload.Hostname()}} {
			if u.scheme == "http" && u.host != "localhost" && !net.ParseIP(u.host).IsLoopback() {
				t.Fatalf("%q: plain http to %q", raw, u.host)
			}
			if u.scheme != "http" && u.scheme != "https" {
				t.Fatalf("%q: scheme %q", raw, u.scheme)
			}
		}
		if ep.API.User != nil || ep.API.RawQuery != "" || ep.API.Host == "" || ep.Upload.Host == "" {
			t.Fatalf("%q: %v", raw, ep.API)
		}
	})
}
