package main

import (
	"context"
	"os"

	"github.com/spf13/cobra"

	"github.com/tracegate/tracegate/internal/action"
	"github.com/tracegate/tracegate/internal/cli"
)

func init() { commands = append(commands, actionCommand) }

// actionCommand is the step the composite action.yml runs.
func actionCommand(o *cli.Options, code *int) *cobra.Command {
	return &cobra.Command{
		Use:   "action",
		Short: "Run as the GitHub Action step (inputs and context from the environment)",
		Long: `Run as the step of the composite GitHub Action (action.yml): the inputs come from INPUT_MODE,
INPUT_CONFIG, INPUT_SBOM, INPUT_TESTS, INPUT_GITHUB_TOKEN, INPUT_FAIL_ON, INPUT_SARIF_FILE,
INPUT_EVIDENCE_DIR and INPUT_UPLOAD_EVIDENCE, the event and the checkout from the variables GitHub Actions sets for every step
(GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_WORKSPACE, GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_REF,
GITHUB_SHA). It writes the step summary, annotations and outputs; the release gate also writes the
evidence bundle and attaches it to the tag's GitHub release. The global flags do not apply.
See docs/action.md.`,
		Args: cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			*code = action.Run(context.Background(), action.Env{Getenv: os.Getenv, Stdout: o.Stdout})
		},
	}
}
