package event

import (
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		in      string
		want    Name
		wantErr string
	}{
		{"pull_request", PullRequest, ""},
		{"pull_request_target", PullRequestTarget, ""},
		{"push", Push, ""},
		{"release", Release, ""},
		{" push\n", Push, ""},
		{"", "", "GITHUB_EVENT_NAME is not set"},
		{"workflow_dispatch", "", `GITHUB_EVENT_NAME is "workflow_dispatch"`},
		{"Pull_Request", "", `GITHUB_EVENT_NAME is "Pull_Request"`},
	}
	for _, tt := range tests {
		got, err := Detect(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Detect(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Detect(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestPushRef(t *testing.T) {
	tests := []struct {
		ref             string
		tag, branch     string
		isTag, isBranch bool
	}{
		{"refs/tags/v1.2.0", "v1.2.0", "", true, false},
		{"refs/heads/main", "", "main", false, true},
		{"refs/heads/release/v1", "", "release/v1", false, true},
		{"refs/pull/1/merge", "", "", false, false},
	}
	for _, tt := range tests {
		p := &PushEvent{Ref: tt.ref}
		tag, isTag := p.Tag()
		branch, isBranch := p.Branch()
		if isTag != tt.isTag || isBranch != tt.isBranch || (isTag && tag != tt.tag) || (isBranch && branch != tt.branch) {
			t.Errorf("%s: Tag() = %q, %v; Branch() = %q, %v", tt.ref, tag, isTag, branch, isBranch)
		}
	}
}
