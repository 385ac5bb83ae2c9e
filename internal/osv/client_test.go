package osv

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// cassette is the recorded osv.dev exchange (go-vcr v2 format).
type cassette struct {
	Interactions []struct {
		Request struct {
			Body   string `yaml:"body"`
			URL    string `yaml:"url"`
			Method string `yaml:"method"`
		} `yaml:"request"`
		Response struct {
			Body string `yaml:"body"`
			Code int    `yaml:"code"`
		} `yaml:"response"`
	} `yaml:"interactions"`
}

func loadCassette(t testing.TB) (req batchRequest, resp batchResponse, rawReq, rawResp string) {
	t.Helper()
	var c cassette
	if err := yaml.Unmarshal(readCorpus(t, "api/osv-scanner__TestCommand_PURL_SBOM_case_sensitivity_api.yaml"), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Interactions) != 1 || c.Interactions[0].Request.URL != "https://api.osv.dev/v1/querybatch" || c.Interactions[0].Request.Method != "POST" {
		t.Fatalf("unexpected cassette: %+v", c)
	}
	in := c.Interactions[0]
	if err := json.Unmarshal([]byte(in.Request.Body), &req); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(in.Response.Body), &resp); err != nil {
		t.Fatal(err)
	}
	return req, resp, in.Request.Body, in.Response.Body
}

// fakeOSV is osv.dev on loopback: querybatch answers from a table keyed by
// query, vulns from a table of records; hooks inject failures. It logs
// every request.
type fakeOSV struct {
	t       *testing.T
	mu      sync.Mutex
	answers map[apiQuery]batchResult // by query (page token included)
	records map[string]string        // id → record JSON
	batch   func(n int, w http.ResponseWriter, body []byte) bool
	vuln    func(n int, w http.ResponseWriter, id string) bool
	batches [][]byte // request bodies
	gets    []string
	agents  []string
}

func (f *fakeOSV) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.agents = append(f.agents, r.UserAgent())
	f.mu.Unlock()
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v1/querybatch":
		f.mu.Lock()
		f.batches = append(f.batches, body)
		n := len(f.batches)
		f.mu.Unlock()
		if r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "content type", http.StatusBadRequest)
			return
		}
		if f.batch != nil && f.batch(n, w, body) {
			return
		}
		var req batchRequest
		if err := json.Unmarshal(body, &req); err != nil || len(req.Queries) > MaxQueriesPerBatch {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		resp := batchResponse{Results: make([]batchResult, len(req.Queries))}
		for i, q := range req.Queries {
			resp.Results[i] = f.answers[q]
		}
		json.NewEncoder(w).Encode(resp)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/vulns/"):
		id := strings.TrimPrefix(r.URL.Path, "/v1/vulns/")
		f.mu.Lock()
		f.gets = append(f.gets, id)
		n := len(f.gets)
		f.mu.Unlock()
		if f.vuln != nil && f.vuln(n, w, id) {
			return
		}
		rec, ok := f.records[id]
		if !ok {
			http.Error(w, `{"code":5,"message":"Bug not found."}`, http.StatusNotFound)
			return
		}
		io.WriteString(w, rec)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeOSV) client(t *testing.T) (*Client, *[]time.Duration) {
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	var sleeps []time.Duration
	var mu sync.Mutex
	return &Client{BaseURL: srv.URL, HTTPClient: srv.Client(), sleep: func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		sleeps = append(sleeps, d)
		mu.Unlock()
		return ctx.Err()
	}}, &sleeps
}

// The 14 apk components of testdata/sbom/cyclonedx/xml/osv-scanner__alpine.cdx.xml,
// whose osv.dev lookup the cassette recorded.
var alpinePURLs = []string{
	"pkg:apk/alpine/alpine-baselayout@3.4.0-r0?arch=x86_64&upstream=alpine-baselayout&distro=alpine-3.17.2",
	"pkg:apk/alpine/alpine-baselayout-data@3.4.0-r0?arch=x86_64&upstream=alpine-baselayout&distro=alpine-3.17.2",
	"pkg:apk/alpine/alpine-keys@2.4-r1?arch=x86_64&upstream=alpine-keys&distro=alpine-3.17.2",
	"pkg:apk/alpine/apk-tools@2.12.10-r1?arch=x86_64&upstream=apk-tools&distro=alpine-3.17.2",
	"pkg:apk/alpine/busybox-binsh@1.36.1-r27?arch=x86_64&upstream=busybox&distro=alpine-3.17.2",
	"pkg:apk/alpine/ca-certificates-bundle@20220614-r4?arch=x86_64&upstream=ca-certificates&distro=alpine-3.17.2",
	"pkg:apk/alpine/libc-utils@0.7.2-r3?arch=x86_64&upstream=libc-dev&distro=alpine-3.17.2",
	"pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&upstream=openssl&distro=alpine-3.17.2",
	"pkg:apk/alpine/libssl3@3.0.8-r0?arch=x86_64&upstream=openssl&distro=alpine-3.17.2",
	"pkg:apk/alpine/musl@1.2.3-r4?arch=x86_64&upstream=musl&distro=alpine-3.17.2",
	"pkg:apk/alpine/musl-utils@1.2.3-r4?arch=x86_64&upstream=musl&distro=alpine-3.17.2",
	"pkg:apk/alpine/scanelf@1.3.5-r1?arch=x86_64&upstream=pax-utils&distro=alpine-3.17.2",
	"pkg:apk/alpine/ssl_client@1.36.1-r27?arch=x86_64&upstream=busybox&distro=alpine-3.17.2",
	"pkg:apk/alpine/zlib@1.2.10-r0?arch=x86_64&upstream=zlib&distro=alpine-3.17.2",
}

// replayCassette serves the recorded answers. The cassette holds ids
// only; the records the client then fetches are stand-ins carrying the
// recorded id and modified date and nothing else, so whatever the client
// reports about them comes from osv.dev's word, not from matching.
func replayCassette(t *testing.T) *fakeOSV {
	req, resp, _, _ := loadCassette(t)
	f := &fakeOSV{t: t, answers: map[apiQuery]batchResult{}, records: map[string]string{}}
	for i, q := range req.Queries {
		f.answers[q] = resp.Results[i]
		for _, v := range resp.Results[i].Vulns {
			f.records[v.ID] = fmt.Sprintf(`{"id":%q,"modified":%q,"summary":"stand-in: the cassette holds ids only"}`, v.ID, v.Modified)
		}
	}
	return f
}

func TestClientCassette(t *testing.T) {
	recorded, _, rawReq, _ := loadCassette(t)
	t.Run("same request as recorded", func(t *testing.T) {
		// The packages as osv-scanner queried them: by binary name.
		var pkgs []Package
		for _, q := range recorded.Queries {
			pkgs = append(pkgs, Package{Ecosystem: q.Package.Ecosystem, Name: q.Package.Name, Version: q.Version})
		}
		f := replayCassette(t)
		c, _ := f.client(t)
		rep, err := c.Query(context.Background(), pkgs)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.batches) != 1 {
			t.Fatalf("%d querybatch requests", len(f.batches))
		}
		var got, want any
		json.Unmarshal(f.batches[0], &got)
		json.Unmarshal([]byte(rawReq), &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("request differs from the recorded one:\n got %s\nwant %s", f.batches[0], rawReq)
		}
		for _, a := range f.agents {
			if !strings.HasPrefix(a, "tracegate/") {
				t.Errorf("User-Agent %q", a)
			}
		}
		byName := map[string][]string{}
		for _, r := range rep.Results {
			if r.Status != Checked {
				t.Errorf("%s: %s %s", r.Package, r.Status, r.Reason)
			}
			byName[r.Package.Name] = ids(r.Anomalies)
		}
		if !slices.Equal(byName["musl"], []string{"ALPINE-CVE-2025-26519"}) ||
			!slices.Equal(byName["zlib"], []string{"ALPINE-CVE-2018-25032", "ALPINE-CVE-2022-37434"}) ||
			len(byName["libcrypto3"]) != 0 {
			t.Errorf("anomalies = %v", byName)
		}
		slices.Sort(f.gets)
		if !slices.Equal(f.gets, []string{"ALPINE-CVE-2018-25032", "ALPINE-CVE-2022-37434", "ALPINE-CVE-2025-26519"}) {
			t.Errorf("records fetched: %v", f.gets)
		}
	})
	t.Run("from the SBOM's purls", func(t *testing.T) {
		var pkgs []Package
		for _, p := range alpinePURLs {
			pkgs = append(pkgs, Package{PURL: p})
		}
		f := replayCassette(t)
		c, _ := f.client(t)
		rep, err := c.Query(context.Background(), pkgs)
		if err != nil {
			t.Fatal(err)
		}
		var sent batchRequest
		json.Unmarshal(f.batches[0], &sent)
		// Every recorded query is sent as recorded (ecosystem Alpine:v3.17
		// from distro=alpine-3.17.2) …
		for _, q := range recorded.Queries {
			if !slices.Contains(sent.Queries, q) {
				t.Errorf("recorded query %+v not sent", q)
			}
		}
		// … and the source packages of the binary packages, once each,
		// which is where Alpine files openssl's anomalies.
		var extra []string
		for _, q := range sent.Queries {
			if !slices.Contains(recorded.Queries, q) {
				extra = append(extra, q.Package.Name+"@"+q.Version)
			}
		}
		if want := []string{"busybox@1.36.1-r27", "ca-certificates@20220614-r4", "libc-dev@0.7.2-r3", "openssl@3.0.8-r0", "pax-utils@1.3.5-r1"}; !slices.Equal(extra, want) {
			t.Errorf("extra queries %v, want %v", extra, want)
		}
		got := map[string][]string{}
		for i, r := range rep.Results {
			if r.Status != Checked {
				t.Errorf("%s: %s", alpinePURLs[i], r.Reason)
			}
			got[r.Coordinates[0].Name] = ids(r.Anomalies)
		}
		// musl-utils is built from musl: musl's anomaly is its anomaly.
		if !slices.Equal(got["musl-utils"], []string{"ALPINE-CVE-2025-26519"}) || !slices.Equal(got["musl"], got["musl-utils"]) ||
			len(got["zlib"]) != 2 {
			t.Errorf("anomalies = %v", got)
		}
		for _, r := range rep.Results {
			for _, m := range r.Anomalies {
				if !strings.Contains(m.Evidence, "osv.dev reports") {
					t.Errorf("evidence %q", m.Evidence)
				}
			}
		}
	})
}

func TestClientFailures(t *testing.T) {
	gogo := Package{PURL: "pkg:golang/github.com/gogo/protobuf@v1.3.1"}
	gogoRec := string(readCorpus(t, "records/osv-scalibr__GO-2021-0053.json"))
	gogoQuery := apiQuery{Package: apiPackage{Ecosystem: "Go", Name: "github.com/gogo/protobuf"}, Version: "1.3.1"}
	hit := batchResult{Vulns: []struct {
		ID       string `json:"id"`
		Modified string `json:"modified"`
	}{{ID: "GO-2021-0053"}}}
	for _, tc := range []struct {
		name     string
		attempts int
		batch    func(n int, w http.ResponseWriter, body []byte) bool
		vuln     func(n int, w http.ResponseWriter, id string) bool
		wantErr  string
		sleeps   []time.Duration // exact waits, when they are the server's
		nsleeps  int
		nbatches int
	}{
		{name: "429 then success", batch: func(n int, w http.ResponseWriter, _ []byte) bool {
			if n == 1 {
				w.Header().Set("Retry-After", "7")
				w.WriteHeader(http.StatusTooManyRequests)
				return true
			}
			return false
		}, sleeps: []time.Duration{7 * time.Second}, nbatches: 2},
		{name: "503 then success, backoff", batch: func(n int, w http.ResponseWriter, _ []byte) bool {
			if n <= 2 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return true
			}
			return false
		}, nsleeps: 2, nbatches: 3},
		{name: "500 until the budget is spent", attempts: 3, batch: func(n int, w http.ResponseWriter, _ []byte) bool {
			http.Error(w, "boom", http.StatusInternalServerError)
			return true
		}, wantErr: "no answer after 3 attempts: 500 Internal Server Error: boom", nsleeps: 2, nbatches: 3},
		{name: "Retry-After too long", batch: func(n int, w http.ResponseWriter, _ []byte) bool {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		}, wantErr: "asks to wait 1h0m0s", nbatches: 1},
		{name: "400 is not retried", batch: func(n int, w http.ResponseWriter, _ []byte) bool {
			http.Error(w, `{"message":"Invalid ecosystem"}`, http.StatusBadRequest)
			return true
		}, wantErr: "400 Bad Request", nbatches: 1},
		{name: "invalid JSON", batch: func(n int, w http.ResponseWriter, _ []byte) bool {
			io.WriteString(w, `{"results":[{"vulns":[`)
			return true
		}, wantErr: "not the expected JSON", nbatches: 1},
		{name: "fewer results than queries", batch: func(n int, w http.ResponseWriter, _ []byte) bool {
			io.WriteString(w, `{"results":[]}`)
			return true
		}, wantErr: "0 results for 1 queries", nbatches: 1},
		{name: "no results at all", batch: func(n int, w http.ResponseWriter, _ []byte) bool {
			io.WriteString(w, `{}`)
			return true
		}, wantErr: "0 results for 1 queries", nbatches: 1},
		{name: "vuln without id", batch: func(n int, w http.ResponseWriter, _ []byte) bool {
			io.WriteString(w, `{"results":[{"vulns":[{"modified":"2024-01-01T00:00:00Z"}]}]}`)
			return true
		}, wantErr: "without an id", nbatches: 1},
		{name: "record gone", vuln: func(n int, w http.ResponseWriter, id string) bool {
			http.Error(w, "not found", http.StatusNotFound)
			return true
		}, wantErr: "GO-2021-0053: 404", nbatches: 1},
		{name: "record 502 then ok", vuln: func(n int, w http.ResponseWriter, id string) bool {
			if n == 1 {
				w.WriteHeader(http.StatusBadGateway)
				return true
			}
			return false
		}, nsleeps: 1, nbatches: 1},
		{name: "record not JSON", vuln: func(n int, w http.ResponseWriter, id string) bool {
			io.WriteString(w, "<html>maintenance</html>")
			return true
		}, wantErr: "not an OSV record", nbatches: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeOSV{t: t, answers: map[apiQuery]batchResult{gogoQuery: hit}, records: map[string]string{"GO-2021-0053": gogoRec},
				batch: tc.batch, vuln: tc.vuln}
			c, sleeps := f.client(t)
			c.MaxAttempts = tc.attempts
			rep, err := c.Query(context.Background(), []Package{gogo})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if rep != nil {
					t.Error("a report came with the error")
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				r := rep.Results[0]
				if r.Status != Checked || !slices.Equal(ids(r.Anomalies), []string{"GO-2021-0053"}) {
					t.Errorf("%s %v", r.Status, ids(r.Anomalies))
				}
				// The record is matched locally too: the evidence is the range.
				if ev := r.Anomalies[0].Evidence; !strings.Contains(ev, "fixed 1.3.2") {
					t.Errorf("evidence %q", ev)
				}
			}
			if tc.sleeps != nil && !slices.Equal(*sleeps, tc.sleeps) {
				t.Errorf("waits %v, want %v", *sleeps, tc.sleeps)
			}
			if tc.sleeps == nil && len(*sleeps) != tc.nsleeps {
				t.Errorf("waits %v, want %d", *sleeps, tc.nsleeps)
			}
			if len(f.batches) != tc.nbatches {
				t.Errorf("%d querybatch requests, want %d", len(f.batches), tc.nbatches)
			}
		})
	}
}

func TestClientBatchesAndPages(t *testing.T) {
	t.Run("1001 packages, two batches", func(t *testing.T) {
		var pkgs []Package
		for i := range 1001 {
			pkgs = append(pkgs, Package{PURL: fmt.Sprintf("pkg:npm/pkg-%d@1.0.%d", i, i)})
		}
		last := apiQuery{Package: apiPackage{Ecosystem: "npm", Name: "pkg-1000"}, Version: "1.0.1000"}
		f := &fakeOSV{t: t, answers: map[apiQuery]batchResult{last: {Vulns: []struct {
			ID       string `json:"id"`
			Modified string `json:"modified"`
		}{{ID: "GHSA-last"}}}}, records: map[string]string{
			"GHSA-last": `{"id":"GHSA-last","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"pkg-1000"},"versions":["1.0.1000"]}]}`,
		}}
		c, _ := f.client(t)
		rep, err := c.Query(context.Background(), pkgs)
		if err != nil {
			t.Fatal(err)
		}
		var sizes []int
		for _, b := range f.batches {
			var req batchRequest
			json.Unmarshal(b, &req)
			sizes = append(sizes, len(req.Queries))
		}
		if !slices.Equal(sizes, []int{1000, 1}) {
			t.Errorf("batch sizes %v", sizes)
		}
		for i, r := range rep.Results {
			want := 0
			if i == 1000 {
				want = 1
			}
			if r.Status != Checked || len(r.Anomalies) != want {
				t.Fatalf("%d: %s %v", i, r.Status, ids(r.Anomalies))
			}
		}
		if !strings.Contains(rep.Results[1000].Anomalies[0].Evidence, "listed") {
			t.Errorf("evidence %q", rep.Results[1000].Anomalies[0].Evidence)
		}
	})
	t.Run("pages", func(t *testing.T) {
		q := apiQuery{Package: apiPackage{Ecosystem: "PyPI", Name: "requests"}, Version: "2.30.0"}
		q2, q3 := q, q
		q2.PageToken, q3.PageToken = "page-2", "page-3"
		vulns := func(id string) []struct {
			ID       string `json:"id"`
			Modified string `json:"modified"`
		} {
			return []struct {
				ID       string `json:"id"`
				Modified string `json:"modified"`
			}{{ID: id}}
		}
		rec := func(id string) string {
			return `{"id":"` + id + `","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"requests"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}`
		}
		f := &fakeOSV{t: t,
			answers: map[apiQuery]batchResult{
				q:  {Vulns: vulns("PYSEC-1"), NextPageToken: "page-2"},
				q2: {Vulns: vulns("PYSEC-2"), NextPageTokenCamel: "page-3"},
				q3: {Vulns: vulns("PYSEC-1")}, // repeated across pages: once
			},
			records: map[string]string{"PYSEC-1": rec("PYSEC-1"), "PYSEC-2": rec("PYSEC-2")},
		}
		c, _ := f.client(t)
		rep, err := c.Query(context.Background(), []Package{{PURL: "pkg:pypi/requests@2.30.0"}, {PURL: "pkg:pypi/flask@2.0.0"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(f.batches) != 3 {
			t.Fatalf("%d requests", len(f.batches))
		}
		var second batchRequest
		json.Unmarshal(f.batches[1], &second)
		if len(second.Queries) != 1 || second.Queries[0] != q2 {
			t.Errorf("second request %s", f.batches[1])
		}
		if got := ids(rep.Results[0].Anomalies); !slices.Equal(got, []string{"PYSEC-1", "PYSEC-2"}) {
			t.Errorf("anomalies %v", got)
		}
		if len(rep.Results[1].Anomalies) != 0 || rep.Results[1].Status != Checked {
			t.Errorf("flask: %+v", rep.Results[1])
		}
	})
	t.Run("endless pages", func(t *testing.T) {
		n := 0
		f := &fakeOSV{t: t, batch: func(_ int, w http.ResponseWriter, _ []byte) bool {
			n++
			fmt.Fprintf(w, `{"results":[{"next_page_token":"p%d"}]}`, n)
			return true
		}}
		c, _ := f.client(t)
		if _, err := c.Query(context.Background(), []Package{{PURL: "pkg:pypi/requests@2.30.0"}}); err == nil || !strings.Contains(err.Error(), "incomplete") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("not checked packages are not sent", func(t *testing.T) {
		f := &fakeOSV{t: t}
		c, _ := f.client(t)
		rep, err := c.Query(context.Background(), []Package{{PURL: "pkg:generic/x@1"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(f.batches) != 0 || rep.Results[0].Status != NotChecked {
			t.Errorf("%d requests, %+v", len(f.batches), rep.Results[0])
		}
	})
	t.Run("withdrawn", func(t *testing.T) {
		f := &fakeOSV{t: t, answers: map[apiQuery]batchResult{
			{Package: apiPackage{Ecosystem: "npm", Name: "a"}, Version: "1.0.0"}: {Vulns: []struct {
				ID       string `json:"id"`
				Modified string `json:"modified"`
			}{{ID: "GHSA-w"}}},
		}, records: map[string]string{"GHSA-w": `{"id":"GHSA-w","modified":"2024-01-01T00:00:00Z","withdrawn":"2024-02-01T00:00:00Z"}`}}
		c, _ := f.client(t)
		r := queryOne(t, c, Package{PURL: "pkg:npm/a@1.0.0"})
		if r.Status != Checked || len(r.Anomalies) != 0 || !slices.Equal(ids(r.Withdrawn), []string{"GHSA-w"}) {
			t.Errorf("%+v", r)
		}
	})
}

func TestClientCancel(t *testing.T) {
	f := &fakeOSV{t: t, batch: func(int, http.ResponseWriter, []byte) bool { return false }}
	f.batch = func(_ int, w http.ResponseWriter, _ []byte) bool {
		w.WriteHeader(http.StatusServiceUnavailable)
		return true
	}
	c, _ := f.client(t)
	ctx, cancel := context.WithCancel(context.Background())
	c.sleep = func(ctx context.Context, d time.Duration) error {
		cancel()
		<-ctx.Done()
		return ctx.Err()
	}
	_, err := c.Query(ctx, []Package{{PURL: "pkg:npm/a@1.0.0"}})
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("err = %v", err)
	}
	if len(f.batches) != 1 {
		t.Errorf("%d requests after cancel", len(f.batches))
	}
}
