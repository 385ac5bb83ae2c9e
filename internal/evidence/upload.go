package evidence

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/githubapi"
)

// Asset is a file attached to a GitHub release.
type Asset struct {
	// Name is the asset's name on the release; Path the file uploaded.
	Name, Path, MediaType string
}

// Uploaded is an asset as GitHub answered its upload.
type Uploaded struct {
	Name string
	ID   int64
	Size int
	URL  string // browser_download_url
	// Replaced is set when an asset of the same name was deleted first.
	Replaced bool
}

// Assets are the files of the bundle attached to the release: the zip
// (which holds everything, the manifest included) and its SHA-256, and —
// so that a reader can open them from the release page without unzipping
// — the HTML report, the workbook, the gate result and the CycloneDX SOUP
// BOM. Release asset names are flat, so each is named after the bundle:
// NAME.zip, NAME.zip.sha256, NAME-report.html, NAME.xlsx,
// NAME-result.json, NAME-soup.cdx.json.
func (b *Bundle) Assets() []Asset {
	out := []Asset{
		{Name: b.Name + ".zip", Path: b.Zip, MediaType: "application/zip"},
		{Name: b.Name + ".zip.sha256", Path: b.Zip + ".sha256", MediaType: "text/plain"},
		{Name: b.Name + "-report.html", Path: filepath.Join(b.Dir, ReportFile), MediaType: "text/html"},
		{Name: b.Name + ".xlsx", Path: filepath.Join(b.Dir, WorkbookFile), MediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{Name: b.Name + "-result.json", Path: filepath.Join(b.Dir, ResultFile), MediaType: "application/json"},
	}
	for _, f := range b.Files {
		if f.Path == SOUPCycloneDX {
			out = append(out, Asset{Name: b.Name + "-soup.cdx.json", Path: filepath.Join(b.Dir, filepath.FromSlash(SOUPCycloneDX)), MediaType: "application/vnd.cyclonedx+json"})
		}
	}
	return out
}

// ErrNoRelease is returned by Upload when the repository has no release
// for the tag: tracegate attaches assets to a release, it creates none.
var ErrNoRelease = errors.New("no GitHub release for the tag")

// Upload attaches the bundle's assets (Bundle.Assets) to the GitHub
// release of tag in repo (owner/name), replacing assets of the same name —
// GitHub refuses a second asset of a name, so the earlier one is deleted
// first — and touching nothing else: no release is created or edited, no
// other asset removed. A draft release is found among the releases when
// GitHub's lookup by tag, which sees published releases only, does not.
func Upload(ctx context.Context, client *github.Client, repo, tag string, b *Bundle) ([]Uploaded, error) {
	if tag == "" {
		return nil, errors.New("a release candidate has no GitHub release to upload to: give --tag")
	}
	if b == nil || b.Dir == "" || b.Zip == "" {
		return nil, errors.New("no bundle was written: nothing to upload")
	}
	return UploadAssets(ctx, client, repo, tag, b.Assets())
}

// UploadAssets attaches assets to the release of tag as Upload does.
func UploadAssets(ctx context.Context, client *github.Client, repo, tag string, assets []Asset) ([]Uploaded, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return nil, fmt.Errorf("repository %q is not owner/name", repo)
	}
	rel, err := findRelease(ctx, client, owner, name, tag)
	if err != nil {
		return nil, err
	}
	existing, err := listAssets(ctx, client, owner, name, rel.GetID())
	if err != nil {
		return nil, err
	}
	var out []Uploaded
	for _, a := range assets {
		data, err := os.ReadFile(a.Path)
		if err != nil {
			return out, fmt.Errorf("asset %s: %w", a.Name, err)
		}
		up, err := replaceAsset(ctx, client, owner, name, rel.GetID(), existing, a, data)
		if err != nil {
			return out, fmt.Errorf("uploading %s to the release %s of %s: %w", a.Name, tag, repo, err)
		}
		out = append(out, up)
	}
	return out, nil
}

func findRelease(ctx context.Context, client *github.Client, owner, name, tag string) (*github.RepositoryRelease, error) {
	rel, _, err := client.Repositories.GetReleaseByTag(ctx, owner, name, tag)
	if err == nil {
		return rel, nil
	}
	if !isStatus(err, http.StatusNotFound) {
		return nil, fmt.Errorf("looking up the release %s of %s/%s: %w", tag, owner, name, err)
	}
	all, err := githubapi.All(ctx, 0, func(ctx context.Context, page int) ([]*github.RepositoryRelease, *github.Response, error) {
		return client.Repositories.ListReleases(ctx, owner, name, &github.ListOptions{Page: page, PerPage: githubapi.PerPage})
	})
	if err != nil {
		return nil, fmt.Errorf("listing the releases of %s/%s: %w", owner, name, err)
	}
	for _, r := range all {
		if r.GetTagName() == tag {
			return r, nil
		}
	}
	return nil, fmt.Errorf("%w %s in %s/%s: create the release first (tracegate attaches its evidence to an existing release and creates none)", ErrNoRelease, tag, owner, name)
}

func listAssets(ctx context.Context, client *github.Client, owner, name string, id int64) (map[string]int64, error) {
	all, err := githubapi.All(ctx, 0, func(ctx context.Context, page int) ([]*github.ReleaseAsset, *github.Response, error) {
		return client.Repositories.ListReleaseAssets(ctx, owner, name, id, &github.ListOptions{Page: page, PerPage: githubapi.PerPage})
	})
	if err != nil {
		return nil, fmt.Errorf("listing the assets of release %d: %w", id, err)
	}
	out := map[string]int64{}
	for _, a := range all {
		out[a.GetName()] = a.GetID()
	}
	return out, nil
}

// replaceAsset deletes the asset of the same name, if any, and uploads
// the new one. Should the upload meet an asset of that name all the same
// (another run uploading at the same time, or an upload that GitHub took
// although its answer was lost), the list is read again and the upload
// made once more.
func replaceAsset(ctx context.Context, client *github.Client, owner, name string, release int64, existing map[string]int64, a Asset, data []byte) (Uploaded, error) {
	replaced := false
	for attempt := 1; ; attempt++ {
		if id, ok := existing[a.Name]; ok {
			if _, err := client.Repositories.DeleteReleaseAsset(ctx, owner, name, id); err != nil && !isStatus(err, http.StatusNotFound) {
				return Uploaded{}, fmt.Errorf("deleting the earlier asset: %w", err)
			}
			delete(existing, a.Name)
			replaced = true
		}
		asset, err := uploadAsset(ctx, client, owner, name, release, a, data)
		if err == nil {
			return Uploaded{Name: asset.GetName(), ID: asset.GetID(), Size: asset.GetSize(), URL: asset.GetBrowserDownloadURL(), Replaced: replaced}, nil
		}
		if attempt > 1 || !isStatus(err, http.StatusUnprocessableEntity) {
			return Uploaded{}, err
		}
		fresh, lerr := listAssets(ctx, client, owner, name, release)
		if lerr != nil {
			return Uploaded{}, errors.Join(err, lerr)
		}
		if _, ok := fresh[a.Name]; !ok {
			return Uploaded{}, err // refused for another reason
		}
		for k, v := range fresh {
			existing[k] = v
		}
	}
}

// uploadAsset posts the asset to the uploads host (go-github's UploadURL,
// /api/uploads/ on GitHub Enterprise Server). The body is a bytes.Reader,
// so that the retrying transport can send it again after a rate limit;
// go-github's UploadReleaseAsset would take an *os.File, which it cannot,
// and would guess the media type from the machine's MIME tables.
func uploadAsset(ctx context.Context, client *github.Client, owner, name string, release int64, a Asset, data []byte) (*github.ReleaseAsset, error) {
	u := fmt.Sprintf("repos/%s/%s/releases/%d/assets?name=%s", url.PathEscape(owner), url.PathEscape(name), release, url.QueryEscape(a.Name))
	req, err := client.NewUploadRequest(u, bytes.NewReader(data), int64(len(data)), a.MediaType)
	if err != nil {
		return nil, err
	}
	asset := new(github.ReleaseAsset)
	if _, err := client.Do(ctx, req, asset); err != nil {
		return nil, err
	}
	return asset, nil
}

func isStatus(err error, status int) bool {
	var e *github.ErrorResponse
	return errors.As(err, &e) && e.Response != nil && e.Response.StatusCode == status
}
