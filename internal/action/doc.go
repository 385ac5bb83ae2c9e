// Package action is tracegate's GitHub Action face: `tracegate action`,
// which the composite action.yml runs as its step. It reads what the
// workflow gives a step — the inputs (mapped explicitly to INPUT_*
// variables, since composite actions receive none of their own), the event
// (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH), the checkout (GITHUB_WORKSPACE)
// and the GitHub context (GITHUB_REPOSITORY, GITHUB_API_URL for GitHub
// Enterprise Server, GITHUB_REF, GITHUB_SHA) — picks the gate from the
// event, runs it through internal/check like the CLI does, and publishes the
// result where a workflow reads it:
//
//   - the result files in the evidence directory: the JSON result, SARIF, the
//     summary as Markdown and, when SBOMs were judged, the SOUP list; for
//     the release gate, the evidence bundle of internal/evidence, attached
//     to the tag's GitHub release as the upload-evidence input says;
//   - the step summary, within GitHub's 1 MiB per step, summarised rather
//     than cut, pointing to the JSON result for the rest;
//   - annotations for the ten most severe findings (GitHub shows ten per
//     step; the summary says how many more there are);
//   - the step outputs result, findings-json, soup-list, evidence-dir,
//     evidence-bundle, evidence-zip and sarif, written with a fresh random heredoc delimiter each;
//   - the exit status: non-zero when the gate fails at fail-on and always
//     when the evaluation could not complete (fail closed).
//
// The token is masked before anything is printed, and the report printed
// to the log is fenced with stop-commands, so that text from the repository
// or the pull request (a title such as "::add-mask::…") cannot issue
// workflow commands.
//
// Workflow commands go through github.com/sethvargo/go-githubactions, whose
// escaping of messages (%, CR, LF) and properties (also : and ,) matches the
// runner's. Its SetOutput is not used: v1.4.0 writes every value between the
// fixed delimiter _GitHubActionsFileCommandDelimeter_, so a value holding
// that line would end the value early and set outputs of its own choosing;
// outputs are written here the way actions/toolkit does it (a random
// delimiter that the value cannot contain).
package action
