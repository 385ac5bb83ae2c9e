package gitrepo

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

// errClosed is returned by reads after Repo.Close.
var errClosed = errors.New("git repository is closed")

// catFile is one long-lived git cat-file --batch process shared by every
// Tree of a Repo, so that reading 300 files costs 300 round trips on a pipe
// rather than 300 processes. Requests are serialised by mu; a process that
// dies or falls out of step is killed and the next request starts another.
type catFile struct {
	run *runner
	// done is the Repo's closed context: Close interrupts a request in
	// flight rather than waiting for the lock behind it.
	done context.Context

	mu     sync.Mutex
	closed bool
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	stderr *capBuffer

	// For tests: processes started and objects requested.
	starts, requests int
}

// objectError is a reply that names a problem with the object, after which
// the process is still in step.
type objectError struct{ msg string }

func (e *objectError) Error() string { return e.msg }

// read returns the content of object oid, which must be of type want.
func (c *catFile) read(ctx context.Context, oid, want string) ([]byte, error) {
	// A done context fails the read before it starts: the kill that
	// AfterFunc schedules for it races with a quick reply.
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading git object %s: %w", oid, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for attempt := 0; ; attempt++ {
		if c.closed {
			return nil, errClosed
		}
		fresh := false
		if c.cmd == nil {
			if err := c.start(); err != nil {
				return nil, err
			}
			fresh = true
		}
		data, err := c.request(ctx, oid, want)
		if err == nil {
			return data, nil
		}
		var oe *objectError
		if errors.As(err, &oe) {
			return nil, err
		}
		c.stop()
		if cerr := ctx.Err(); cerr != nil {
			return nil, fmt.Errorf("reading git object %s: %w", oid, cerr)
		}
		if c.done.Err() != nil {
			return nil, errClosed
		}
		// A process that was already running may have died between
		// requests (killed, out of memory): one retry on a new one.
		if fresh || attempt > 0 {
			return nil, c.describe(err)
		}
	}
}

func (c *catFile) start() error {
	args := []string{"cat-file", "--batch"}
	cmd := exec.Command(c.run.git, append(append([]string(nil), c.run.global...), args...)...)
	cmd.Dir = c.run.dir
	cmd.Env = c.run.env
	cmd.WaitDelay = waitDelay
	stderr := &capBuffer{max: maxStderr}
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return &Error{Args: args, Err: err}
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		stdin.Close()
		return &Error{Args: args, Err: err}
	}
	if err := cmd.Start(); err != nil {
		stdin.Close()
		return &Error{Args: args, Err: err}
	}
	c.cmd, c.stdin, c.stdout, c.stderr = cmd, stdin, bufio.NewReaderSize(stdout, 64<<10), stderr
	c.starts++
	return nil
}

// request asks for one object and reads the reply: "<oid> <type> <size>\n",
// the content, "\n"; or "<oid> missing\n" (git-cat-file(1), BATCH OUTPUT).
func (c *catFile) request(ctx context.Context, oid, want string) ([]byte, error) {
	proc := c.cmd.Process
	kill := func() { _ = proc.Kill() }
	defer context.AfterFunc(ctx, kill)()
	defer context.AfterFunc(c.done, kill)()
	c.requests++
	if _, err := io.WriteString(c.stdin, oid+"\n"); err != nil {
		return nil, err
	}
	line, err := c.stdout.ReadSlice('\n')
	if err != nil {
		return nil, fmt.Errorf("reading the reply for %s: %w", oid, err)
	}
	fields := strings.Fields(string(line))
	if len(fields) == 2 && fields[0] == oid && fields[1] == "missing" {
		return nil, &objectError{fmt.Sprintf("git object %s is missing from the repository", oid)}
	}
	if len(fields) != 3 || fields[0] != oid {
		return nil, fmt.Errorf("unexpected reply for %s: %q", oid, line)
	}
	size, err := strconv.ParseInt(fields[2], 10, 64)
	if err != nil || size < 0 {
		return nil, fmt.Errorf("unexpected size in the reply for %s: %q", oid, line)
	}
	data := make([]byte, size+1)
	if _, err := io.ReadFull(c.stdout, data); err != nil {
		return nil, fmt.Errorf("reading %d bytes of %s: %w", size, oid, err)
	}
	if data[size] != '\n' {
		return nil, fmt.Errorf("reply for %s does not end where its size says", oid)
	}
	if fields[1] != want {
		return nil, &objectError{fmt.Sprintf("git object %s is a %s, expected a %s", oid, fields[1], want)}
	}
	return data[:size:size], nil
}

// describe adds git's standard error to the failure of a stopped process.
func (c *catFile) describe(err error) error {
	return &Error{Args: []string{"cat-file", "--batch"}, Stderr: strings.TrimSpace(c.stderr.String()), Err: err}
}

// stop kills the process and waits for it. Caller holds mu.
func (c *catFile) stop() {
	if c.cmd == nil {
		return
	}
	c.stdin.Close()
	_ = c.cmd.Process.Kill()
	_ = c.cmd.Wait()
	c.cmd, c.stdin, c.stdout = nil, nil, nil
}

func (c *catFile) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	c.stop()
	return nil
}
