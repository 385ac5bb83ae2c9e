package cli

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/golang-jwt/jwt/v4"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/doctor"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/report"
)

// DoctorOptions are tracegate doctor's flags.
type DoctorOptions struct {
	Repo, Token, APIURL string
	Via                 string
}

// Doctor asks GitHub whether the gates are enforced (tracegate doctor):
// exit 0 when they are, 1 when a gate is advice, 3 when GitHub could not
// tell.
func Doctor(o Options, d DoctorOptions) int {
	ctx, err := o.context()
	if err != nil {
		return o.fail(err)
	}
	c := CheckOptions{Repo: d.Repo, Token: d.Token, APIURL: d.APIURL}
	c.fromEnv()
	if _, _, ok := strings.Cut(c.Repo, "/"); !ok {
		return o.fail(usagef("--repo %q: give the repository as owner/name (or set GITHUB_REPOSITORY)", c.Repo))
	}
	if d.Via == "" {
		d.Via = doctor.ViaAction
	}
	if d.Via != doctor.ViaAction && d.Via != doctor.ViaApp {
		return o.fail(usagef("--via %q: action (the workflows) or app (tracegate serve)", d.Via))
	}
	if c.Token == "" {
		return o.fail(usagef("tracegate doctor reads the repository's settings: give a token (--github-token or GITHUB_TOKEN) with read access to its administration"))
	}
	client, err := githubapi.NewClient(githubapi.Options{APIURL: c.APIURL, Token: c.Token})
	if err != nil {
		return o.fail(usagef("%w", err))
	}
	opts := doctor.Options{Repo: c.Repo, Client: client, Via: d.Via, PolicyPath: o.Config}
	if d.Via == doctor.ViaApp {
		hc, err := appClient(c.APIURL)
		if err != nil {
			return o.fail(usagef("%w", err))
		}
		if hc != nil {
			if opts.AppClient, err = githubapi.NewClient(githubapi.Options{APIURL: c.APIURL, HTTPClient: hc}); err != nil {
				return o.fail(usagef("%w", err))
			}
		}
	}
	checks := doctor.Run(ctx, opts)
	return writeDoctor(o, c.Repo, checks)
}

// appClient is a client authenticated as the App, from the settings
// tracegate serve reads; nil when they are not given.
func appClient(apiURL string) (*http.Client, error) {
	id, keyFile := Getenv("TRACEGATE_APP_ID"), Getenv("TRACEGATE_PRIVATE_KEY_FILE")
	if id == "" || keyFile == "" {
		return nil, nil
	}
	appID, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("TRACEGATE_APP_ID %q is not a number", id)
	}
	pem, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("TRACEGATE_PRIVATE_KEY_FILE: %w", err)
	}
	key, err := jwt.ParseRSAPrivateKeyFromPEM(pem)
	if err != nil {
		return nil, fmt.Errorf("TRACEGATE_PRIVATE_KEY_FILE %s: not an RSA private key in PEM", keyFile)
	}
	ep, err := githubapi.ParseAPIURL(apiURL)
	if err != nil {
		return nil, err
	}
	tr := ghinstallation.NewAppsTransportFromPrivateKey(http.DefaultTransport, appID, key)
	tr.BaseURL = strings.TrimSuffix(ep.API.String(), "/")
	return &http.Client{Transport: tr}, nil
}

// writeDoctor prints the checks, each gap with its fix.
func writeDoctor(o Options, repo string, checks []doctor.Check) int {
	code := doctor.ExitCode(checks)
	fmt.Fprintf(o.Stdout, "tracegate doctor: %s\n\n", report.Text(repo))
	gaps, unknown := 0, 0
	for _, c := range checks {
		label := map[doctor.Status]string{doctor.OK: "ok     ", doctor.Gap: "GAP    ", doctor.Unknown: "UNKNOWN"}[c.Status]
		fmt.Fprintf(o.Stdout, "%s  %s: %s\n", label, report.Text(c.Name), report.Text(c.Detail))
		if c.Fix != "" && c.Status != doctor.OK {
			lines := strings.Split(c.Fix, "\n")
			for i := range lines {
				lines[i] = report.Text(lines[i])
			}
			fmt.Fprintf(o.Stdout, "         fix: %s\n", strings.Join(lines, "\n         "))
		}
		switch c.Status {
		case doctor.Gap:
			gaps++
		case doctor.Unknown:
			unknown++
		}
	}
	switch code {
	case check.ExitPass:
		fmt.Fprintln(o.Stdout, "\nThe gates are enforced.")
	case check.ExitFail:
		fmt.Fprintf(o.Stdout, "\n%d gap%s: a gate nobody requires is advice, not a gate (exit 1).\n", gaps, map[bool]string{true: "", false: "s"}[gaps == 1])
	default:
		fmt.Fprintf(o.Stdout, "\n%d question%s GitHub did not answer: enforcement is not shown, which is not a pass (exit 3).\n", unknown, map[bool]string{true: "", false: "s"}[unknown == 1])
	}
	return code
}
