package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/tracegate/tracegate/internal/app"
	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/cli"
	"github.com/tracegate/tracegate/internal/logctx"
)

func init() { commands = append(commands, serveCommand, auditCommand) }

// serveCommand runs the GitHub App.
func serveCommand(o *cli.Options, code *int) *cobra.Command {
	var s app.Settings
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the GitHub App: webhooks in, check runs out (see docs/app.md)",
		Long: `Run the GitHub App. Configured by the environment, each setting also a flag:
TRACEGATE_APP_ID, TRACEGATE_PRIVATE_KEY_FILE (or TRACEGATE_PRIVATE_KEY), TRACEGATE_WEBHOOK_SECRET_FILE
(or TRACEGATE_WEBHOOK_SECRET), TRACEGATE_GITHUB_URL (default https://api.github.com/; a GitHub Enterprise
Server's https://HOST/api/v3/), TRACEGATE_DB (a SQLite file, default tracegate.db, or postgres://…),
TRACEGATE_LISTEN (default :8080) and TRACEGATE_WORKERS (default 4). It serves POST /webhook, GET /healthz,
/readyz and /metrics, and logs JSON to standard error. It refuses to start without a webhook secret or a
readable private key. SIGINT or SIGTERM stop it gracefully: no new delivery is taken, the jobs in flight finish.`,
		Args: cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			*code = serve(cmd, o, s)
		},
	}
	env := app.SettingsFromEnv(os.Getenv)
	f := cmd.Flags()
	f.StringVar(&s.AppID, "app-id", env.AppID, "the GitHub App's ID ($"+app.EnvAppID+")")
	f.StringVar(&s.PrivateKeyFile, "private-key-file", env.PrivateKeyFile, "the App's private key, a PEM file ($"+app.EnvPrivateKeyFile+")")
	f.StringVar(&s.WebhookSecretFile, "webhook-secret-file", env.WebhookSecretFile, "a file holding the webhook secret ($"+app.EnvWebhookSecretFile+")")
	f.StringVar(&s.GitHubURL, "github-url", env.GitHubURL, "the GitHub API root ($"+app.EnvGitHubURL+"; default "+app.DefaultGitHubURL+")")
	f.StringVar(&s.DB, "db", env.DB, "a SQLite file or a postgres:// URL ($"+app.EnvDB+"; default "+app.DefaultDB+")")
	f.StringVar(&s.Listen, "listen", env.Listen, "the address to serve on ($"+app.EnvListen+"; default "+app.DefaultListen+")")
	f.StringVar(&s.Workers, "workers", env.Workers, "evaluations in flight at once, mostly waiting for GitHub ($"+app.EnvWorkers+"; default 4)")
	f.StringVar(&s.CPUSlots, "cpu-slots", env.CPUSlots, "evaluations computing at once; the others wait, the webhook never does ($"+app.EnvCPUSlots+"; default: GOMAXPROCS less one, at least 1)")
	f.StringVar(&s.Attempts, "job-attempts", env.Attempts, "attempts of a job before it is shown as failed ($"+app.EnvAttempts+"; default 8)")
	f.StringVar(&s.SQLiteSync, "sqlite-synchronous", env.SQLiteSync, "FULL (default: acknowledged deliveries survive a power loss) or NORMAL (they survive a killed process; faster) ($"+app.EnvSQLiteSync+")")
	f.StringVar(&s.Lease, "lease", env.Lease, "how long a claimed job is held before another worker may take it over ($"+app.EnvLease+"; default 1m)")
	f.StringVar(&s.RetryDelay, "retry-delay", env.RetryDelay, "the first retry's delay, doubling up to 10m ($"+app.EnvRetryDelay+"; default 10s)")
	// Inline secrets come from the environment only: a command line is
	// visible to every user of the machine.
	s.PrivateKey, s.WebhookSecret = env.PrivateKey, env.WebhookSecret
	return cmd
}

func serve(cmd *cobra.Command, o *cli.Options, s app.Settings) int {
	level := slog.LevelInfo
	if o.LogLevel != "" {
		if err := level.UnmarshalText([]byte(o.LogLevel)); err != nil {
			cmd.PrintErrln("tracegate serve: --log-level", o.LogLevel+": use debug, info, warn or error")
			return check.ExitUsage
		}
	}
	log := slog.New(slog.NewJSONHandler(o.Stderr, &slog.HandlerOptions{Level: level}))
	cfg, err := s.Load()
	if err != nil {
		log.Error("tracegate serve cannot start", "error", err.Error())
		cmd.PrintErrln("tracegate serve:", strings.ReplaceAll(err.Error(), "\n", "\ntracegate serve: "))
		return check.ExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx = logctx.With(ctx, log)
	a, err := app.New(ctx, cfg, app.Options{})
	if err != nil {
		log.Error("tracegate serve cannot start", "error", err.Error())
		return check.ExitError
	}
	defer a.Close()
	if err := a.Serve(ctx); err != nil {
		log.Error("tracegate serve stopped", "error", err.Error())
		return check.ExitError
	}
	return check.ExitPass
}

// auditCommand prints the App's audit log.
func auditCommand(o *cli.Options, code *int) *cobra.Command {
	var ao app.AuditOptions
	var since string
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Print the App's audit log: every decision, with its policy and inputs digests",
		Long: `Print the decisions the App recorded (repository, ref, SHA, gate, verdict, policy digest, inputs
digest, delivery, time), oldest first, from the App's database ($TRACEGATE_DB or --db). Filters: --repo,
--sha (or a prefix of at least 4 hex digits), --gate, --since, --limit (the newest N, default 1000).
Formats: text, json (one decision a line), csv.`,
		Args: cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			t, err := app.ParseSince(since, time.Now())
			if err == nil {
				ao.Query.Since = t
				ao.Format = o.Format
				err = app.Audit(context.Background(), o.Stdout, ao)
			}
			if err != nil {
				cmd.PrintErrln("tracegate audit:", err)
				*code = check.ExitUsage
				if ao.DB != "" && !strings.Contains(err.Error(), "--") {
					*code = check.ExitError
				}
			}
		},
	}
	f := cmd.Flags()
	f.StringVar(&ao.DB, "db", os.Getenv(app.EnvDB), "a SQLite file or a postgres:// URL ($"+app.EnvDB+")")
	f.StringVar(&ao.Query.Repository, "repo", "", "only this repository (owner/name)")
	f.StringVar(&ao.Query.SHA, "sha", "", "only this commit (or a prefix of at least 4 hex digits)")
	f.StringVar(&ao.Query.Gate, "gate", "", "only this gate: pr or release")
	f.StringVar(&since, "since", "", "only decisions since a time (2024-05-01, RFC 3339) or a duration back (72h)")
	f.IntVar(&ao.Query.Limit, "limit", 0, "the newest N decisions (default 1000)")
	return cmd
}
