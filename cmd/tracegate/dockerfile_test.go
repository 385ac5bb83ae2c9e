package main

import (
	"bufio"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// dockerStage is one FROM … stage of a Dockerfile: its image, its name and
// its instructions, continuation lines joined.
type dockerStage struct {
	image, name string
	steps       []dockerStep
}

type dockerStep struct {
	line    int
	op, arg string
}

func parseDockerfile(t *testing.T, path string) []dockerStage {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var stages []dockerStage
	var cur strings.Builder
	start := 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if cur.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if cur.Len() == 0 {
			start = n
		}
		if s, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(s + " ")
			continue
		}
		cur.WriteString(line)
		op, arg, _ := strings.Cut(cur.String(), " ")
		cur.Reset()
		op = strings.ToUpper(op)
		if op == "FROM" {
			f := strings.Fields(arg)
			st := dockerStage{image: f[0]}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				st.name = f[2]
			}
			stages = append(stages, st)
			continue
		}
		if len(stages) == 0 {
			t.Fatalf("%s:%d: %s before FROM", path, start, op)
		}
		stages[len(stages)-1].steps = append(stages[len(stages)-1].steps, dockerStep{start, op, strings.TrimSpace(arg)})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return stages
}

// goVersion reads "1.26.3" as comparable numbers.
func goVersion(t *testing.T, v string) [3]int {
	var out [3]int
	for i, p := range strings.SplitN(v, ".", 3) {
		n, err := strconv.Atoi(p)
		if err != nil {
			t.Fatalf("Go version %q", v)
		}
		out[i] = n
	}
	return out
}

// Docker has no engine here: the Dockerfile is checked by running its
// build step the way the builder stage does, and by checking what its
// runtime stage needs of the result.
func TestDockerfile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	root, _ := filepath.Abs("../..")
	stages := parseDockerfile(t, filepath.Join(root, "Dockerfile"))
	if len(stages) != 2 {
		t.Fatalf("%d stages, want a build and a runtime stage", len(stages))
	}
	build, runtime := stages[0], stages[1]

	// The builder's Go is at least the one go.mod asks for.
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`(?m)^go (\d+\.\d+\.\d+)$`).FindSubmatch(gomod)
	have := regexp.MustCompile(`^golang:(\d+\.\d+\.\d+)`).FindStringSubmatch(build.image)
	if want == nil || have == nil {
		t.Fatalf("go.mod's go directive or the builder image %q not found", build.image)
	}
	if w, h := goVersion(t, string(want[1])), goVersion(t, have[1]); h[0] != w[0] || h[1] < w[1] || h[1] == w[1] && h[2] < w[2] {
		t.Errorf("the builder image %s is older than go.mod's go %s", build.image, want[1])
	}

	// Run the build step as the builder stage does: in the context's root,
	// with its ARGs set, the output directory moved under a temporary one.
	args := map[string]string{}
	var buildCmd string
	for _, s := range build.steps {
		switch s.op {
		case "ARG":
			name, _, _ := strings.Cut(s.arg, "=")
			args[name] = ""
		case "RUN":
			if strings.Contains(s.arg, "scripts/build.sh") {
				buildCmd = s.arg
			}
		}
	}
	m := regexp.MustCompile(`scripts/build\.sh\s+(\S+)`).FindStringSubmatch(buildCmd)
	if m == nil {
		t.Fatal("the build stage does not build through scripts/build.sh")
	}
	built := m[1]
	tmp := t.TempDir()
	cmd := exec.Command("sh", "-c", strings.ReplaceAll(buildCmd, filepath.Dir(built)+"/", tmp+"/"))
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "VERSION=v9.8.7-docker", "COMMIT=0123456789abcdef0123456789abcdef01234567")
	if _, ok := args["VERSION"]; !ok {
		t.Error("the build stage has no ARG VERSION")
	}
	if _, ok := args["COMMIT"]; !ok {
		t.Error("the build stage has no ARG COMMIT")
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", buildCmd, err, out)
	}
	bin := filepath.Join(tmp, filepath.Base(built))

	// The runtime image (alpine, musl) has no glibc: the binary is static.
	ef, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ef.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary is dynamically linked; the runtime image cannot run it")
		}
	}
	ef.Close()
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "v9.8.7-docker") || !strings.Contains(string(out), "0123456789ab") {
		t.Errorf("tracegate version: %v\n%s", err, out)
	}

	// The runtime stage copies that binary, runs it, has git, and is not root;
	// by default it serves the App, with its database in a volume the user
	// owns, and its health probe on the port it exposes.
	var copied, entry, user, cmdArgs, expose, health, volume string
	env := map[string]string{}
	hasGit, ownsData := false, false
	for _, s := range runtime.steps {
		switch s.op {
		case "COPY":
			if f := strings.Fields(s.arg); len(f) == 3 && f[0] == "--from="+build.name && f[1] == built {
				copied = f[2]
			}
		case "ENTRYPOINT":
			if m := regexp.MustCompile(`^\["([^"]+)"`).FindStringSubmatch(s.arg); m != nil {
				entry = m[1]
			}
		case "RUN":
			hasGit = hasGit || regexp.MustCompile(`apk add [^&]*\bgit\b`).MatchString(s.arg)
			ownsData = ownsData || regexp.MustCompile(`chown 10001 /var/lib/tracegate\b`).MatchString(s.arg)
		case "USER":
			user = s.arg
		case "CMD":
			cmdArgs = s.arg
		case "EXPOSE":
			expose = s.arg
		case "HEALTHCHECK":
			health = s.arg
		case "VOLUME":
			volume = s.arg
		case "ENV":
			for _, kv := range strings.Fields(s.arg) {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
			}
		}
	}
	if cmdArgs != `["serve"]` {
		t.Errorf("the image runs %s by default, want [\"serve\"]", cmdArgs)
	}
	if env["TRACEGATE_LISTEN"] != ":"+expose || !strings.Contains(health, "127.0.0.1:"+expose+"/healthz") {
		t.Errorf("listens on %q, exposes %q, probes %q: want one port and /healthz", env["TRACEGATE_LISTEN"], expose, health)
	}
	if db := env["TRACEGATE_DB"]; volume == "" || !strings.HasPrefix(db, volume+"/") || !ownsData || user != "10001" {
		t.Errorf("the database %q is not in the volume %q the user owns (chown 10001: %v, user %q)", db, volume, ownsData, user)
	}
	// The built binary serves, and refuses to without its secrets.
	serve := exec.Command(bin, "serve")
	serve.Env = []string{"PATH=" + os.Getenv("PATH"), "TRACEGATE_APP_ID=1"}
	out, err = serve.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "no webhook secret") {
		t.Errorf("tracegate serve without a secret: %v\n%s", err, out)
	}
	if copied == "" || entry != copied {
		t.Errorf("the runtime stage copies %q and runs %q: want the built %s, run", copied, entry, built)
	}
	if !hasGit {
		t.Error("the runtime image does not install git, which tracegate reads repositories with")
	}
	if user == "" || user == "0" || user == "root" {
		t.Errorf("the runtime image runs as %q: run as an unprivileged user", user)
	}
}
