package app

import (
	"os"
	"slices"
	"sort"
	"testing"

	"go.yaml.in/yaml/v3"
)

// app.yml subscribes to exactly the events the App acts on (installation
// events come to every App unasked) and asks for the least permissions:
// checks write, everything else read.
func TestManifest(t *testing.T) {
	data, err := os.ReadFile("../../app.yml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Name        string            `yaml:"name"`
		URL         string            `yaml:"url"`
		Hook        map[string]any    `yaml:"hook_attributes"`
		Permissions map[string]string `yaml:"default_permissions"`
		Events      []string          `yaml:"default_events"`
	}
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var want []string
	for e := range knownEvents {
		if e != "ping" && e != "installation" && e != "installation_repositories" {
			want = append(want, e)
		}
	}
	sort.Strings(want)
	got := slices.Clone(m.Events)
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("app.yml subscribes to %v, the App handles %v", got, want)
	}
	perms := map[string]string{"checks": "write", "contents": "read", "pull_requests": "read", "issues": "read", "actions": "read", "metadata": "read"}
	if len(m.Permissions) != len(perms) {
		t.Errorf("permissions %v, want %v", m.Permissions, perms)
	}
	for k, v := range perms {
		if m.Permissions[k] != v {
			t.Errorf("permission %s: %q, want %q", k, m.Permissions[k], v)
		}
	}
	if m.Name == "" || m.URL == "" || m.Hook["url"] == nil {
		t.Errorf("manifest %+v lacks a name, url or webhook url", m)
	}
}
