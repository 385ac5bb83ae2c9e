package app

import "github.com/google/go-github/v60/github"

// onCreate: a tag created (through the API or the web, where no push
// event may come) → the release gate on the tag.
func (a *App) onCreate(payload any, in *intake) error {
	e := payload.(*github.CreateEvent)
	if e.GetRefType() != "tag" {
		return nil
	}
	if err := in.needRepo(); err != nil {
		return err
	}
	return in.addRelease(releaseArgs{Tag: e.GetRef()})
}
