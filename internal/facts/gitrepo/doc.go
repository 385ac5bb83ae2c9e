// Package gitrepo implements facts.Repository over a local clone by running
// the git CLI: the policy at the base ref and the design history at the head
// ref of a pull request, the tree at a release tag and every commit since the
// previous one.
//
// Output formats never depend on the user's configuration: every command
// uses an explicit --format or a plumbing format with -z, and the settings
// that change what porcelain commands print (colour, signatures, mailmap,
// log output encoding, path quoting) are overridden on the command line.
// The environment is cleaned of the variables that would make git read
// another repository than the one the caller named (GIT_DIR, GIT_INDEX_FILE,
// … as listed by git rev-parse --local-env-vars), which a git hook running
// tracegate would otherwise leak into every command.
//
// Ownership: CI containers often run as root over a checkout owned by the
// runner's user, and git then refuses the repository as of "dubious
// ownership" (CVE-2022-24765). The check exists so that git does not run
// programs named in the configuration of a repository that someone else
// planted in a parent directory (/tmp/.git). Open passes
// -c safe.directory=DIR only for the directory the caller named, so it trusts
// exactly the repository the user pointed at, and only when DIR is the top of
// its work tree; a repository found above DIR is never trusted implicitly.
// git honours safe.directory given with -c from 2.38 (protected
// configuration); older git refuses, and Open's error says which
// safe.directory to add to the global configuration.
//
// Open requires git 2.30 or later (rev-parse --end-of-options).
//
// Replace refs and grafts are honoured as git honours them; CI clones do not
// fetch refs/replace, so this only matters in a local clone whose owner set
// them up.
package gitrepo
