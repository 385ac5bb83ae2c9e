package githubapi

import (
	"bytes"
	"container/list"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
)

// ETags keeps GitHub's answers to GET requests with their entity tags, so
// that a repeated read asks with If-None-Match: an unchanged resource
// answers 304 Not Modified, which GitHub does not count against the rate
// limit, and the kept answer is served. The App keeps one per
// installation (Options.ETags) and re-evaluates a pull request whose
// issue, runs or tags have not changed for no rate limit at all. The kept
// body is only ever served on GitHub's 304, which GitHub gives only to a
// caller that may read the resource. Bounded in bytes, least recently
// used out first; safe for concurrent use.
type ETags struct {
	max  int64
	mu   sync.Mutex
	used int64
	ll   *list.List
	byID map[string]*list.Element

	// Revalidated counts the answers served from the cache on a 304.
	Revalidated atomic.Int64
}

type etagEntry struct {
	key    string
	etag   string
	header http.Header
	body   []byte
}

// maxETagBody bounds one kept answer: lists and issues, not archives.
const maxETagBody = 4 << 20

// NewETags returns a cache of at most maxBytes of answers (8 MiB when <=
// 0).
func NewETags(maxBytes int64) *ETags {
	if maxBytes <= 0 {
		maxBytes = 8 << 20
	}
	return &ETags{max: maxBytes, ll: list.New(), byID: map[string]*list.Element{}}
}

// key is what names a representation: the URL and the media type asked
// for (the bare SHA and the JSON of a commit share a URL).
func etagKey(req *http.Request) string {
	return req.URL.String() + "\x00" + req.Header.Get("Accept")
}

func (c *ETags) get(key string) *etagEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[key]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*etagEntry)
	}
	return nil
}

func (c *ETags) put(en *etagEntry) {
	size := int64(len(en.body) + len(en.key) + 256)
	if size > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[en.key]; ok {
		old := e.Value.(*etagEntry)
		c.used -= int64(len(old.body) + len(old.key) + 256)
		c.ll.Remove(e)
	}
	c.byID[en.key] = c.ll.PushFront(en)
	c.used += size
	for c.used > c.max {
		e := c.ll.Back()
		old := e.Value.(*etagEntry)
		c.ll.Remove(e)
		delete(c.byID, old.key)
		c.used -= int64(len(old.body) + len(old.key) + 256)
	}
}

// conditional is the RoundTripper that uses an ETags.
type conditional struct {
	tags *ETags
	base http.RoundTripper
}

func (t *conditional) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet || req.Header.Get("If-None-Match") != "" || req.Header.Get("Range") != "" {
		return t.base.RoundTrip(req)
	}
	key := etagKey(req)
	kept := t.tags.get(key)
	if kept != nil {
		r := req.Clone(req.Context())
		r.Header.Set("If-None-Match", kept.etag)
		req = r
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && kept != nil:
		resp.Body.Close()
		t.tags.Revalidated.Add(1)
		// The kept answer, with the fresh headers GitHub sent (rate
		// limits, the tag).
		h := kept.header.Clone()
		for k, vs := range resp.Header {
			h[k] = vs
		}
		h.Set("Content-Length", strconv.Itoa(len(kept.body)))
		out := *resp
		out.StatusCode, out.Status = http.StatusOK, "200 OK"
		out.Header = h
		out.Body = io.NopCloser(bytes.NewReader(kept.body))
		out.ContentLength = int64(len(kept.body))
		return &out, nil
	case resp.StatusCode == http.StatusOK && resp.Header.Get("ETag") != "":
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxETagBody+1))
		rest := resp.Body
		if err != nil || len(body) > maxETagBody {
			// Too large to keep (or broken): hand it on as it is.
			resp.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(body), rest), rest}
			return resp, nil
		}
		rest.Close()
		t.tags.put(&etagEntry{key: key, etag: resp.Header.Get("ETag"), header: resp.Header.Clone(), body: body})
		resp.Body = io.NopCloser(bytes.NewReader(body))
		return resp, nil
	}
	return resp, nil
}
