package githubapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"

	"github.com/google/go-github/v60/github"
	"github.com/tracegate/tracegate/internal/logctx"
)

// ReleaseAsset is a file to attach to a GitHub release.
type ReleaseAsset struct {
	// Name is the asset's name on the release; Path the file uploaded.
	Name, Path, MediaType string
}

// UploadedAsset is an asset as GitHub answered its upload.
type UploadedAsset struct {
	Name string
	ID   int64
	Size int
	URL  string // browser_download_url
	// Replaced is set when an asset of the same name was deleted first.
	Replaced bool
}

// ErrNoRelease is returned by UploadReleaseAssets when the repository has
// no release for the tag: tracegate attaches assets to a release, it
// creates none.
var ErrNoRelease = errors.New("no GitHub release for the tag")

// UploadReleaseAssets attaches assets to the GitHub release of tag,
// replacing assets of the same name — GitHub refuses a second asset of a
// name, so the earlier one is deleted first — and touching nothing else:
// no release is created or edited, no other asset removed. A draft
// release is found among the releases when GitHub's lookup by tag, which
// sees published releases only, does not. Every file is read before
// anything is sent.
func (p *Publisher) UploadReleaseAssets(ctx context.Context, tag string, assets []ReleaseAsset) ([]UploadedAsset, error) {
	if tag == "" {
		return nil, errors.New("a release candidate has no GitHub release to upload to: give --tag")
	}
	data := make([][]byte, len(assets))
	for i, a := range assets {
		b, err := os.ReadFile(a.Path)
		if err != nil {
			return nil, fmt.Errorf("asset %s: %w", a.Name, err)
		}
		data[i] = b
	}
	rel, err := p.findRelease(ctx, tag)
	if err != nil {
		return nil, err
	}
	existing, err := p.listAssets(ctx, rel.GetID())
	if err != nil {
		return nil, err
	}
	var out []UploadedAsset
	for i, a := range assets {
		up, err := p.replaceAsset(ctx, rel.GetID(), existing, a, data[i])
		if err != nil {
			return out, fmt.Errorf("uploading %s to the release %s of %s: %w", a.Name, tag, p.repo, err)
		}
		logctx.From(ctx).Info("github: attached", "repo", p.repo, "tag", tag, "asset", up.Name, "bytes", up.Size, "replaced", up.Replaced)
		out = append(out, up)
	}
	return out, nil
}

func (p *Publisher) findRelease(ctx context.Context, tag string) (*github.RepositoryRelease, error) {
	rel, _, err := p.client.Repositories.GetReleaseByTag(ctx, p.owner, p.name, tag)
	if err == nil {
		return rel, nil
	}
	if !isStatus(err, http.StatusNotFound) {
		return nil, fmt.Errorf("looking up the release %s of %s: %w", tag, p.repo, err)
	}
	all, err := All(ctx, 0, func(ctx context.Context, page int) ([]*github.RepositoryRelease, *github.Response, error) {
		return p.client.Repositories.ListReleases(ctx, p.owner, p.name, &github.ListOptions{Page: page, PerPage: PerPage})
	})
	if err != nil {
		return nil, fmt.Errorf("listing the releases of %s: %w", p.repo, err)
	}
	for _, r := range all {
		if r.GetTagName() == tag {
			return r, nil
		}
	}
	return nil, fmt.Errorf("%w %s in %s: create the release first (tracegate attaches its evidence to an existing release and creates none)", ErrNoRelease, tag, p.repo)
}

func (p *Publisher) listAssets(ctx context.Context, id int64) (map[string]int64, error) {
	all, err := All(ctx, 0, func(ctx context.Context, page int) ([]*github.ReleaseAsset, *github.Response, error) {
		return p.client.Repositories.ListReleaseAssets(ctx, p.owner, p.name, id, &github.ListOptions{Page: page, PerPage: PerPage})
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
func (p *Publisher) replaceAsset(ctx context.Context, release int64, existing map[string]int64, a ReleaseAsset, data []byte) (UploadedAsset, error) {
	replaced := false
	for attempt := 1; ; attempt++ {
		if id, ok := existing[a.Name]; ok {
			if _, err := p.client.Repositories.DeleteReleaseAsset(ctx, p.owner, p.name, id); err != nil && !isStatus(err, http.StatusNotFound) {
				return UploadedAsset{}, fmt.Errorf("deleting the earlier asset: %w", err)
			}
			delete(existing, a.Name)
			replaced = true
		}
		asset, err := p.uploadAsset(ctx, release, a, data)
		if err == nil {
			return UploadedAsset{Name: asset.GetName(), ID: asset.GetID(), Size: asset.GetSize(), URL: asset.GetBrowserDownloadURL(), Replaced: replaced}, nil
		}
		if attempt > 1 || !isStatus(err, http.StatusUnprocessableEntity) {
			return UploadedAsset{}, err
		}
		fresh, lerr := p.listAssets(ctx, release)
		if lerr != nil {
			return UploadedAsset{}, errors.Join(err, lerr)
		}
		if _, ok := fresh[a.Name]; !ok {
			return UploadedAsset{}, err // refused for another reason
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
func (p *Publisher) uploadAsset(ctx context.Context, release int64, a ReleaseAsset, data []byte) (*github.ReleaseAsset, error) {
	u := fmt.Sprintf("repos/%s/%s/releases/%d/assets?name=%s", url.PathEscape(p.owner), url.PathEscape(p.name), release, url.QueryEscape(a.Name))
	req, err := p.client.NewUploadRequest(u, bytes.NewReader(data), int64(len(data)), a.MediaType)
	if err != nil {
		return nil, err
	}
	asset := new(github.ReleaseAsset)
	if _, err := p.client.Do(ctx, req, asset); err != nil {
		return nil, err
	}
	return asset, nil
}
