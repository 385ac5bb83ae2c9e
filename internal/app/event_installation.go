package app

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/go-github/v60/github"

	"github.com/tracegate/tracegate/internal/logctx"
	"github.com/tracegate/tracegate/internal/store"
)

// installationArgs record an installation or installation_repositories
// event.
type installationArgs struct {
	Action      string   `json:"action"`
	Account     string   `json:"account,omitempty"`
	AccountType string   `json:"account_type,omitempty"`
	Repos       []string `json:"repos,omitempty"` // created: the repositories selected
	Listed      bool     `json:"listed,omitempty"`
	Added       []string `json:"added,omitempty"`
	Removed     []string `json:"removed,omitempty"`
}

// onInstallation records the installation (created, deleted, suspend,
// unsuspend, new_permissions_accepted). Each delivery is its own job: two
// events must not merge.
func (a *App) onInstallation(payload any, in *intake) error {
	e := payload.(*github.InstallationEvent)
	inst := e.GetInstallation()
	if inst.GetID() <= 0 {
		return fmt.Errorf("no installation ID")
	}
	in.installation = inst.GetID()
	args := installationArgs{Action: e.GetAction(), Account: inst.GetAccount().GetLogin(), AccountType: inst.GetAccount().GetType()}
	if e.GetAction() == "created" {
		args.Listed = true
		for _, r := range e.Repositories {
			args.Repos = append(args.Repos, r.GetFullName())
		}
	}
	return in.add(kindInstallation, store.Key{Number: int(inst.GetID()), Ref: "delivery:" + in.delivery}, args)
}

// onInstallationRepositories records repositories added to or removed
// from an installation.
func (a *App) onInstallationRepositories(payload any, in *intake) error {
	e := payload.(*github.InstallationRepositoriesEvent)
	inst := e.GetInstallation()
	if inst.GetID() <= 0 {
		return fmt.Errorf("no installation ID")
	}
	in.installation = inst.GetID()
	args := installationArgs{Action: "repositories_" + e.GetAction(), Account: inst.GetAccount().GetLogin(), AccountType: inst.GetAccount().GetType()}
	for _, r := range e.RepositoriesAdded {
		args.Added = append(args.Added, r.GetFullName())
	}
	for _, r := range e.RepositoriesRemoved {
		args.Removed = append(args.Removed, r.GetFullName())
	}
	return in.add(kindInstallation, store.Key{Number: int(inst.GetID()), Ref: "delivery:" + in.delivery}, args)
}

// runInstallation records an installation job in the store.
func (a *App) runInstallation(ctx context.Context, job store.Job) error {
	var args installationArgs
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return store.Permanent(fmt.Errorf("installation job %d: %w", job.ID, err))
	}
	id := job.InstallationID
	log := logctx.From(ctx)
	switch args.Action {
	case "repositories_added", "repositories_removed":
		log.Info("installation repositories", "added", len(args.Added), "removed", len(args.Removed))
		return a.store.ChangeRepositories(ctx, id, args.Added, args.Removed)
	}
	in := store.Installation{ID: id, Account: args.Account, AccountType: args.AccountType,
		Suspended: args.Action == "suspend", Deleted: args.Action == "deleted"}
	if args.Listed {
		in.Repositories = append([]string{}, args.Repos...)
	}
	log.Info("installation", "action", args.Action, "account", args.Account)
	return a.store.PutInstallation(ctx, in)
}
