package osv

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/tracegate/tracegate/internal/backoff"
	"github.com/tracegate/tracegate/internal/input"
	"github.com/tracegate/tracegate/internal/version"
)

// DefaultBaseURL is osv.dev's API.
const DefaultBaseURL = "https://api.osv.dev"

// MaxQueriesPerBatch is osv.dev's limit on queries per querybatch request
// (osv.dev bindings/go/osvdev: MaxQueriesPerQueryBatchRequest).
const MaxQueriesPerBatch = 1000

const (
	maxBatchResponse = 64 << 20
	maxPagesPerQuery = 100
)

// Client looks packages up in the osv.dev API: POST /v1/querybatch finds
// the ids of the records affecting each version (paging per query), and
// GET /v1/vulns/{id} fetches each record. Zero fields take defaults.
type Client struct {
	BaseURL    string       // DefaultBaseURL when empty
	HTTPClient *http.Client // one with a one-minute timeout per attempt when nil
	UserAgent  string       // "tracegate/<version>" when empty
	// MaxAttempts bounds the tries of one request (429 and 5xx answers and
	// network errors are retried with exponential backoff); default 5.
	MaxAttempts int
	// MaxWait is the longest wait between attempts tracegate accepts,
	// including one a Retry-After header asks for; default 2 minutes.
	MaxWait time.Duration
	// Concurrency bounds the parallel record fetches; default 8.
	Concurrency int

	// sleep waits between attempts; tests replace it to observe waits
	// without spending them.
	sleep func(ctx context.Context, d time.Duration) error
}

// apiQuery is one query of a querybatch request, written as the osv.dev
// docs (post-v1-querybatch) and osv-scanner's recorded requests write it.
type apiQuery struct {
	Package   apiPackage `json:"package"`
	Version   string     `json:"version"`
	PageToken string     `json:"page_token,omitempty"`
}

type apiPackage struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
}

type batchRequest struct {
	Queries []apiQuery `json:"queries"`
}

type batchResponse struct {
	Results []batchResult `json:"results"`
}

type batchResult struct {
	Vulns []struct {
		ID       string `json:"id"`
		Modified string `json:"modified"`
	} `json:"vulns"`
	NextPageToken string `json:"next_page_token"`
	// The API is a gRPC gateway; its JSON names may come in either case.
	NextPageTokenCamel string `json:"nextPageToken"`
}

func (r batchResult) pageToken() string {
	if r.NextPageToken != "" {
		return r.NextPageToken
	}
	return r.NextPageTokenCamel
}

// Query asks osv.dev about the packages. The packages are looked up by
// ecosystem, name and version, never by PURL: the API ignores PURL
// qualifiers (google/osv.dev#3126), so an apk or deb PURL would be matched
// against every release of the distribution, and the version would be read
// from the PURL by rules that are not tracegate's. Any failure to complete
// the lookup is an error; a partial answer is never returned.
func (c *Client) Query(ctx context.Context, pkgs []Package) (*Report, error) {
	p := newPlan(pkgs)
	ids, err := c.queryIDs(ctx, p.coords)
	if err != nil {
		return nil, err
	}
	var distinct []string
	seen := map[string]bool{}
	for _, coord := range p.coords {
		for _, id := range ids[coord] {
			if !seen[id] {
				seen[id] = true
				distinct = append(distinct, id)
			}
		}
	}
	sort.Strings(distinct)
	recs, warns, err := c.fetchRecords(ctx, distinct)
	if err != nil {
		return nil, err
	}
	out := make(map[Coordinate]*outcome, len(p.coords))
	vc := versionCache{}
	for _, coord := range p.coords {
		o := &outcome{}
		for _, id := range ids[coord] {
			rec := recs[id]
			m, ok := matchRecord(rec, coord, vc)
			if !ok || m.Indeterminate {
				// osv.dev decided; say that it was osv.dev and not us.
				ev := "osv.dev reports " + rec.ID + " as affecting " + coord.String()
				if m.Indeterminate {
					ev += " (" + m.Evidence + ")"
				}
				m = Match{Record: rec, Coordinate: coord, Evidence: ev}
			}
			o.matches = append(o.matches, m)
		}
		out[coord] = o
	}
	return &Report{Source: "osv.dev API " + c.baseURL(), At: time.Now().UTC(), Results: p.finish(out), Warnings: warns}, nil
}

// queryIDs runs querybatch over the coordinates, at most
// MaxQueriesPerBatch per request, following each query's next_page_token
// until it has none.
func (c *Client) queryIDs(ctx context.Context, coords []Coordinate) (map[Coordinate][]string, error) {
	type pending struct {
		coord Coordinate
		token string
	}
	todo := make([]pending, len(coords))
	for i, coord := range coords {
		todo[i] = pending{coord: coord}
	}
	ids := map[Coordinate][]string{}
	seen := map[Coordinate]map[string]bool{}
	pages := map[Coordinate]int{}
	endpoint := c.baseURL() + "/v1/querybatch"
	for len(todo) > 0 {
		var next []pending
		for start := 0; start < len(todo); start += MaxQueriesPerBatch {
			chunk := todo[start:min(start+MaxQueriesPerBatch, len(todo))]
			req := batchRequest{Queries: make([]apiQuery, len(chunk))}
			for i, q := range chunk {
				req.Queries[i] = apiQuery{
					Package:   apiPackage{Ecosystem: q.coord.Ecosystem, Name: q.coord.Name},
					Version:   q.coord.Version,
					PageToken: q.token,
				}
			}
			body, err := json.Marshal(req)
			if err != nil {
				return nil, err
			}
			data, err := c.do(ctx, http.MethodPost, endpoint, body, maxBatchResponse)
			if err != nil {
				return nil, err
			}
			resp, err := decodeBatch(data, len(chunk))
			if err != nil {
				return nil, fmt.Errorf("POST %s: %w", endpoint, err)
			}
			for i, r := range resp.Results {
				coord := chunk[i].coord
				if seen[coord] == nil {
					seen[coord] = map[string]bool{}
				}
				for _, v := range r.Vulns {
					if !seen[coord][v.ID] {
						seen[coord][v.ID] = true
						ids[coord] = append(ids[coord], v.ID)
					}
				}
				if tok := r.pageToken(); tok != "" {
					pages[coord]++
					if pages[coord] >= maxPagesPerQuery {
						return nil, fmt.Errorf("POST %s: %s still has more results after %d pages; the lookup is incomplete", endpoint, coord, maxPagesPerQuery)
					}
					next = append(next, pending{coord: coord, token: tok})
				}
			}
		}
		todo = next
	}
	return ids, nil
}

// decodeBatch reads a querybatch response and checks that it answers
// every query: osv.dev guarantees one result per query, in order, so
// anything else means results cannot be told apart.
func decodeBatch(data []byte, queries int) (*batchResponse, error) {
	var resp batchResponse
	if err := json.Unmarshal(data, &resp); err != nil {
		return nil, fmt.Errorf("response is not the expected JSON: %w", err)
	}
	if len(resp.Results) != queries {
		return nil, fmt.Errorf("response has %d results for %d queries; the lookup is incomplete", len(resp.Results), queries)
	}
	for i, r := range resp.Results {
		for _, v := range r.Vulns {
			if strings.TrimSpace(v.ID) == "" {
				return nil, fmt.Errorf("result %d names a record without an id", i+1)
			}
		}
	}
	return &resp, nil
}

// fetchRecords gets every record by id, a bounded number at a time. One
// failure fails the whole lookup.
func (c *Client) fetchRecords(ctx context.Context, ids []string) (map[string]*Record, []input.Warning, error) {
	var (
		mu    sync.Mutex
		recs  = make(map[string]*Record, len(ids))
		warns []input.Warning
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.concurrency())
	for _, id := range ids {
		g.Go(func() error {
			endpoint := c.baseURL() + "/v1/vulns/" + url.PathEscape(id)
			data, err := c.do(gctx, http.MethodGet, endpoint, nil, DefaultLimits.MaxEntryBytes)
			if err != nil {
				return err
			}
			rec, notes, err := ParseRecord(data)
			if err != nil {
				return fmt.Errorf("GET %s: not an OSV record: %w", endpoint, err)
			}
			mu.Lock()
			defer mu.Unlock()
			pos := input.Pos{File: endpoint}
			for _, n := range notes {
				warns = append(warns, input.Warnf(pos, "%s", n))
			}
			if rec.ID != id {
				warns = append(warns, input.Warnf(pos, "asked for %s, osv.dev returned record %s", id, rec.ID))
			}
			recs[id] = rec
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	sort.Slice(warns, func(i, j int) bool { return warns[i].Pos.File < warns[j].Pos.File })
	return recs, warns, nil
}

// do sends one request, retrying 429 and 5xx answers and network errors
// with exponential backoff (honouring Retry-After) up to MaxAttempts.
func (c *Client) do(ctx context.Context, method, endpoint string, body []byte, maxBytes int64) ([]byte, error) {
	attempts := c.MaxAttempts
	if attempts <= 0 {
		attempts = 5
	}
	var last error
	for attempt := 1; ; attempt++ {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, endpoint, rd)
		if err != nil {
			return nil, err
		}
		req.Header.Set("User-Agent", c.userAgent())
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		var wait time.Duration
		resp, err := c.httpClient().Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%s %s: %w", method, endpoint, ctx.Err())
			}
			last = err
		} else {
			data, rerr := readLimited(resp.Body, maxBytes)
			resp.Body.Close()
			switch {
			case resp.StatusCode == http.StatusOK && rerr == nil:
				return data, nil
			case resp.StatusCode == http.StatusOK && errors.Is(rerr, errTooLarge):
				return nil, fmt.Errorf("%s %s: %w", method, endpoint, rerr)
			case resp.StatusCode == http.StatusOK:
				last = rerr // cut off mid-body: worth another try
			case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
				last = fmt.Errorf("%s: %s", resp.Status, snippet(data))
				wait, _ = backoff.RetryAfter(resp.Header.Get("Retry-After"), time.Now())
			default:
				return nil, fmt.Errorf("%s %s: %s: %s", method, endpoint, resp.Status, snippet(data))
			}
		}
		if attempt >= attempts {
			return nil, fmt.Errorf("%s %s: no answer after %d attempts: %w", method, endpoint, attempts, last)
		}
		if wait == 0 {
			wait = backoff.Exponential(attempt)
		}
		if wait > c.maxWait() {
			return nil, fmt.Errorf("%s %s: the server asks to wait %s before retrying, longer than the %s tracegate waits: %w", method, endpoint, wait, c.maxWait(), last)
		}
		if err := c.wait(ctx, wait); err != nil {
			return nil, fmt.Errorf("%s %s: %w", method, endpoint, err)
		}
	}
}

var errTooLarge = errors.New("response too large")

func readLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return data, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", errTooLarge, max)
	}
	return data, nil
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func (c *Client) wait(ctx context.Context, d time.Duration) error {
	if c.sleep != nil {
		return c.sleep(ctx, d)
	}
	return backoff.Sleep(ctx, d)
}

func (c *Client) baseURL() string {
	if c.BaseURL == "" {
		return DefaultBaseURL
	}
	return strings.TrimRight(c.BaseURL, "/")
}

// defaultHTTPClient bounds each attempt, so that a server that stops
// answering costs a retry, not the whole run.
var defaultHTTPClient = &http.Client{Timeout: time.Minute}

func (c *Client) httpClient() *http.Client {
	if c.HTTPClient == nil {
		return defaultHTTPClient
	}
	return c.HTTPClient
}

func (c *Client) maxWait() time.Duration {
	if c.MaxWait <= 0 {
		return 2 * time.Minute
	}
	return c.MaxWait
}

func (c *Client) concurrency() int {
	if c.Concurrency <= 0 {
		return 8
	}
	return c.Concurrency
}

func (c *Client) userAgent() string {
	if c.UserAgent != "" {
		return c.UserAgent
	}
	v, _ := version.Get()
	return "tracegate/" + v
}
