package app

import "github.com/google/go-github/v60/github"

// onRelease: a release published → the release gate on its tag, which,
// when the policy asks, turns a failing release back into a draft and
// attaches the evidence bundle to a passing one.
func (a *App) onRelease(payload any, in *intake) error {
	e := payload.(*github.ReleaseEvent)
	if e.GetAction() != "published" {
		return nil
	}
	if err := in.needRepo(); err != nil {
		return err
	}
	r := e.GetRelease()
	return in.addRelease(releaseArgs{Tag: r.GetTagName(), Release: r.GetID()})
}
