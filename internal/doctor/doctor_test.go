package doctor

import (
	"os"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The permissions doctor holds the App's installation to are app.yml's.
func TestAppPermissions(t *testing.T) {
	data, err := os.ReadFile("../../app.yml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Perms map[string]string `yaml:"default_permissions"`
	}
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Perms) != len(AppPermissions) {
		t.Fatalf("app.yml %v, doctor %v", m.Perms, AppPermissions)
	}
	for k, v := range m.Perms {
		if AppPermissions[k] != v {
			t.Errorf("%s: app.yml %s, doctor %s", k, v, AppPermissions[k])
		}
	}
}

func TestExitCode(t *testing.T) {
	for _, c := range []struct {
		checks []Check
		want   int
	}{
		{[]Check{{Status: OK}}, 0},
		{[]Check{{Status: OK}, {Status: Gap}}, 1},
		{[]Check{{Status: Gap}, {Status: Unknown}}, 3},
		{nil, 0},
	} {
		if got := ExitCode(c.checks); got != c.want {
			t.Errorf("%v: %d, want %d", c.checks, got, c.want)
		}
	}
}
