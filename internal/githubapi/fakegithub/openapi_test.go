package fakegithub_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tracegate/tracegate/internal/githubapi/fakegithub"
)

// TestOpenAPI checks the fake's answers against GitHub's own description
// of them: the response schemas of each endpoint and status the fake
// serves, in the OpenAPI file TRACEGATE_OPENAPI names (from the npm
// package @octokit/openapi, generated/ghes-3.19.json or
// generated/api.github.com.json; not kept in the repository):
//
//	npm install --prefix /tmp/oa @octokit/openapi@23.0.2
//	TRACEGATE_OPENAPI=/tmp/oa/node_modules/@octokit/openapi/generated/ghes-3.19.json \
//	  go test -run TestOpenAPI ./internal/githubapi/fakegithub
func TestOpenAPI(t *testing.T) {
	specPath := os.Getenv("TRACEGATE_OPENAPI")
	if specPath == "" {
		t.Skip("TRACEGATE_OPENAPI is not set; see the comment of TestOpenAPI")
	}
	f, err := os.Open(specPath)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := jsonschema.UnmarshalJSON(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	paths := spec.(map[string]any)["paths"].(map[string]any)
	components := spec.(map[string]any)["components"].(map[string]any)

	srv := fakegithub.New(t)
	seed(srv)
	g := seedGit(t, srv)

	cases := []openAPICase{
		{"issue", "/repos/octo/hello/issues/1", "/repos/{owner}/{repo}/issues/{issue_number}", 200},
		{"closed issue without body", "/repos/octo/hello/issues/2", "/repos/{owner}/{repo}/issues/{issue_number}", 200},
		{"pull request as issue", "/repos/octo/hello/issues/3", "/repos/{owner}/{repo}/issues/{issue_number}", 200},
		{"missing issue", "/repos/octo/hello/issues/99", "/repos/{owner}/{repo}/issues/{issue_number}", 404},
		{"transferred issue", "/repos/octo/hello/issues/5", "/repos/{owner}/{repo}/issues/{issue_number}", 301},
		{"deleted issue", "/repos/octo/hello/issues/6", "/repos/{owner}/{repo}/issues/{issue_number}", 410},
		{"issue list", "/repos/octo/hello/issues?state=all&per_page=2&page=2", "/repos/{owner}/{repo}/issues", 200},
		{"issue list by label", "/repos/octo/hello/issues?labels=bug&state=all", "/repos/{owner}/{repo}/issues", 200},
		{"issue list, bad state", "/repos/octo/hello/issues?state=nope", "/repos/{owner}/{repo}/issues", 422},
		{"issue list, unknown repository", "/repos/octo/none/issues", "/repos/{owner}/{repo}/issues", 404},
		{"open draft pull request from a fork", "/repos/octo/hello/pulls/3", "/repos/{owner}/{repo}/pulls/{pull_number}", 200},
		{"merged pull request", "/repos/octo/hello/pulls/4", "/repos/{owner}/{repo}/pulls/{pull_number}", 200},
		{"missing pull request", "/repos/octo/hello/pulls/1", "/repos/{owner}/{repo}/pulls/{pull_number}", 404},
		{"pull request commits", "/repos/octo/hello/pulls/3/commits", "/repos/{owner}/{repo}/pulls/{pull_number}/commits", 200},
		{"commit", "/repos/octo/git/commits/main", "/repos/{owner}/{repo}/commits/{ref}", 200},
		{"missing commit", "/repos/octo/git/commits/nope", "/repos/{owner}/{repo}/commits/{ref}", 404},
		{"commit list", "/repos/octo/git/commits?sha=main&per_page=1", "/repos/{owner}/{repo}/commits", 200},
		{"compare", "/repos/octo/git/compare/v1...main?per_page=100", "/repos/{owner}/{repo}/compare/{basehead}", 200},
		{"compare, unpaged", "/repos/octo/git/compare/v1...main", "/repos/{owner}/{repo}/compare/{basehead}", 200},
		{"tags", "/repos/octo/git/tags", "/repos/{owner}/{repo}/tags", 200},
		{"tag ref", "/repos/octo/git/git/ref/tags/v1", "/repos/{owner}/{repo}/git/ref/{ref}", 200},
		{"matching refs", "/repos/octo/git/git/matching-refs/tags/v", "/repos/{owner}/{repo}/git/matching-refs/{ref}", 200},
		{"tag object", "/repos/octo/git/git/tags/" + g["tag"], "/repos/{owner}/{repo}/git/tags/{tag_sha}", 200},
		{"git commit", "/repos/octo/git/git/commits/" + g["commit"], "/repos/{owner}/{repo}/git/commits/{commit_sha}", 200},
		{"tree", "/repos/octo/git/git/trees/" + g["commit"] + "?recursive=1", "/repos/{owner}/{repo}/git/trees/{tree_sha}", 200},
		{"blob", "/repos/octo/git/git/blobs/" + g["blob"], "/repos/{owner}/{repo}/git/blobs/{file_sha}", 200},
		{"tarball", "/repos/octo/git/tarball/" + g["commit"], "/repos/{owner}/{repo}/tarball/{ref}", 302},
		{"runs", "/repos/octo/git/actions/runs?head_sha=" + g["commit"], "/repos/{owner}/{repo}/actions/runs", 200},
		{"runs of a workflow", "/repos/octo/git/actions/workflows/ci.yml/runs", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs", 200},
		{"artifacts", "/repos/octo/git/actions/runs/" + g["run"] + "/artifacts", "/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts", 200},
		{"artifact download", "/repos/octo/git/actions/artifacts/" + g["artifact"] + "/zip", "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}", 302},
		{"expired artifact", "/repos/octo/git/actions/artifacts/" + g["expired"] + "/zip", "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}", 410},
		{"check runs", "/repos/octo/git/commits/" + g["commit"] + "/check-runs", "/repos/{owner}/{repo}/commits/{ref}/check-runs", 200},
	}

	cases = append(cases, reviewCases(t, srv, g)...)
	cases = append(cases, rulesCases(t, srv)...)

	doc := map[string]any{
		"$schema":    "https://json-schema.org/draft/2020-12/schema",
		"components": map[string]any{"schemas": convertMap(components["schemas"].(map[string]any))},
	}
	want := map[string]any{}
	for _, c := range cases {
		op := paths[c.specPath].(map[string]any)["get"].(map[string]any)
		resp, ok := op["responses"].(map[string]any)[fmt.Sprint(c.status)].(map[string]any)
		if !ok {
			t.Fatalf("%s: the spec has no %d answer for GET %s", c.name, c.status, c.specPath)
		}
		if ref, ok := resp["$ref"].(string); ok {
			resp = components["responses"].(map[string]any)[strings.TrimPrefix(ref, "#/components/responses/")].(map[string]any)
		}
		content, _ := resp["content"].(map[string]any)
		media, _ := content["application/json"].(map[string]any)
		if media == nil {
			want[c.name] = nil // no body described (304-like answers)
			continue
		}
		want[c.name] = convert(media["schema"])
	}
	doc["cases"] = want
	comp := jsonschema.NewCompiler()
	comp.AssertFormat()
	if err := comp.AddResource("openapi.json", doc); err != nil {
		t.Fatal(err)
	}

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.APIURL()+c.path, nil)
			req.Header.Set("Authorization", "Bearer "+fakegithub.DefaultToken)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.status)
			}
			if want[c.name] == nil {
				return
			}
			body, err := jsonschema.UnmarshalJSON(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			sch, err := comp.Compile("openapi.json#/cases/" + strings.ReplaceAll(c.name, "/", "~1"))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(body); err != nil {
				t.Errorf("the answer does not match the spec's schema:\n%v", err)
			}
		})
	}
	// The 401 every endpoint can answer is a basic-error.
	t.Run("bad credentials", func(t *testing.T) {
		req, _ := http.NewRequest("GET", srv.APIURL()+"/repos/octo/hello/issues/1", nil)
		req.Header.Set("Authorization", "Bearer wrong")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		body, _ := io.ReadAll(resp.Body)
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		sch, err := comp.Compile("openapi.json#/components/schemas/basic-error")
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Error(err)
		}
	})
}

// seedGit serves a small git repository as octo/git, with a CI run, its
// artifacts and a check run, and returns the IDs the cases name.
func seedGit(t *testing.T, srv *fakegithub.Server) map[string]string {
	dir := t.TempDir()
	run := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@example.com", "GIT_COMMITTER_NAME=A", "GIT_COMMITTER_EMAIL=a@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	run("init", "-q", "-b", "main")
	os.WriteFile(dir+"/a.txt", []byte("a\n"), 0o644)
	run("add", "-A")
	run("commit", "-q", "-m", "first")
	run("tag", "-a", "-m", "v1", "v1")
	os.WriteFile(dir+"/b.txt", []byte("b\n"), 0o644)
	run("add", "-A")
	run("commit", "-q", "-m", "second")
	srv.AddGitRepo("octo/git", dir)
	ids := map[string]string{"commit": run("rev-parse", "HEAD"), "tag": run("rev-parse", "v1"), "blob": run("rev-parse", "HEAD:a.txt")}
	r := srv.AddWorkflowRun("octo/git", fakegithub.WorkflowRun{Name: "CI", Path: ".github/workflows/ci.yml", HeadSHA: ids["commit"]})
	ids["run"] = fmt.Sprint(r)
	ids["artifact"] = fmt.Sprint(srv.AddArtifact(r, fakegithub.Artifact{Name: "test-reports", Files: map[string]string{"r.xml": "<testsuites/>"}}))
	ids["expired"] = fmt.Sprint(srv.AddArtifact(r, fakegithub.Artifact{Name: "old", Expired: true}))
	return ids
}

func seed(srv *fakegithub.Server) {
	at := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	srv.AddLabel("octo/hello", fakegithub.Label{Name: "bug", Color: "d73a4a", Description: "Something isn't working"})
	srv.AddIssue("octo/hello", fakegithub.Issue{Number: 1, Title: "Pump stalls", Body: "Steps to reproduce", Labels: []string{"bug", "problem-report"}, Created: at})
	srv.AddIssue("octo/hello", fakegithub.Issue{Number: 2, Title: "Closed", State: "closed", Labels: []string{"bug"}})
	srv.AddPullRequest("octo/hello", fakegithub.PullRequest{Number: 3, Title: "Fix stall", Body: "Fixes #1", Draft: true,
		Labels: []string{"bug"}, HeadRef: "fix", HeadSHA: strings.Repeat("a", 40), BaseRef: "main", BaseSHA: strings.Repeat("b", 40),
		HeadRepo: "fork/hello"})
	srv.AddPullRequest("octo/hello", fakegithub.PullRequest{Number: 4, Title: "Merged", State: "closed", Merged: true,
		MergeCommitSHA: strings.Repeat("c", 40), HeadRef: "x", HeadSHA: strings.Repeat("d", 40), BaseRef: "main", BaseSHA: strings.Repeat("e", 40)})
	srv.AddPRCommits("octo/hello", 3,
		fakegithub.Commit{SHA: strings.Repeat("1", 40), Parents: []string{strings.Repeat("b", 40)}, Message: "Fix stall\n\nDetails", AuthorName: "Mona", AuthorEmail: "mona@example.com", Login: "mona", Date: at},
		fakegithub.Commit{SHA: strings.Repeat("a", 40), Parents: []string{strings.Repeat("1", 40)}, Message: "Unknown author", AuthorName: "Someone", AuthorEmail: "someone@example.com"})
	srv.AddIssue("octo/hello", fakegithub.Issue{Number: 5, Title: "Moving"})
	srv.TransferIssue("octo/hello", 5, "octo/elsewhere", 1)
	srv.AddIssue("octo/hello", fakegithub.Issue{Number: 6, Title: "Deleting"})
	srv.DeleteIssue("octo/hello", 6)
}

// convert turns an OpenAPI 3.0 schema into JSON Schema 2020-12: nullable
// becomes a union with null; example is dropped.
func convert(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, val := range m {
		switch k {
		case "nullable", "example", "discriminator":
		case "properties", "patternProperties":
			out[k] = convertMap(val.(map[string]any))
		case "items", "additionalProperties", "not":
			out[k] = convert(val)
		case "allOf", "anyOf", "oneOf":
			var list []any
			for _, s := range val.([]any) {
				list = append(list, convert(s))
			}
			out[k] = list
		default:
			out[k] = val
		}
	}
	if n, _ := m["nullable"].(bool); n {
		return map[string]any{"anyOf": []any{out, map[string]any{"type": "null"}}}
	}
	return out
}

func convertMap(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = convert(v)
	}
	return out
}
