package main

import (
	"github.com/spf13/cobra"

	"github.com/tracegate/tracegate/internal/cli"
)

func init() { commands = append(commands, doctorCommand) }

// doctorCommand asks GitHub whether the gates are enforced.
func doctorCommand(o *cli.Options, code *int) *cobra.Command {
	var d cli.DoctorOptions
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Ask GitHub whether the gates are enforced, and say how to fix each gap",
		Long: `Ask GitHub whether the gates are enforced or only advice: a branch ruleset (or classic branch
protection) on the default branch requiring a pull request and the check tracegate/pr from GitHub Actions
(--via action) or the App (--via app); a tag ruleset on the release tags requiring tracegate/release and
restricting updates and deletions; the workflows present with tracegate/tracegate pinned by commit, or
the App installed with app.yml's permissions (the App's credentials from TRACEGATE_APP_ID and
TRACEGATE_PRIVATE_KEY_FILE); the policy valid at the default branch; the organisation requiring
two-factor authentication. Each gap is printed with its fix (the settings page, or the API call).
Exit 0 when every gate is enforced, 1 when one is advice, 3 when GitHub could not tell (never a pass).`,
		Args: cobra.NoArgs,
		Run:  func(*cobra.Command, []string) { *code = cli.Doctor(*o, d) },
	}
	f := cmd.Flags()
	f.StringVar(&d.Repo, "repo", "", "the repository, owner/name (default $GITHUB_REPOSITORY)")
	f.StringVar(&d.Token, "github-token", "", "a token that can read the repository and its rules (default $GITHUB_TOKEN)")
	f.StringVar(&d.Via, "via", "action", "where the checks come from: action (the workflows) or app (tracegate serve)")
	return cmd
}
