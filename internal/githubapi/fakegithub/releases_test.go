package fakegithub_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// TestReleases drives the release endpoints through go-github as
// githubapi.NewClient builds it for a GitHub Enterprise Server: its
// UploadReleaseAsset must reach the fake's /api/uploads/ route unchanged.
func TestReleases(t *testing.T) {
	srv := fakegithub.New(t)
	published := srv.AddRelease("octo/hello", fakegithub.Release{Tag: "v1.0.0"})
	draft := srv.AddRelease("octo/hello", fakegithub.Release{Tag: "v1.1.0", Draft: true})
	gh, err := githubapi.NewClient(githubapi.Options{APIURL: srv.APIURL(), Token: fakegithub.DefaultToken})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	status := func(err error) int {
		var e *github.ErrorResponse
		if errors.As(err, &e) {
			return e.Response.StatusCode
		}
		if err != nil {
			t.Fatalf("not an API error: %v", err)
		}
		return 200
	}

	rel, _, err := gh.Repositories.GetReleaseByTag(ctx, "octo", "hello", "v1.0.0")
	if err != nil || rel.GetID() != published || rel.GetDraft() {
		t.Fatalf("by tag: %+v, %v", rel, err)
	}
	if _, _, err := gh.Repositories.GetReleaseByTag(ctx, "octo", "hello", "v1.1.0"); status(err) != 404 {
		t.Errorf("a draft found by its tag: %v", err)
	}
	if _, _, err := gh.Repositories.GetReleaseByTag(ctx, "octo", "hello", "v9"); status(err) != 404 {
		t.Errorf("missing tag: %v", err)
	}
	all, _, err := gh.Repositories.ListReleases(ctx, "octo", "hello", nil)
	if err != nil || len(all) != 2 || all[0].GetID() != draft || all[1].GetID() != published {
		t.Fatalf("list: %v, %v", all, err)
	}

	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, []byte("<p>hi</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	asset, _, err := gh.Repositories.UploadReleaseAsset(ctx, "octo", "hello", published, &github.UploadOptions{Name: "report.html", MediaType: "text/html"}, f)
	if err != nil || asset.GetName() != "report.html" || asset.GetSize() != 9 || asset.GetState() != "uploaded" {
		t.Fatalf("upload: %+v, %v", asset, err)
	}
	if n := srv.Count("POST", "/api/uploads/repos/octo/hello/releases/*/assets"); n != 1 {
		t.Errorf("%d uploads reached /api/uploads/", n)
	}
	got := srv.ReleaseAssets("octo/hello", "v1.0.0")
	if len(got) != 1 || string(got[0].Data) != "<p>hi</p>" || got[0].ContentType != "text/html" {
		t.Fatalf("stored: %+v", got)
	}

	// A second asset of the name is refused, as GitHub refuses it.
	f, err = os.Open(file) // the client closed it
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, _, err = gh.Repositories.UploadReleaseAsset(ctx, "octo", "hello", published, &github.UploadOptions{Name: "report.html", MediaType: "text/html"}, f)
	var e *github.ErrorResponse
	if !errors.As(err, &e) || e.Response.StatusCode != http.StatusUnprocessableEntity || len(e.Errors) != 1 || e.Errors[0].Code != "already_exists" {
		t.Fatalf("duplicate upload: %v", err)
	}

	assets, _, err := gh.Repositories.ListReleaseAssets(ctx, "octo", "hello", published, nil)
	if err != nil || len(assets) != 1 || assets[0].GetID() != asset.GetID() {
		t.Fatalf("assets: %v, %v", assets, err)
	}
	if _, err := gh.Repositories.DeleteReleaseAsset(ctx, "octo", "hello", asset.GetID()); err != nil {
		t.Fatal(err)
	}
	if _, err := gh.Repositories.DeleteReleaseAsset(ctx, "octo", "hello", asset.GetID()); status(err) != 404 {
		t.Errorf("deleting twice: %v", err)
	}
	if assets, _, _ := gh.Repositories.ListReleaseAssets(ctx, "octo", "hello", published, nil); len(assets) != 0 {
		t.Errorf("after delete: %v", assets)
	}
	// An asset of another repository's release is not reachable here.
	if _, _, err := gh.Repositories.ListReleaseAssets(ctx, "octo", "other", published, nil); status(err) != 404 {
		t.Errorf("assets through another repository: %v", err)
	}
}

func TestReleaseShapes(t *testing.T) {
	srv := fakegithub.New(t)
	id := srv.AddRelease("octo/hello", fakegithub.Release{Tag: "v1.0.0", Body: "notes"})
	srv.AddReleaseAsset("octo/hello", "v1.0.0", fakegithub.ReleaseAsset{Name: "a.zip", ContentType: "application/zip", Data: []byte("PK")})
	a := get(t, srv, "/api/v3/repos/octo/hello/releases/tags/v1.0.0", bearer)
	var rel map[string]any
	if err := json.Unmarshal(a.body, &rel); err != nil || a.status != 200 {
		t.Fatalf("%d %v %s", a.status, err, a.body)
	}
	for _, k := range []string{"url", "html_url", "assets_url", "upload_url", "tarball_url", "zipball_url", "id", "node_id", "tag_name",
		"target_commitish", "name", "body", "draft", "prerelease", "created_at", "published_at", "author", "assets"} {
		if _, ok := rel[k]; !ok {
			t.Errorf("release lacks %q", k)
		}
	}
	if want := srv.URL() + "/api/uploads/repos/octo/hello/releases/" + jsonNumber(id) + "/assets{?name,label}"; rel["upload_url"] != want {
		t.Errorf("upload_url = %v, want %s", rel["upload_url"], want)
	}
	assets := rel["assets"].([]any)
	if len(assets) != 1 || assets[0].(map[string]any)["size"] != float64(2) {
		t.Errorf("assets = %v", assets)
	}
	if a := get(t, srv, "/api/v3/repos/octo/hello/releases/tags/v1.0.0", ""); a.status != 401 {
		t.Errorf("without a token: %d", a.status)
	}
}

func jsonNumber(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
