// Package scaffold is tracegate init: it looks at what a repository
// already holds — requirement and risk files in the formats tracegate
// reads (Doorstop trees, rdm data, Ketryx front matter, its own YAML and
// Markdown), Markdown tables it cannot read yet, test reports and where
// the workflows write them, SBOMs and lockfiles, rdm's device.yml — and
// plans the files that make the gates work on it: the policy, a SOUP
// register skeleton, issue forms, a pull request template and the
// workflows. Inspect gathers, Plan renders, Write writes; nothing that
// exists is ever overwritten, and no write goes through a link.
package scaffold
