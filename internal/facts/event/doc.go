// Package event reads the GitHub Actions event that started a workflow:
// GITHUB_EVENT_NAME says which event (Detect), and the file at
// GITHUB_EVENT_PATH holds its webhook payload (Load), read with go-github's
// webhook types (github.ParseWebHook), as the App reads its deliveries. The pull_request and
// pull_request_target payloads become a facts.PullRequest; a push and a
// release become the small Push and Release structs, what the release
// gates need of them.
//
// A payload that lacks what its event must carry is an error naming the
// file and the missing field, never an empty fact.
package event
