package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/tracegate/tracegate/internal/check"
	"github.com/tracegate/tracegate/internal/report"
	"github.com/tracegate/tracegate/internal/scaffold"
	"github.com/tracegate/tracegate/internal/version"
)

// InitOptions are tracegate init's flags.
type InitOptions struct {
	DryRun    bool
	Class     string
	ActionRef string
	Branch    string
	// SOUPIssues keeps the SOUP register as GitHub issues (--soup-issues).
	SOUPIssues bool
}

// Init writes the files that make the gates work on a repository
// (tracegate init): what scaffold plans for what it finds there, each
// only where nothing exists yet.
func Init(o Options, io InitOptions) int {
	dir, err := o.dir()
	if err != nil {
		return o.fail(err)
	}
	switch strings.ToUpper(io.Class) {
	case "", "A", "B", "C":
	default:
		return o.fail(usagef("--class %q: use A, B or C (IEC 62304 4.3)", io.Class))
	}
	ref := io.ActionRef
	v, commit := version.Get()
	if ref == "" {
		// The commit this binary was built from, when it is a clean one:
		// the workflows then run the tracegate that wrote them.
		if scaffold.Pinned(commit) && !strings.Contains(v, "dirty") {
			ref = commit
		} else {
			ref = "main"
		}
	}
	if strings.ContainsAny(ref, " \t\r\n#'\"") {
		return o.fail(usagef("--action-ref %q: give a commit SHA or a branch of tracegate/tracegate", ref))
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return o.fail(usagef("--dir %s: %w", dir, unwrapPath(err)))
	}
	defer root.Close()
	found, err := scaffold.Inspect(root.FS())
	if err != nil && found == nil {
		return o.fail(err)
	}
	if err != nil {
		fmt.Fprintf(o.Stderr, "tracegate init: %s\n", report.Text(err.Error()))
	}
	files, err := scaffold.Plan(found, scaffold.Options{Class: strings.ToUpper(io.Class), ActionRef: ref, Version: v, Branch: io.Branch, SOUPIssues: io.SOUPIssues})
	if err != nil {
		return o.fail(err)
	}
	outcomes, err := scaffold.Write(dir, files, io.DryRun)
	for _, oc := range outcomes {
		switch {
		case oc.Exists:
			fmt.Fprintf(o.Stdout, "exists       %s (left as it is)\n", report.Text(oc.Path))
		case io.DryRun:
			fmt.Fprintf(o.Stdout, "would write  %s — %s\n", report.Text(oc.Path), oc.What)
		default:
			fmt.Fprintf(o.Stdout, "wrote        %s — %s\n", report.Text(oc.Path), oc.What)
		}
	}
	if err != nil {
		return o.fail(err)
	}
	if io.DryRun {
		for _, oc := range outcomes {
			if !oc.Exists {
				fmt.Fprintf(o.Stdout, "\n--- %s\n%s", report.Text(oc.Path), oc.Data)
			}
		}
		return check.ExitPass
	}
	fmt.Fprintf(o.Stdout, "\nNext: review the policy's comments, commit these files, push, require the checks\n"+
		"tracegate/pr and tracegate/release in rulesets, and run tracegate doctor (README: \"Ten minutes to an enforced gate\").\n")
	return check.ExitPass
}
