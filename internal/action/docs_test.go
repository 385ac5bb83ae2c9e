package action

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The workflows in the documentation are copied into users' repositories:
// each must parse, and use only inputs and outputs action.yml has.
func TestDocumentedWorkflows(t *testing.T) {
	var action struct {
		Inputs  map[string]any
		Outputs map[string]any
	}
	if err := yaml.Unmarshal([]byte(readFile(t, filepath.Join(root, "action.yml"))), &action); err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)```yaml\n(.*?)```")
	releaseRef := regexp.MustCompile(`^v\d`)
	outputRef := regexp.MustCompile(`steps\.(\w[\w-]*)\.outputs\.([\w-]+)`)
	checked := 0
	for _, doc := range []string{"README.md", "docs/action.md"} {
		text, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range block.FindAllStringSubmatch(string(text), -1) {
			type step struct {
				ID   string
				Uses string
				With map[string]any
			}
			var wf struct {
				Jobs  map[string]struct{ Steps []step }
				Steps []step // a block of steps alone
			}
			var err error
			var root yaml.Node
			if err := yaml.Unmarshal([]byte(m[1]), &root); err != nil {
				t.Errorf("%s, YAML block %d: %v", doc, i+1, err)
				continue
			}
			if len(root.Content) == 1 && root.Content[0].Kind == yaml.SequenceNode {
				err = yaml.Unmarshal([]byte(m[1]), &wf.Steps)
			} else {
				err = yaml.Unmarshal([]byte(m[1]), &wf)
			}
			if err != nil {
				t.Errorf("%s, YAML block %d: %v", doc, i+1, err)
				continue
			}
			steps := wf.Steps
			for _, j := range wf.Jobs {
				steps = append(steps, j.Steps...)
			}
			ours := map[string]bool{}
			jobs := [][]step{wf.Steps}
			for _, j := range wf.Jobs {
				jobs = append(jobs, j.Steps)
			}
			// No release is published: a use at a tag would download a binary
			// that does not exist. The action builds from source at any other
			// ref, which needs Go on the runner before it.
			for _, job := range jobs {
				if strings.HasPrefix(strings.TrimSpace(m[1]), "# once tracegate publishes releases") {
					break // the form of a use that is not possible yet, said to be so
				}
				goSetUp := false
				for _, s := range job {
					goSetUp = goSetUp || strings.HasPrefix(s.Uses, "actions/setup-go@")
					ref, ok := strings.CutPrefix(s.Uses, "tracegate/tracegate@")
					if !ok {
						continue
					}
					if releaseRef.MatchString(ref) || s.With["version"] != nil {
						t.Errorf("%s, YAML block %d: uses tracegate/tracegate@%s (version %v), a release, and none is published", doc, i+1, ref, s.With["version"])
					}
					if !goSetUp {
						t.Errorf("%s, YAML block %d: tracegate/tracegate@%s is built from source, and no actions/setup-go step comes before it", doc, i+1, ref)
					}
				}
			}
			for _, s := range steps {
				if !strings.HasPrefix(s.Uses, "tracegate/tracegate@") {
					continue
				}
				checked++
				if s.ID != "" {
					ours[s.ID] = true
				}
				for k := range s.With {
					if _, ok := action.Inputs[k]; !ok {
						t.Errorf("%s, YAML block %d: input %q is not in action.yml", doc, i+1, k)
					}
				}
			}
			for _, ref := range outputRef.FindAllStringSubmatch(m[1], -1) {
				if _, ok := action.Outputs[ref[2]]; ours[ref[1]] && !ok {
					t.Errorf("%s, YAML block %d: output %q is not in action.yml", doc, i+1, ref[2])
				}
			}
		}
	}
	if checked < 6 {
		t.Errorf("only %d uses of the action found in the documentation", checked)
	}
}
