// Package app is the GitHub App face of tracegate, `tracegate serve`: a
// webhook intake that stores every delivery durably before it answers,
// workers that evaluate the gates through the GitHub-backed sources and
// post check runs, and the recovery of deliveries GitHub failed to make.
//
// The plumbing follows palantir/go-githubapp: one handler per event (the
// event_*.go files) turns a payload into jobs; an installation client
// creator (Clients) hands each job a client authenticated as its
// installation, for its repository only; the store's Runner is the
// scheduler, with an explicit number of workers. The evaluation follows
// palantir/policy-bot: the policy is read from the pull request's base,
// never from its head; a re-run button and re-requests evaluate again.
//
// The App decides nothing itself: check gathers and judges, resultdoc
// renders the same Markdown the Action writes, githubapi publishes, and
// evidence builds the release bundle the CLI and the Action build.
package app
