// Command tracegate enforces IEC 62304 release gates on a repository's
// design history file. This file only maps flags to internal/cli.
package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/cli"
	_ "github.com/tracegate/tracegate/internal/gcpolicy" // the collector waits for a run's first 32 MiB (see the package)
	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/report/releasedoc"
	"github.com/tracegate/tracegate/internal/report/resultdoc"
	"github.com/tracegate/tracegate/internal/report/soupdoc"
)

// commands are the commands defined in other files of this package, each
// registering itself in an init function, so that a face's command lives
// with nothing else. Each takes the global options and where to put the
// exit code.
var commands []func(o *cli.Options, code *int) *cobra.Command

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	// What the commands print goes to a terminal or a CI log: the guards
	// escape control characters that escaped the encoders and, in a
	// GitHub Actions step, disarm workflow commands in untrusted text. The
	// action command writes workflow commands on purpose, and fences
	// untrusted text itself: it gets the streams as they are.
	outGuard := report.NewTextGuard(stdout, os.Getenv("GITHUB_ACTIONS") == "true")
	errGuard := report.NewTextGuard(stderr, os.Getenv("GITHUB_ACTIONS") == "true")
	defer func() {
		outGuard.Flush()
		errGuard.Flush()
	}()
	o := cli.Options{Stdout: outGuard, Stderr: errGuard}
	code := check.ExitPass
	root := &cobra.Command{
		Use:   "tracegate",
		Short: "IEC 62304 release gates for medical-device software",
		Long: `tracegate checks a repository's design history file — requirements, ISO 14971 risk analysis,
verification evidence and SOUP — against IEC 62304, and gates pull requests and releases on it.

Exit codes: 0 pass, 1 gate failed, 2 usage or policy error, 3 evaluation error (never a pass).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(outGuard)
	root.SetErr(errGuard)
	pf := root.PersistentFlags()
	pf.StringVar(&o.Dir, "dir", ".", "repository root")
	pf.StringVar(&o.Config, "config", "", "policy file (default DIR/.github/tracegate.yml, built-in defaults if absent)")
	pf.StringVar(&o.Format, "format", "", "output format; each command lists its own (default: the command's first, text for all but soup list, whose default is markdown)")
	pf.StringVarP(&o.Output, "output", "o", "", "write the report to this file instead of standard output")
	pf.StringVar(&o.LogLevel, "log-level", "", "log what the engine reads, from where and how long it takes, to standard error: debug, info, warn, error (default: no log)")
	pf.StringVar(&o.LogFormat, "log-format", "", "the log's format: text or json (default text; either turns the log on at info)")
	var verbose bool
	pf.BoolVarP(&verbose, "verbose", "v", false, "log at info (--log-level info)")
	root.PersistentPreRun = func(cmd *cobra.Command, _ []string) {
		if verbose && o.LogLevel == "" {
			o.LogLevel = "info"
		}
		if cmd.Name() == "action" && cmd.Parent() == root {
			o.Stdout, o.Stderr = stdout, stderr
		}
	}

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
the safety class, unknown states, risk estimates against the matrix. Formats: ` + resultdoc.Formats.Help() + ".",
		Args: cobra.NoArgs,
		Run:  func(*cobra.Command, []string) { code = cli.Validate(o, failOn) },
	}
	validate.Flags().StringVar(&failOn, "fail-on", "warning", "lowest finding severity that fails: error, warning, note, never")
	gitHubFlags(validate, &o)
	root.AddCommand(validate)

	var traceTests []string
	traceCmd := &cobra.Command{
		Use:   "trace",
		Short: "Write the traceability matrix (requirement → risk controls → tests → results)",
		Long: "Write the traceability matrix. Formats: " + releasedoc.MatrixFormats.Help() + `.
An evaluation that cannot complete exits 3; with --format json it writes a document whose errors say why.`,
		Args: cobra.NoArgs,
		Run:  func(*cobra.Command, []string) { code = cli.Trace(o, traceTests) },
	}
	traceCmd.Flags().StringArrayVar(&traceTests, "tests", nil, "more test reports (glob in the working tree; repeatable)")
	gitHubFlags(traceCmd, &o)
	root.AddCommand(traceCmd)

	var co cli.CheckOptions
	checkCmd := &cobra.Command{
		Use:   "check",
		Short: "Run a gate: check pr, check release",
	}
	cf := checkCmd.PersistentFlags()
	cf.StringVar(&co.FailOn, "fail-on", "error", "lowest finding severity that fails: error, warning, note, never")
	cf.StringArrayVar(&co.Tests, "tests", nil, "more test reports (glob in the working tree; repeatable)")
	cf.StringArrayVar(&co.SBOMs, "sbom", nil, "more SBOMs made by CI (glob in the working tree; repeatable), read besides the policy's soup.sboms")
	cf.StringVar(&co.Token, "github-token", "", "GitHub token for issues and pull requests (default $GITHUB_TOKEN)")
	cf.StringVar(&co.Repo, "repo", "", "GitHub repository owner/name (default: the event's, or $GITHUB_REPOSITORY)")
	prCmd := &cobra.Command{
		Use:   "pr",
		Short: "The pull request gate (check tracegate/pr)",
		Long: `The pull request gate: the change links a requirement, change request or problem report; every
link resolves; change requests are approved and problem reports triaged; linked requirements are
verified by the given evidence; risk-impact assessment where the change touches risk; the model lint,
counting only findings the change introduces. The policy is read from --base, never from --head.
Formats: ` + resultdoc.Formats.Help() + ".",
		Args: cobra.NoArgs,
		Run:  func(*cobra.Command, []string) { code = cli.CheckPR(o, co) },
	}
	pf2 := prCmd.Flags()
	pf2.StringVar(&co.Base, "base", "", "base ref (default: the event's base.sha)")
	pf2.StringVar(&co.Head, "head", "", "head ref (default: the event's head.sha, else HEAD: the checkout, whose branch name is searched for links)")
	pf2.StringVar(&co.Event, "event", "", "pull_request event payload file ($GITHUB_EVENT_PATH)")
	pf2.IntVar(&co.Number, "number", 0, "pull request number")
	pf2.StringVar(&co.Title, "title", "", "pull request title")
	pf2.StringVar(&co.Body, "body", "", "pull request body")
	pf2.StringVar(&co.Branch, "branch", "", "pull request head branch name")
	pf2.StringSliceVar(&co.Labels, "label", nil, "pull request label (repeatable)")
	releaseCmd := &cobra.Command{
		Use:   "release",
		Short: "The release gate (check tracegate/release)",
		Long: `The release gate on a tag (or a release candidate ref): every change since the previous release
traced; every active requirement verified and no test failed; risk controls verified; open problem
reports listed as known residual anomalies, evaluated, none above the policy's criticality; plans
present; the whole model lint. Formats: ` + resultdoc.Formats.Help() + ".",
		Args: cobra.NoArgs,
		Run:  func(*cobra.Command, []string) { code = cli.CheckRelease(o, co) },
	}
	releaseCmd.Flags().StringVar(&co.Tag, "tag", "", "the release tag (or ref); without it, the working tree is judged as a release candidate")
	releaseCmd.Flags().StringVar(&co.Previous, "previous-tag", "", "the previous release (default: the nearest ancestor tag matching release.tag_pattern)")
	checkCmd.AddCommand(prCmd, releaseCmd)
	root.AddCommand(checkCmd)

	var so cli.SOUPOptions
	soupCmd := &cobra.Command{
		Use:   "soup",
		Short: "The SOUP list: soup list, soup diff, soup sync",
	}
	soupList := &cobra.Command{
		Use:   "list",
		Short: "Write the SOUP list: SBOM components with their register entries and known anomalies",
		Long: `Write the SOUP list (IEC 62304 8.1.2): every component of the SBOMs (--sbom, or the policy's
soup.sboms) with its register entry (--register, or the policy's soup.register) and, with --osv or
--osv-db, the published anomalies of the exact version in use (7.1.3).
Formats: ` + soupdoc.Formats.Help() + ".",
		Args: cobra.NoArgs,
		Run:  func(*cobra.Command, []string) { code = cli.SOUPList(o, so) },
	}
	sl := soupList.Flags()
	sl.StringArrayVar(&so.SBOMs, "sbom", nil, "SBOM file or glob (repeatable; default: the policy's soup.sboms)")
	sl.StringVar(&so.Register, "register", "", "SOUP register file (default: the policy's soup.register)")
	sl.BoolVar(&so.OSV, "osv", false, "look the exact versions up at osv.dev")
	sl.StringVar(&so.OSVURL, "osv-url", "", "OSV API base URL (default $TRACEGATE_OSV_URL, else https://api.osv.dev)")
	sl.StringVar(&so.OSVDB, "osv-db", "", "offline OSV database: a directory of <Ecosystem>/all.zip")
	gitHubFlags(soupList, &o)
	soupDiff := &cobra.Command{
		Use:   "diff",
		Short: "Compare two SBOMs: added, removed, upgraded, downgraded, license changed",
		Long:  "Compare two SBOMs by package, ordering versions with each ecosystem's own semantics. Formats: " + releasedoc.DiffFormats.Help() + ".",
		Args:  cobra.NoArgs,
		Run:   func(*cobra.Command, []string) { code = cli.SOUPDiff(o, so) },
	}
	soupDiff.Flags().StringVar(&so.Base, "base", "", "the earlier SBOM")
	soupDiff.Flags().StringVar(&so.Head, "head", "", "the later SBOM")
	soupSync := &cobra.Command{
		Use:   "sync",
		Short: "Add skeleton register entries for unregistered components, leaving the rest of the file untouched",
		Args:  cobra.NoArgs,
		Run:   func(*cobra.Command, []string) { code = cli.SOUPSync(o, so) },
	}
	ss := soupSync.Flags()
	ss.StringArrayVar(&so.SBOMs, "sbom", nil, "SBOM file or glob (repeatable; default: the policy's soup.sboms)")
	ss.StringVar(&so.Register, "register", "", "SOUP register file (default: the policy's soup.register)")
	ss.BoolVar(&so.DryRun, "dry-run", false, "say what would be added without writing")
	soupCmd.AddCommand(soupList, soupDiff, soupSync)
	root.AddCommand(soupCmd)

	root.AddCommand(&cobra.Command{
		Use:   "rules",
		Short: "List the rule catalog with IEC 62304 / ISO 14971 clauses and classes",
		Long:  "List every rule. Formats: " + resultdoc.RuleFormats.Help() + " (docs/rules.md is the markdown).",
		Args:  cobra.NoArgs,
		Run:   func(*cobra.Command, []string) { code = cli.Rules(o) },
	})

	for _, add := range commands {
		root.AddCommand(add(&o, &code))
	}

	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		root.PrintErrln("tracegate:", err)
		root.PrintErrln("Run 'tracegate --help' for usage.")
		return check.ExitUsage
	}
	return code
}

// gitHubFlags are the flags of a command that reads the work tree and, for
// the items the policy keeps as GitHub issues, GitHub.
func gitHubFlags(cmd *cobra.Command, o *cli.Options) {
	cmd.Flags().StringVar(&o.Token, "github-token", "", "GitHub token for the items the policy keeps as issues (default $GITHUB_TOKEN)")
	cmd.Flags().StringVar(&o.Repo, "repo", "", "GitHub repository owner/name of those issues (default $GITHUB_REPOSITORY)")
}
