package githubapi

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

func TestResetAt(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"1777636800", time.Unix(1777636800, 0), true},
		{"", time.Time{}, false},
		{"0", time.Time{}, false},
		{"-1", time.Time{}, false},
		{"tomorrow", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := resetAt(tt.in)
		if !got.Equal(tt.want) || ok != tt.ok {
			t.Errorf("resetAt(%q) = %v, %v", tt.in, got, ok)
		}
	}
}

func TestIsSecondary(t *testing.T) {
	tests := []struct {
		body string
		want bool
	}{
		{`{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}`, true},
		{`{"message":"x","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`, true},
		{`{"message":"x","documentation_url":"https://developer.github.com/v3/#abuse-rate-limits"}`, true},
		{`{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest"}`, false},
		{`<html>403 Forbidden</html>`, false},
		{``, false},
	}
	for _, tt := range tests {
		if got := parseMessage([]byte(tt.body)).isSecondary(); got != tt.want {
			t.Errorf("%s: %v", tt.body, got)
		}
	}
}

func TestRedactURL(t *testing.T) {
	u, _ := url.Parse("https://user:pw@objects.example.com/a/b?X-Amz-Signature=abc&token=t&page=2&client_secret=s")
	got := redactURL(&http.Request{URL: u})
	want := "https://objects.example.com/a/b?X-Amz-Signature=REDACTED&client_secret=REDACTED&page=2&token=REDACTED"
	if got != want {
		t.Errorf("redactURL = %s, want %s", got, want)
	}
}

func TestRetryAtTypes(t *testing.T) {
	reset := time.Date(2026, 5, 1, 13, 0, 0, 0, time.UTC)
	thirty := 30 * time.Second
	before := time.Now()
	tests := []struct {
		name string
		err  error
		ok   bool
		want func(time.Time) bool
	}{
		{"RetryError", &RetryError{RateLimited: true, Until: reset}, true, func(t time.Time) bool { return t.Equal(reset) }},
		{"RetryError, not a rate limit", &RetryError{Until: reset}, false, nil},
		{"go-github RateLimitError", &github.RateLimitError{Rate: github.Rate{Reset: github.Timestamp{Time: reset}}}, true, func(t time.Time) bool { return t.Equal(reset) }},
		{"go-github AbuseRateLimitError", &github.AbuseRateLimitError{RetryAfter: &thirty}, true, func(t time.Time) bool {
			return !t.Before(before.Add(thirty)) && !t.After(time.Now().Add(thirty))
		}},
		{"AbuseRateLimitError without a time", &github.AbuseRateLimitError{}, false, nil},
		{"wrapped", &url.Error{Op: "Get", URL: "u", Err: &RetryError{RateLimited: true, Until: reset}}, true, func(t time.Time) bool { return t.Equal(reset) }},
		{"other", errors.New("x"), false, nil},
	}
	for _, tt := range tests {
		at, ok := RetryAt(tt.err)
		if ok != tt.ok || (ok && !tt.want(at)) {
			t.Errorf("%s: RetryAt = %v, %v", tt.name, at, ok)
		}
	}
}
