package main

import (
	"github.com/spf13/cobra"

	"github.com/tracegate/tracegate/internal/cli"
)

func init() { commands = append(commands, initCommand) }

// initCommand scaffolds the policy, issue forms, templates and workflows.
func initCommand(o *cli.Options, code *int) *cobra.Command {
	var io cli.InitOptions
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write the policy, SOUP register, issue forms, PR template and workflows for this repository",
		Long: `Look at what the repository holds — requirement and risk files (tracegate's YAML and Markdown,
Doorstop, rdm, Ketryx), Markdown tables, test reports and where the workflows write them, SBOMs and
lockfiles, rdm's device.yml — and write .github/tracegate.yml (every choice commented), a SOUP register,
issue forms (problem report, change request, SOUP anomaly review; with --soup-issues a SOUP
register entry form in place of the register file), a pull request template and the
workflows of the two gates. A file that exists is never overwritten; --dry-run prints what would be
written. The policy is loaded against its schema before anything is written.`,
		Args: cobra.NoArgs,
		Run:  func(*cobra.Command, []string) { *code = cli.Init(*o, io) },
	}
	f := cmd.Flags()
	f.BoolVar(&io.DryRun, "dry-run", false, "print the files that would be written, and write nothing")
	f.StringVar(&io.Class, "class", "", "the software safety class (A, B, C); default: the one rdm's device.yml declares, else B")
	f.StringVar(&io.ActionRef, "action-ref", "", "the ref of tracegate/tracegate the workflows use (default: the commit this binary was built from, else main)")
	f.StringVar(&io.Branch, "branch", "main", "the default branch, whose commits the release workflow judges as release candidates")
	f.BoolVar(&io.SOUPIssues, "soup-issues", false, "keep the SOUP register as GitHub issues: write the SOUP issue form and soup.issues, not a register file")
	return cmd
}
