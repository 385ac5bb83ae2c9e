package evidence

import (
	"context"
	"errors"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

const ghRepo = "acme/syringeflow"

func ghClient(t *testing.T, gh *fakegithub.Server) *github.Client {
	t.Helper()
	c, err := githubapi.NewClient(githubapi.Options{APIURL: gh.APIURL(), Token: fakegithub.DefaultToken,
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// upload attaches the bundle as the faces do.
func upload(ctx context.Context, client *github.Client, repo, tag string, b *Bundle) ([]githubapi.UploadedAsset, error) {
	p, err := githubapi.NewPublisher(client, repo)
	if err != nil {
		return nil, err
	}
	return p.UploadReleaseAssets(ctx, tag, b.Assets())
}

func assetNames(as []fakegithub.ReleaseAsset) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	sort.Strings(out)
	return out
}

// The bundle is attached to the release; a second run replaces the
// assets of the same names and leaves every other asset alone.
func TestUpload(t *testing.T) {
	r := sampleRepo(t)
	b := build(t, r.Dir(), "v2.3.0", t.TempDir(), Options{})
	gh := fakegithub.New(t)
	gh.AddRelease(ghRepo, fakegithub.Release{Tag: "v2.3.0"})
	gh.AddRelease(ghRepo, fakegithub.Release{Tag: "v2.2.0"})
	gh.AddReleaseAsset(ghRepo, "v2.3.0", fakegithub.ReleaseAsset{Name: "firmware.bin", ContentType: "application/octet-stream", Data: []byte{1, 2, 3}})
	client := ghClient(t, gh)
	ctx := context.Background()

	up, err := upload(ctx, client, ghRepo, "v2.3.0", b)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"firmware.bin", b.Name + "-report.html", b.Name + "-result.json", b.Name + "-soup.cdx.json", b.Name + ".xlsx", b.Name + ".zip", b.Name + ".zip.sha256"}
	sort.Strings(want)
	assets := gh.ReleaseAssets(ghRepo, "v2.3.0")
	if got := assetNames(assets); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("assets %v, want %v", got, want)
	}
	if len(up) != 6 {
		t.Errorf("uploaded %+v", up)
	}
	for _, u := range up {
		if u.Replaced || u.ID == 0 || !strings.HasSuffix(u.URL, "/releases/download/v2.3.0/"+u.Name) {
			t.Errorf("first upload: %+v", u)
		}
	}
	byName := map[string]fakegithub.ReleaseAsset{}
	for _, a := range assets {
		byName[a.Name] = a
	}
	for _, a := range b.Assets() {
		data, err := os.ReadFile(a.Path)
		if err != nil {
			t.Fatal(err)
		}
		got := byName[a.Name]
		if string(got.Data) != string(data) || got.ContentType != a.MediaType {
			t.Errorf("%s: %d bytes of %s uploaded, the file has %d (%s)", a.Name, len(got.Data), got.ContentType, len(data), a.MediaType)
		}
	}
	if n := gh.Count("DELETE", "/api/v3/repos/acme/syringeflow/releases/assets/*"); n != 0 {
		t.Errorf("%d assets deleted on the first upload", n)
	}

	// The second run: the bundle made again and uploaded again.
	gh.ResetLog()
	b = build(t, r.Dir(), "v2.3.0", t.TempDir(), Options{Date: time.Unix(1700000000, 0)})
	up, err = upload(ctx, client, ghRepo, "v2.3.0", b)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range up {
		if !u.Replaced {
			t.Errorf("%s was not replaced", u.Name)
		}
	}
	assets = gh.ReleaseAssets(ghRepo, "v2.3.0")
	if got := assetNames(assets); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("after the second upload: %v", got)
	}
	zip, _ := os.ReadFile(b.Zip)
	for _, a := range assets {
		if a.Name == b.Name+".zip" && string(a.Data) != string(zip) {
			t.Error("the zip on the release is not the new one")
		}
		if a.Name == "firmware.bin" && string(a.Data) != "\x01\x02\x03" {
			t.Error("another asset was changed")
		}
	}
	if n := gh.Count("DELETE", "/api/v3/repos/acme/syringeflow/releases/assets/*"); n != 6 {
		t.Errorf("%d deletes, want 6", n)
	}
	if n := gh.Count("POST", "/api/uploads/repos/acme/syringeflow/releases/*/assets"); n != 6 {
		t.Errorf("%d uploads, want 6", n)
	}
	if got := gh.ReleaseAssets(ghRepo, "v2.2.0"); len(got) != 0 {
		t.Errorf("another release got assets: %v", assetNames(got))
	}
	for _, req := range gh.Requests() {
		if req.Method != "GET" && req.Method != "DELETE" && !(req.Method == "POST" && strings.HasPrefix(req.Path, "/api/uploads/")) {
			t.Errorf("unexpected request %s %s", req.Method, req.Path)
		}
	}
}

func TestUploadFindsDraft(t *testing.T) {
	r := sampleRepo(t)
	b := build(t, r.Dir(), "v2.3.0", t.TempDir(), Options{})
	gh := fakegithub.New(t)
	gh.AddRelease(ghRepo, fakegithub.Release{Tag: "v2.3.0", Draft: true})
	if _, err := upload(context.Background(), ghClient(t, gh), ghRepo, "v2.3.0", b); err != nil {
		t.Fatal(err)
	}
	if n := len(gh.ReleaseAssets(ghRepo, "v2.3.0")); n != 6 {
		t.Errorf("%d assets on the draft", n)
	}
}

func TestUploadFailures(t *testing.T) {
	r := sampleRepo(t)
	b := build(t, r.Dir(), "v2.3.0", t.TempDir(), Options{})
	ctx := context.Background()

	t.Run("no release: nothing is created", func(t *testing.T) {
		gh := fakegithub.New(t)
		gh.AddRelease(ghRepo, fakegithub.Release{Tag: "v1.0.0"})
		_, err := upload(ctx, ghClient(t, gh), ghRepo, "v2.3.0", b)
		if !errors.Is(err, githubapi.ErrNoRelease) || !strings.Contains(err.Error(), "create the release first") {
			t.Errorf("err = %v", err)
		}
		for _, req := range gh.Requests() {
			if req.Method != "GET" {
				t.Errorf("%s %s without a release", req.Method, req.Path)
			}
		}
	})
	t.Run("rate limited upload is sent again", func(t *testing.T) {
		gh := fakegithub.New(t)
		gh.AddRelease(ghRepo, fakegithub.Release{Tag: "v2.3.0"})
		gh.FailNext("/api/uploads/repos/acme/syringeflow/releases/*/assets", http.StatusTooManyRequests, http.Header{"Retry-After": {"1"}}, 1)
		if _, err := upload(ctx, ghClient(t, gh), ghRepo, "v2.3.0", b); err != nil {
			t.Fatal(err)
		}
		if n := gh.Count("POST", "/api/uploads/repos/acme/syringeflow/releases/*/assets"); n != 7 {
			t.Errorf("%d upload requests, want 6 and one retry", n)
		}
		if n := len(gh.ReleaseAssets(ghRepo, "v2.3.0")); n != 6 {
			t.Errorf("%d assets", n)
		}
	})
	t.Run("refused upload is an error", func(t *testing.T) {
		gh := fakegithub.New(t)
		gh.AddRelease(ghRepo, fakegithub.Release{Tag: "v2.3.0"})
		gh.Inject(fakegithub.Fault{Method: "POST", Path: "/api/uploads/repos/acme/syringeflow/releases/*/assets", Status: http.StatusUnprocessableEntity,
			Body: `{"message":"Validation Failed","errors":[{"resource":"ReleaseAsset","code":"custom","field":"name"}]}`})
		_, err := upload(ctx, ghClient(t, gh), ghRepo, "v2.3.0", b)
		if err == nil || !strings.Contains(err.Error(), "422") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("no tag, no bundle, bad repository", func(t *testing.T) {
		gh := fakegithub.New(t)
		c := ghClient(t, gh)
		if _, err := upload(ctx, c, ghRepo, "", b); err == nil {
			t.Error("a candidate was uploaded")
		}
		if _, err := upload(ctx, c, ghRepo, "v2.3.0", &Bundle{}); err == nil {
			t.Error("an unwritten bundle was uploaded")
		}
		if _, err := upload(ctx, c, "acme", "v2.3.0", b); err == nil {
			t.Error("a repository without owner")
		}
		if len(gh.Requests()) != 0 {
			t.Errorf("requests made: %v", gh.Requests())
		}
	})
}
