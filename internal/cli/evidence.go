package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/evidence"
	"github.com/tracegate/tracegate/internal/githubapi"
	"github.com/tracegate/tracegate/internal/report"
)

// EvidenceOptions are the flags of `tracegate evidence` beyond the gate's.
type EvidenceOptions struct {
	Out    string
	Upload bool
	SBOMs  []string
	// PDF prints the report to PDF through an installed Chrome or
	// Chromium.
	PDF bool
}

// Evidence writes the release evidence bundle (tracegate evidence): the
// release gate is run as `check release` runs it, and its documents are
// written whatever the verdict; the exit code follows the verdict. With
// Upload, the bundle's assets are attached to the GitHub release of the
// tag.
func Evidence(o Options, c CheckOptions, e EvidenceOptions) int {
	ctx, err := o.context()
	if err != nil {
		return o.fail(err)
	}
	sev, err := failOn(c.FailOn)
	if err != nil {
		return o.fail(err)
	}
	enc, err := encoder(o.Format, "evidence", SummaryFormats)
	if err != nil {
		return o.fail(err)
	}
	if e.Out == "" {
		return o.fail(usagef("evidence needs --out DIR: where to write the bundle"))
	}
	c.fromEnv()
	if e.Upload {
		switch {
		case c.Tag == "":
			return o.fail(usagef("--upload needs --tag: a release candidate has no GitHub release"))
		case c.Token == "":
			return o.fail(usagef("--upload needs a GitHub token (--github-token or GITHUB_TOKEN)"))
		case c.Repo == "":
			return o.fail(usagef("--upload needs the repository (--repo owner/name or GITHUB_REPOSITORY)"))
		}
	}
	var browser string
	if e.PDF {
		// Before anything is judged or written: without a browser there is
		// no PDF to write, and the bundle must not look complete.
		if browser, err = evidence.FindBrowser(Getenv); err != nil {
			return o.fail(&check.UsageError{Err: err})
		}
	}
	date, err := evidence.ParseSourceDateEpoch(Getenv("SOURCE_DATE_EPOCH"))
	if err != nil {
		return o.fail(&check.UsageError{Err: err})
	}
	ep, err := githubapi.ParseAPIURL(c.APIURL)
	if err != nil {
		return o.fail(usagef("GITHUB_API_URL: %w", err))
	}
	src, closeRepo, err := o.sources(ctx, c, c.Tag != "")
	if err != nil {
		return o.fail(err)
	}
	defer closeRepo()
	opts := evidence.Options{
		Check:    check.Options{ConfigPath: o.Config, Tests: c.Tests, FailOn: sev, SOUP: check.SOUPOptions{SBOMs: e.SBOMs}},
		Previous: c.Previous, Tool: tool(), Date: date,
		Product: c.Repo, RepoURL: RepoWebURL(ep, c.Repo), WorkDir: orDefault(o.Dir, "."), Browser: browser,
	}
	if opts.Product == "" {
		if abs, err := filepath.Abs(opts.WorkDir); err == nil {
			opts.Product = filepath.Base(abs)
		}
	}
	b, err := evidence.Build(ctx, src, c.Tag, e.Out, opts)
	if err != nil {
		return o.fail(err)
	}
	var uploaded []githubapi.UploadedAsset
	var upErr error
	if e.Upload {
		client, err := githubapi.NewClient(githubapi.Options{APIURL: c.APIURL, Token: c.Token})
		if err != nil {
			return o.fail(&check.UsageError{Err: err})
		}
		pub, err := githubapi.NewPublisher(client, c.Repo)
		if upErr = err; err == nil {
			uploaded, upErr = pub.UploadReleaseAssets(ctx, c.Tag, b.Assets())
		}
	}
	if werr := o.write(func(w writer) error { return enc.Write(w, BundleSummary{b, uploaded}) }); werr != nil {
		return o.fail(werr)
	}
	if upErr != nil {
		fmt.Fprintf(o.Stderr, "tracegate: %s\n", report.Text(upErr.Error()))
		fmt.Fprintln(o.Stderr, "tracegate: the bundle was written but not attached to the release (exit 3)")
		return check.ExitError
	}
	return check.ExitCode(b.Result.Verdict, nil)
}

// RepoWebURL is the web address of a repository on the GitHub the API
// URL names: https://github.com/o/r, https://HOST/o/r for GitHub
// Enterprise Server, https://SUB.ghe.com/o/r. Empty without a repository.
func RepoWebURL(ep githubapi.Endpoints, repo string) string {
	if repo == "" || strings.Count(repo, "/") != 1 {
		return ""
	}
	switch {
	case ep.DotCom:
		return "https://github.com/" + repo
	case strings.HasSuffix(ep.API.Path, "/api/v3/"):
		return ep.API.Scheme + "://" + ep.API.Host + strings.TrimSuffix(ep.API.Path, "api/v3/") + repo
	}
	return ep.API.Scheme + "://" + strings.TrimPrefix(ep.API.Host, "api.") + "/" + repo
}

// BundleSummary is what `tracegate evidence` says it wrote (and uploaded).
type BundleSummary struct {
	Bundle   *evidence.Bundle
	Uploaded []githubapi.UploadedAsset
}

// SummaryFormats are the encoders of the summary: text for a terminal,
// JSON for a script (the documents themselves are in the bundle).
var SummaryFormats = &report.Registry[BundleSummary]{What: "the evidence summary", Encoders: []report.Encoder[BundleSummary]{
	{Name: "text", MediaType: report.MediaText, Ext: "txt", Write: summaryText},
	{Name: "json", MediaType: report.MediaJSON, Ext: "json", Write: summaryJSON},
}}

func summaryJSON(w writer, s BundleSummary) error {
	b, up := s.Bundle, s.Uploaded
	type asset struct {
		Name     string `json:"name"`
		ID       int64  `json:"id"`
		URL      string `json:"url"`
		Replaced bool   `json:"replaced"`
	}
	out := struct {
		Verdict      string          `json:"verdict"`
		Subject      string          `json:"subject"`
		Dir          string          `json:"dir"`
		Zip          string          `json:"zip"`
		ZipSHA256    string          `json:"zip_sha256"`
		InputsDigest string          `json:"inputs_digest"`
		Date         string          `json:"date,omitempty"`
		DateFrom     string          `json:"date_from,omitempty"`
		Files        []evidence.File `json:"files"`
		Uploaded     []asset         `json:"uploaded,omitempty"`
	}{Verdict: string(b.Result.Verdict), Subject: b.Result.Subject, Dir: b.Dir, Zip: b.Zip, ZipSHA256: b.ZipSHA256,
		InputsDigest: b.InputsDigest, DateFrom: b.DateFrom, Files: b.Files}
	if !b.Date.IsZero() {
		out.Date = b.Date.UTC().Format("2006-01-02T15:04:05Z")
	}
	for _, u := range up {
		out.Uploaded = append(out.Uploaded, asset{u.Name, u.ID, u.URL, u.Replaced})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func summaryText(w writer, sum BundleSummary) error {
	b, up := sum.Bundle, sum.Uploaded
	fmt.Fprintf(w, "tracegate evidence: %s — %s\n", strings.ToUpper(string(b.Result.Verdict)), report.Text(b.Result.Subject))
	s := b.Result.Summary
	fmt.Fprintf(w, "  %d errors, %d warnings, %d notes; %d rules failed\n", s.Errors, s.Warnings, s.Notes, s.RulesFailed)
	fmt.Fprintf(w, "bundle:  %s (%d files and %s)\n", report.Text(b.Dir), len(b.Files), evidence.ManifestFile)
	fmt.Fprintf(w, "zip:     %s\n         sha256 %s\n", report.Text(b.Zip), b.ZipSHA256)
	fmt.Fprintf(w, "inputs:  sha256 %s\n", b.InputsDigest)
	if b.Date.IsZero() {
		fmt.Fprintln(w, "dated:   not dated (no commit date; SOURCE_DATE_EPOCH not set)")
	} else {
		fmt.Fprintf(w, "dated:   %s (%s)\n", b.Date.UTC().Format("2006-01-02 15:04:05Z"), b.DateFrom)
	}
	for _, u := range up {
		verb := "uploaded"
		if u.Replaced {
			verb = "replaced"
		}
		fmt.Fprintf(w, "%s %s %s\n", verb, report.Text(u.Name), report.Text(u.URL))
	}
	return nil
}
