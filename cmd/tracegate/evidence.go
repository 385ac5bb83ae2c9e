package main

import (
	"github.com/spf13/cobra"

	"github.com/tracegate/tracegate/internal/cli"
)

func init() { commands = append(commands, evidenceCommand) }

// evidenceCommand writes the release evidence bundle.
func evidenceCommand(o *cli.Options, code *int) *cobra.Command {
	var c cli.CheckOptions
	var e cli.EvidenceOptions
	cmd := &cobra.Command{
		Use:   "evidence --tag T --out DIR",
		Short: "Write the release evidence bundle (HTML report, CSV, XLSX, SOUP list, SBOMs, test reports, manifest, zip)",
		Long: `Run the release gate on --tag (the working tree as a release candidate without it) and write its
evidence bundle for the design history file under --out: DIR/tracegate-evidence-TAG/ with the HTML
report, a CSV per table and an XLSX workbook, the gate result as JSON, the SOUP list (Markdown, CSV,
CycloneDX), the SBOMs and test reports read, and MANIFEST.sha256 over every file; and
DIR/tracegate-evidence-TAG.zip of the whole. The bundle is written whatever the verdict; the exit
code follows the verdict. Documents are dated by the release commit (SOURCE_DATE_EPOCH overrides):
the same inputs give byte-identical files. --upload attaches the bundle to the GitHub release of the
tag, replacing assets of the same name. --pdf prints the report to report.pdf in the bundle through an
installed Chrome or Chromium, with its header and footer on every page. See docs/evidence.md. Formats (of the summary): ` + cli.SummaryFormats.Help() + ".",
		Args: cobra.NoArgs,
		Run:  func(*cobra.Command, []string) { *code = cli.Evidence(*o, c, e) },
	}
	f := cmd.Flags()
	f.StringVar(&c.Tag, "tag", "", "the release tag; without it, the working tree is judged as a release candidate")
	f.StringVar(&c.Previous, "previous-tag", "", "the previous release (default: the nearest ancestor tag matching release.tag_pattern)")
	f.StringVar(&e.Out, "out", "", "directory to write the bundle and its zip into (created if missing)")
	f.BoolVar(&e.Upload, "upload", false, "attach the bundle to the GitHub release of --tag, replacing assets of the same name")
	f.BoolVar(&e.PDF, "pdf", false, "also print the report to report.pdf through an installed Chrome or Chromium (headless; $TRACEGATE_CHROME names one)")
	f.StringVar(&c.FailOn, "fail-on", "error", "lowest finding severity that fails: error, warning, note, never")
	f.StringArrayVar(&c.Tests, "tests", nil, "more test reports (glob in the working tree; repeatable)")
	f.StringArrayVar(&e.SBOMs, "sbom", nil, "more SBOMs made by CI (glob in the working tree; repeatable)")
	f.StringVar(&c.Token, "github-token", "", "GitHub token for issues, pull requests and --upload (default $GITHUB_TOKEN)")
	f.StringVar(&c.Repo, "repo", "", "GitHub repository owner/name (default $GITHUB_REPOSITORY)")
	return cmd
}
