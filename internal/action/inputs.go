package action

import (
	"fmt"
	"strings"

	"github.com/sethvargo/go-githubactions"
)

// Mode is the gate a run evaluates; ModeAuto picks it from the event.
type Mode string

const (
	ModeAuto     Mode = "auto"
	ModePR       Mode = "pr"
	ModeRelease  Mode = "release"
	ModeValidate Mode = "validate"
)

// Inputs are the action's inputs. action.yml maps each to an INPUT_*
// variable whose name has underscores where the input has hyphens
// (fail-on → INPUT_FAIL_ON), so that every shell can name them.
type Inputs struct {
	Mode   Mode
	Config string // the policy's path inside the repository; "" is .github/tracegate.yml
	// SBOMs and Tests are globs in the work tree, one per line: SBOMs and
	// test reports CI made for the evaluated commit.
	SBOMs, Tests []string
	Token        string
	// FailOn is error, warning, note or never: the lowest finding severity
	// that fails the step. never reports only; an evaluation error fails
	// the step whatever FailOn says.
	FailOn      string
	SARIFFile   string // where to write SARIF; "" is EvidenceDir/tracegate-GATE.sarif
	EvidenceDir string // where the result files go; "" is $RUNNER_TEMP/tracegate
	// UploadEvidence says whether the release gate attaches its evidence
	// bundle to the GitHub release of the tag: auto when the release
	// exists, true always (a missing release fails the step), false never.
	UploadEvidence string
}

// readInputs reads the inputs. The token is masked before anything else
// can be printed.
func readInputs(gha *githubactions.Action) (Inputs, error) {
	in := Inputs{Token: gha.GetInput("github_token")}
	if in.Token != "" {
		gha.AddMask(in.Token)
	}
	in.Mode = Mode(strings.ToLower(gha.GetInput("mode")))
	in.Config = gha.GetInput("config")
	in.SBOMs = splitList(gha.GetInput("sbom"))
	in.Tests = splitList(gha.GetInput("tests"))
	in.FailOn = strings.ToLower(gha.GetInput("fail_on"))
	in.SARIFFile = gha.GetInput("sarif_file")
	in.EvidenceDir = gha.GetInput("evidence_dir")
	in.UploadEvidence = strings.ToLower(gha.GetInput("upload_evidence"))
	if in.Mode == "" {
		in.Mode = ModeAuto
	}
	if in.FailOn == "" {
		in.FailOn = "error"
	}
	if in.UploadEvidence == "" {
		in.UploadEvidence = "auto"
	}
	switch in.Mode {
	case ModeAuto, ModePR, ModeRelease, ModeValidate:
	default:
		return in, fmt.Errorf("input mode is %q: use auto, pr, release or validate", in.Mode)
	}
	switch in.FailOn {
	case "error", "warning", "note", "never":
	default:
		return in, fmt.Errorf("input fail-on is %q: use error, warning, note or never", in.FailOn)
	}
	switch in.UploadEvidence {
	case "auto", "true", "false":
	default:
		return in, fmt.Errorf("input upload-evidence is %q: use auto, true or false", in.UploadEvidence)
	}
	return in, nil
}

// splitList reads a multi-line input: one item per line, blank lines
// ignored. Commas do not separate, since globs hold them ({a,b}).
func splitList(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}
