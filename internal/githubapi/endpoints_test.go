package githubapi_test

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/githubapi"
)

func TestParseAPIURL(t *testing.T) {
	tests := []struct {
		in, api, upload string
		dotCom          bool
	}{
		{"", "https://api.github.com/", "https://uploads.github.com/", true},
		{"https://api.github.com", "https://api.github.com/", "https://uploads.github.com/", true},
		{"https://api.github.com/", "https://api.github.com/", "https://uploads.github.com/", true},
		{"  https://API.GitHub.com\n", "https://API.GitHub.com/", "https://uploads.GitHub.com/", true},
		// GitHub Enterprise Server, as Actions sets GITHUB_API_URL there.
		{"https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/uploads/", false},
		{"https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/uploads/", false},
		{"https://ghe.example.com", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/uploads/", false},
		{"https://ghe.example.com/", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/uploads/", false},
		{"https://ghe.example.com:8443/api/v3", "https://ghe.example.com:8443/api/v3/", "https://ghe.example.com:8443/api/uploads/", false},
		{"https://example.com/github/api/v3", "https://example.com/github/api/v3/", "https://example.com/github/api/uploads/", false},
		{"https://example.com/github", "https://example.com/github/api/v3/", "https://example.com/github/api/uploads/", false},
		// A server whose name starts with api. is still GHES when the
		// path says so.
		{"https://api.corp.example/api/v3", "https://api.corp.example/api/v3/", "https://api.corp.example/api/uploads/", false},
		// GHE.com (data residency): api.SUB.ghe.com, uploads.SUB.ghe.com.
		{"https://api.acme.ghe.com", "https://api.acme.ghe.com/", "https://uploads.acme.ghe.com/", false},
		// Plain http only on loopback, where the tests' fake runs.
		{"http://127.0.0.1:8080/api/v3", "http://127.0.0.1:8080/api/v3/", "http://127.0.0.1:8080/api/uploads/", false},
		{"http://localhost:8080", "http://localhost:8080/api/v3/", "http://localhost:8080/api/uploads/", false},
		{"http://[::1]:8080/api/v3", "http://[::1]:8080/api/v3/", "http://[::1]:8080/api/uploads/", false},
	}
	for _, tt := range tests {
		ep, err := githubapi.ParseAPIURL(tt.in)
		if err != nil {
			t.Errorf("ParseAPIURL(%q): %v", tt.in, err)
			continue
		}
		if ep.API.String() != tt.api || ep.Upload.String() != tt.upload || ep.DotCom != tt.dotCom {
			t.Errorf("ParseAPIURL(%q) = %s, %s, %v; want %s, %s, %v", tt.in, ep.API, ep.Upload, ep.DotCom, tt.api, tt.upload, tt.dotCom)
		}
	}
}

func TestParseAPIURLErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"ghe.example.com/api/v3", "want an https:// URL"},
		{"ftp://ghe.example.com/api/v3", "want an https:// URL"},
		{"https:///api/v3", "has no host"},
		{"http://ghe.example.com/api/v3", "refusing plain http"},
		{"http://10.0.0.1/api/v3", "refusing plain http"},
		{"https://ghe.example.com/api/v3?x=1", "query or fragment"},
		{"https://ghe.example.com/api/v3#x", "query or fragment"},
		{"https://bot:s3cr3t@ghe.example.com/api/v3", "carries credentials"},
		{"https://ghe example.com", "GitHub API URL"},
	}
	for _, tt := range tests {
		_, err := githubapi.ParseAPIURL(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseAPIURL(%q) error = %v, want one containing %q", tt.in, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("ParseAPIURL(%q) error shows the password: %v", tt.in, err)
		}
	}
}
