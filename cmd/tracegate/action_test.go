package main

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/internal/check"
)

// `tracegate action` outside a workflow says what it is for and fails as a
// usage error, still publishing an errored result (internal/action has the
// end-to-end tests, with act).
func TestActionOutsideAWorkflow(t *testing.T) {
	for _, k := range []string{"GITHUB_WORKSPACE", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "INPUT_GITHUB_TOKEN", "INPUT_MODE", "INPUT_FAIL_ON"} {
		t.Setenv(k, "")
	}
	t.Setenv("RUNNER_TEMP", t.TempDir())
	code, out, _ := tracegate(t, "action")
	if code != check.ExitUsage || !strings.Contains(out, "GITHUB_WORKSPACE is not set") || !strings.Contains(out, "::error title=tracegate%3A evaluation error::") {
		t.Errorf("exit %d\n%s", code, out)
	}
}
