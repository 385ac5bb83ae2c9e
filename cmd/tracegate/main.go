// Command tracegate enforces IEC 62304 release gates on a repository's
// design history file. This file only maps flags to internal/cli.
package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/tracegate/tracegate/internal/cli"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	o := cli.Options{Stdout: stdout, Stderr: stderr}
	code := cli.ExitPass
	root := &cobra.Command{
		Use:   "tracegate",
		Short: "IEC 62304 release gates for medical-device software",
		Long: `tracegate checks a repository's design history file — requirements, ISO 14971 risk analysis,
verification evidence and SOUP — against IEC 62304, and gates pull requests and releases on it.

Exit codes: 0 pass, 1 gate failed, 2 usage or policy error, 3 evaluation error (never a pass).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&o.Dir, "dir", ".", "repository root")
	pf.StringVar(&o.Config, "config", "", "policy file (default DIR/.github/tracegate.yml, built-in defaults if absent)")
	pf.StringVar(&o.Format, "format", "text", "output format (per command)")
	pf.StringVarP(&o.Output, "output", "o", "", "write the report to this file instead of standard output")

	root.AddCommand(&cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run:   func(*cobra.Command, []string) { code = cli.Version(o) },
	})

	var failOn string
	validate := &cobra.Command{
		Use:   "validate",
		Short: "Lint the design history file: unique IDs, links, cycles, required fields for the class",
		Long: `Lint the design history file itself: duplicate IDs, dangling links, cycles, required fields for
the safety class, unknown states, risk estimates against the matrix. Formats: text, json.`,
		Args: cobra.NoArgs,
		Run:  func(*cobra.Command, []string) { code = cli.Validate(o, failOn) },
	}
	validate.Flags().StringVar(&failOn, "fail-on", "warning", "lowest finding severity that fails: error, warning, note, never")
	root.AddCommand(validate)

	root.AddCommand(&cobra.Command{
		Use:   "trace",
		Short: "Write the traceability matrix (requirement → risk controls → tests → results)",
		Long:  `Write the traceability matrix. Formats: text, json, csv, markdown.`,
		Args:  cobra.NoArgs,
		Run:   func(*cobra.Command, []string) { code = cli.Trace(o) },
	})

	root.AddCommand(&cobra.Command{
		Use:   "rules",
		Short: "List the rule catalog with IEC 62304 / ISO 14971 clauses and classes",
		Long:  `List every rule. Formats: text, json, markdown (docs/rules.md is this output).`,
		Args:  cobra.NoArgs,
		Run:   func(*cobra.Command, []string) { code = cli.Rules(o) },
	})

	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		root.PrintErrln("tracegate:", err)
		root.PrintErrln("Run 'tracegate --help' for usage.")
		return cli.ExitUsage
	}
	return code
}
