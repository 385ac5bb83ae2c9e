package githubapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// ErrDownloadTooLarge is returned by Download for a body past its limit.
var ErrDownloadTooLarge = errors.New("download larger than allowed")

// NewDownloadClient returns the client for Download: the retrying
// Transport over the default base, with no credentials at all. GitHub
// answers an archive or artifact request with a 302 to a short-lived URL
// signed in its query (codeload, a storage service, or /_codeload on
// GitHub Enterprise Server); its token must not travel there, and a
// storage service refuses a request that carries it. Only MaxAttempts,
// MaxWait and Sleep of opts apply.
func NewDownloadClient(opts Options) *http.Client {
	return &http.Client{Transport: &Transport{Base: defaultBase(), MaxAttempts: opts.MaxAttempts, MaxWait: opts.MaxWait, Sleep: opts.Sleep}}
}

// Download GETs u with hc (NewDownloadClient's) and returns the body, at
// most limit bytes; a longer one is an error wrapping ErrDownloadTooLarge.
// Errors name the URL without its query, which holds the signature.
func Download(ctx context.Context, hc *http.Client, u *url.URL, limit int64) ([]byte, error) {
	where := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
	if u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())) {
		return nil, fmt.Errorf("download %s: GitHub redirected to a URL that is not https", where)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("download %s: %v", where, redactErr(err))
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %v", where, redactErr(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		head, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("download %s: %s: %s", where, resp.Status, snippet(head))
	}
	if n, err := strconv.ParseInt(resp.Header.Get("Content-Length"), 10, 64); err == nil && n > limit {
		return nil, fmt.Errorf("download %s: %d bytes: %w (%d)", where, n, ErrDownloadTooLarge, limit)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("download %s: %v", where, redactErr(err))
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("download %s: more than %d bytes: %w", where, limit, ErrDownloadTooLarge)
	}
	return data, nil
}

// redactErr drops the URL from net/http's errors, which quote it whole,
// signature included.
func redactErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
