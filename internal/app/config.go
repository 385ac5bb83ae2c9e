package app

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v4"

	"github.com/tracegate/tracegate/internal/githubapi"
)

// Config is what `tracegate serve` is configured with: each setting from
// its environment variable, which its flag overrides.
type Config struct {
	AppID int64
	// PrivateKey is the App's PEM private key (TRACEGATE_PRIVATE_KEY, or
	// the file TRACEGATE_PRIVATE_KEY_FILE names).
	PrivateKey []byte
	// WebhookSecret is the webhook's HMAC secret.
	WebhookSecret []byte
	// GitHubURL is the API root: https://api.github.com/ by default, a
	// GitHub Enterprise Server's https://HOST/api/v3/.
	GitHubURL string
	// DB is a SQLite file path or a postgres:// URL.
	DB string
	// Listen is the HTTP server's address (":8080").
	Listen string
	// Workers is how many jobs are evaluated at once: in flight, mostly
	// waiting for GitHub.
	Workers int
	// CPUSlots is how many of them compute at once (see cpuSlots); 0 is
	// one core fewer than GOMAXPROCS, at least one.
	CPUSlots int
	// Attempts bounds a job's attempts before it is dead-lettered (shown
	// as a failed check run); RetryDelay is the wait before the first
	// retry, doubling up to ten minutes, with jitter.
	Attempts   int
	RetryDelay time.Duration
	// SQLiteSync is SQLite's synchronous setting: FULL (the default: an
	// acknowledged delivery survives a power loss) or NORMAL (it survives
	// the process being killed, not the machine losing power; no sync per
	// commit).
	SQLiteSync string
	// Lease is how long a claimed job is held before another worker (or
	// replica) may take it over: a killed replica's jobs wait that long.
	Lease time.Duration
}

// Env names the environment variables of Config.
const (
	EnvAppID             = "TRACEGATE_APP_ID"
	EnvPrivateKey        = "TRACEGATE_PRIVATE_KEY"
	EnvPrivateKeyFile    = "TRACEGATE_PRIVATE_KEY_FILE"
	EnvWebhookSecret     = "TRACEGATE_WEBHOOK_SECRET"
	EnvWebhookSecretFile = "TRACEGATE_WEBHOOK_SECRET_FILE"
	EnvGitHubURL         = "TRACEGATE_GITHUB_URL"
	EnvDB                = "TRACEGATE_DB"
	EnvListen            = "TRACEGATE_LISTEN"
	EnvWorkers           = "TRACEGATE_WORKERS"
	EnvCPUSlots          = "TRACEGATE_CPU_SLOTS"
	EnvAttempts          = "TRACEGATE_JOB_ATTEMPTS"
	EnvRetryDelay        = "TRACEGATE_RETRY_DELAY"
	EnvLease             = "TRACEGATE_LEASE"
	EnvSQLiteSync        = "TRACEGATE_SQLITE_SYNCHRONOUS"
)

// Defaults of Config.
const (
	DefaultGitHubURL = "https://api.github.com/"
	DefaultDB        = "tracegate.db"
	DefaultListen    = ":8080"
	DefaultWorkers   = 4
	DefaultAttempts  = 8
	DefaultRetry     = 10 * time.Second
	DefaultLease     = time.Minute
)

// Settings are the raw values, as the environment and the flags give
// them: flags (cmd/tracegate) fill what was set on the command line over
// what FromEnv read.
type Settings struct {
	AppID                            string
	PrivateKey, PrivateKeyFile       string
	WebhookSecret, WebhookSecretFile string
	GitHubURL, DB, Listen            string
	Workers, CPUSlots                string
	Attempts, RetryDelay             string
	Lease, SQLiteSync                string
}

// SettingsFromEnv reads the environment.
func SettingsFromEnv(getenv func(string) string) Settings {
	return Settings{
		AppID:             getenv(EnvAppID),
		PrivateKey:        getenv(EnvPrivateKey),
		PrivateKeyFile:    getenv(EnvPrivateKeyFile),
		WebhookSecret:     getenv(EnvWebhookSecret),
		WebhookSecretFile: getenv(EnvWebhookSecretFile),
		GitHubURL:         getenv(EnvGitHubURL),
		DB:                getenv(EnvDB),
		Listen:            getenv(EnvListen),
		Workers:           getenv(EnvWorkers),
		CPUSlots:          getenv(EnvCPUSlots),
		Attempts:          getenv(EnvAttempts),
		RetryDelay:        getenv(EnvRetryDelay),
		Lease:             getenv(EnvLease),
		SQLiteSync:        getenv(EnvSQLiteSync),
	}
}

// Load checks the settings and reads the files they name. It refuses to
// start without a webhook secret (go-github's ValidatePayload accepts any
// payload when the secret and the signature are both empty) or without a
// readable private key, and says which is missing. Errors never quote a
// secret or a key.
func (s Settings) Load() (*Config, error) {
	var errs []error
	c := &Config{GitHubURL: orDefault(s.GitHubURL, DefaultGitHubURL), DB: orDefault(s.DB, DefaultDB),
		Listen: orDefault(s.Listen, DefaultListen), Workers: DefaultWorkers, Attempts: DefaultAttempts, RetryDelay: DefaultRetry, Lease: DefaultLease}
	switch id, err := strconv.ParseInt(strings.TrimSpace(s.AppID), 10, 64); {
	case s.AppID == "":
		errs = append(errs, fmt.Errorf("no App ID: set %s (or --app-id) to the GitHub App's ID", EnvAppID))
	case err != nil || id <= 0:
		errs = append(errs, fmt.Errorf("%s %q: want the App's numeric ID", EnvAppID, s.AppID))
	default:
		c.AppID = id
	}
	key, err := secret("private key", s.PrivateKey, s.PrivateKeyFile, EnvPrivateKey, EnvPrivateKeyFile)
	if err == nil {
		_, err = parseKey(key)
	}
	if err != nil {
		errs = append(errs, err)
	}
	c.PrivateKey = key
	whs, err := secret("webhook secret", s.WebhookSecret, s.WebhookSecretFile, EnvWebhookSecret, EnvWebhookSecretFile)
	if err != nil {
		errs = append(errs, err)
	}
	// A secret file usually ends in a newline that is not part of the
	// secret GitHub was given.
	c.WebhookSecret = []byte(strings.TrimRight(string(whs), "\r\n"))
	if err == nil && len(c.WebhookSecret) == 0 {
		errs = append(errs, fmt.Errorf("the webhook secret is empty: tracegate refuses to accept unsigned deliveries; set %s or %s", EnvWebhookSecret, EnvWebhookSecretFile))
	}
	if _, err := githubapi.ParseAPIURL(c.GitHubURL); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", EnvGitHubURL, err))
	}
	if s.Workers != "" {
		n, err := strconv.Atoi(strings.TrimSpace(s.Workers))
		if err != nil || n < 1 || n > 256 {
			errs = append(errs, fmt.Errorf("%s %q: want a number of workers from 1 to 256", EnvWorkers, s.Workers))
		}
		c.Workers = n
	}
	if s.CPUSlots != "" {
		n, err := strconv.Atoi(strings.TrimSpace(s.CPUSlots))
		if err != nil || n < 1 || n > 256 {
			errs = append(errs, fmt.Errorf("%s %q: want a number of evaluations computing at once from 1 to 256 (default: the cores less one)", EnvCPUSlots, s.CPUSlots))
		}
		c.CPUSlots = n
	}
	if s.Attempts != "" {
		n, err := strconv.Atoi(strings.TrimSpace(s.Attempts))
		if err != nil || n < 1 || n > 100 {
			errs = append(errs, fmt.Errorf("%s %q: want a number of attempts from 1 to 100", EnvAttempts, s.Attempts))
		}
		c.Attempts = n
	}
	if s.RetryDelay != "" {
		d, err := time.ParseDuration(strings.TrimSpace(s.RetryDelay))
		if err != nil || d < 100*time.Millisecond || d > time.Hour {
			errs = append(errs, fmt.Errorf("%s %q: want a duration from 100ms to 1h (10s)", EnvRetryDelay, s.RetryDelay))
		}
		c.RetryDelay = d
	}
	if s.Lease != "" {
		d, err := time.ParseDuration(strings.TrimSpace(s.Lease))
		if err != nil || d < time.Second || d > time.Hour {
			errs = append(errs, fmt.Errorf("%s %q: want a duration from 1s to 1h (1m)", EnvLease, s.Lease))
		}
		c.Lease = d
	}
	switch c.SQLiteSync = strings.ToUpper(strings.TrimSpace(s.SQLiteSync)); c.SQLiteSync {
	case "", "FULL", "NORMAL":
	default:
		errs = append(errs, fmt.Errorf("%s %q: want FULL or NORMAL", EnvSQLiteSync, s.SQLiteSync))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// secret reads a secret given inline or as a file, never both.
func secret(what, inline, file, envInline, envFile string) ([]byte, error) {
	switch {
	case inline != "" && file != "":
		return nil, fmt.Errorf("the %s is given twice, by %s and by %s: give one", what, envInline, envFile)
	case inline != "":
		return []byte(inline), nil
	case file == "":
		return nil, fmt.Errorf("no %s: set %s to its file (or %s to the value)", what, envFile, envInline)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("the %s file %s (%s) cannot be read: %w", what, file, envFile, err)
	}
	return b, nil
}

// parseKey reads the App's PEM private key (PKCS#1, as GitHub issues it,
// or PKCS#8).
func parseKey(pem []byte) (*rsa.PrivateKey, error) {
	k, err := jwt.ParseRSAPrivateKeyFromPEM(pem)
	if err != nil {
		// jwt's errors say what is wrong with the PEM, never its content.
		return nil, fmt.Errorf("the private key is not an RSA private key in PEM (%v): use the .pem file GitHub generated for the App", err)
	}
	return k, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
