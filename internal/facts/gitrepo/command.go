package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
)

// Error is a git command that failed: the command (without the options
// every command gets), git's standard error, and the exit status or the
// reason it could not run.
type Error struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *Error) Error() string {
	s := "git " + strings.Join(e.Args, " ") + ": " + e.Err.Error()
	if e.Stderr != "" {
		s += ": " + e.Stderr
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// exitCode is the exit status of the failed command, or -1 when it did not
// exit normally.
func (e *Error) exitCode() int {
	var ee *exec.ExitError
	if errors.As(e.Err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// localEnvVars are the variables that point git at another repository,
// index or object store than the one found from the working directory (git
// rev-parse --local-env-vars, git 2.39, plus GIT_CONFIG_KEY_n/VALUE_n that
// go with GIT_CONFIG_COUNT).
var localEnvVars = map[string]bool{
	"GIT_ALTERNATE_OBJECT_DIRECTORIES": true,
	"GIT_CONFIG":                       true,
	"GIT_CONFIG_PARAMETERS":            true,
	"GIT_CONFIG_COUNT":                 true,
	"GIT_OBJECT_DIRECTORY":             true,
	"GIT_DIR":                          true,
	"GIT_WORK_TREE":                    true,
	"GIT_IMPLICIT_WORK_TREE":           true,
	"GIT_GRAFT_FILE":                   true,
	"GIT_INDEX_FILE":                   true,
	"GIT_NO_REPLACE_OBJECTS":           true,
	"GIT_REPLACE_REF_BASE":             true,
	"GIT_PREFIX":                       true,
	"GIT_INTERNAL_SUPER_PREFIX":        true,
	"GIT_SHALLOW_FILE":                 true,
	"GIT_COMMON_DIR":                   true,
}

// commandEnv is the environment of every git command: the caller's, without
// the variables that redirect git elsewhere or change its messages, plus
// the settings that keep git from waiting on a terminal or a pager.
func commandEnv(environ []string) []string {
	env := make([]string, 0, len(environ)+6)
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case localEnvVars[k],
			strings.HasPrefix(k, "GIT_CONFIG_KEY_"), strings.HasPrefix(k, "GIT_CONFIG_VALUE_"),
			k == "LC_ALL", k == "GIT_PAGER", k == "PAGER", k == "GIT_TERMINAL_PROMPT", k == "GIT_OPTIONAL_LOCKS":
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"LC_ALL=C", // English messages, which Open and Resolve recognise
		"GIT_TERMINAL_PROMPT=0",
		"GIT_PAGER=cat",
		"PAGER=cat",
		// Never take the index lock: tracegate may run beside the user's
		// own git commands in the same clone.
		"GIT_OPTIONAL_LOCKS=0",
	)
}

// globalArgs are the options every command gets before its name.
func globalArgs(safeDirs ...string) []string {
	args := []string{"--no-pager",
		"-c", "core.quotepath=off",
		"-c", "color.ui=false",
		"-c", "log.showSignature=false",
		"-c", "i18n.logOutputEncoding=UTF-8",
	}
	for _, d := range safeDirs {
		args = append(args, "-c", "safe.directory="+d)
	}
	return args
}

// waitDelay bounds how long a cancelled command may keep its pipes open
// (a child it started could hold them): Wait gives up after it.
const waitDelay = 5 * time.Second

// maxStderr is how much of git's standard error is kept for messages; a
// GIT_TRACE left on in the environment must not fill memory.
const maxStderr = 16 << 10

// runner runs git commands in one directory with one environment.
type runner struct {
	git    string   // absolute path of the git executable
	dir    string   // working directory of every command
	env    []string // see commandEnv
	global []string // see globalArgs
}

func (r *runner) command(ctx context.Context, args []string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, r.git, append(append([]string(nil), r.global...), args...)...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	cmd.WaitDelay = waitDelay
	return cmd
}

// output runs a command and returns its standard output.
func (r *runner) output(ctx context.Context, args ...string) ([]byte, error) {
	return r.outputStdin(ctx, nil, args...)
}

// outputStdin is output with a standard input (the null device when nil).
func (r *runner) outputStdin(ctx context.Context, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := r.command(ctx, args)
	cmd.Stdin = stdin
	var stdout bytes.Buffer
	stderr := &capBuffer{max: maxStderr}
	cmd.Stdout = &stdout
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		return nil, r.fail(ctx, args, stderr, err)
	}
	return stdout.Bytes(), nil
}

// stream runs a command and hands its standard output to parse as it comes,
// so that a long log is never held in memory as text and as values at once.
// Whatever the parser leaves is drained, so git always runs to its end and a
// failed command (whose message says why the output was short) wins over
// the parse error it caused.
func (r *runner) stream(ctx context.Context, args []string, parse func(io.Reader) error) error {
	cmd := r.command(ctx, args)
	stderr := &capBuffer{max: maxStderr}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return r.fail(ctx, args, stderr, err)
	}
	if err := cmd.Start(); err != nil {
		return r.fail(ctx, args, stderr, err)
	}
	perr := parse(stdout)
	_, _ = io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		return r.fail(ctx, args, stderr, err)
	}
	if perr != nil {
		return &Error{Args: args, Err: perr}
	}
	return nil
}

func (r *runner) fail(ctx context.Context, args []string, stderr *capBuffer, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		err = fmt.Errorf("%w (%v)", cerr, err)
	}
	return &Error{Args: args, Stderr: strings.TrimSpace(stderr.String()), Err: err}
}

// capBuffer keeps the first max bytes written to it and counts the rest.
type capBuffer struct {
	buf     bytes.Buffer
	max     int
	dropped int
}

func (b *capBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if room := b.max - b.buf.Len(); room < len(p) {
		b.dropped += len(p) - max(room, 0)
		p = p[:max(room, 0)]
	}
	b.buf.Write(p)
	return n, nil
}

func (b *capBuffer) Len() int { return b.buf.Len() }

func (b *capBuffer) String() string {
	if b.dropped > 0 {
		return b.buf.String() + fmt.Sprintf("… (%d more bytes)", b.dropped)
	}
	return b.buf.String()
}

// lookGit finds the git executable once, so that every command runs the
// same program whatever happens to PATH later.
func lookGit() (string, error) {
	p, err := exec.LookPath("git")
	if err != nil {
		if errors.Is(err, exec.ErrDot) {
			return "", fmt.Errorf("git was found only in the current directory, which is not trusted: %w", err)
		}
		return "", fmt.Errorf("git is not installed or not on PATH (install git; tracegate runs it to read the repository): %w", err)
	}
	return p, nil
}
