package store

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The tests start copies of the test binary as other processes: one that
// accepts deliveries until it is killed, and replicas that work a queue.
// helperEnv selects the role; TestMain hands over to helperMain.
const (
	helperEnv     = "TRACEGATE_STORE_HELPER"
	helperDBEnv   = "TRACEGATE_STORE_HELPER_DB"
	helperSyncEnv = "TRACEGATE_STORE_HELPER_SYNC" // SQLite's synchronous setting
)

func helperMain() int {
	db := os.Getenv(helperDBEnv)
	var err error
	switch os.Getenv(helperEnv) {
	case "accept":
		err = acceptForever(db)
	case "work":
		err = workUntilEOF(db)
	case "hang":
		err = hang(db)
	default:
		err = fmt.Errorf("unknown helper %q", os.Getenv(helperEnv))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// acceptForever accepts deliveries, each with one job, from acceptors
// goroutines at once, and prints "ack ID" once Accept has returned: every
// ID printed is durable. Meanwhile a Runner works the jobs, recording a
// decision for each, and prints "done JOB" once Complete has returned: on
// SQLite the deliveries and the workers' writes share group commits.
func acceptForever(db string) error {
	const acceptors = 8
	ctx := context.Background()
	s, err := Open(ctx, db, Options{Synchronous: os.Getenv(helperSyncEnv)})
	if err != nil {
		return err
	}
	var mu sync.Mutex
	say := func(format string, args ...any) error {
		mu.Lock()
		defer mu.Unlock()
		_, err := fmt.Fprintf(os.Stdout, format, args...)
		return err
	}
	r := &Runner{Queue: printCompletions{s, say}, Workers: 4, Poll: 5 * time.Millisecond, Lease: time.Minute, Owner: "acceptor",
		Handle: func(ctx context.Context, j Job) error {
			_, err := s.Record(ctx, Decision{Repository: j.Key.Repository, Ref: "pull/" + strconv.Itoa(j.Key.Number), SHA: j.Key.SHA,
				Gate: "pr", Verdict: "pass", PolicyDigest: "sha256:0", InputsDigest: "sha256:0", DeliveryID: j.DeliveryID, JobID: j.ID})
			return err
		}}
	go func() { _ = r.Run(ctx) }()
	if err := say("ready\n"); err != nil {
		return err
	}
	errs := make(chan error, acceptors)
	var next atomic.Int64
	for range acceptors {
		go func() {
			for {
				i := int(next.Add(1))
				id := "kill-" + strconv.Itoa(i)
				if _, err := s.Accept(ctx, delivery(id), prJob(i, "0123abcd")); err != nil {
					errs <- err
					return
				}
				r.Wake()
				if err := say("ack %s\n", id); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	return <-errs
}

// printCompletions prints "done JOB" for each job completed, once the
// store said so.
type printCompletions struct {
	Queue
	say func(format string, args ...any) error
}

func (q printCompletions) Complete(ctx context.Context, j Job) error {
	if err := q.Queue.Complete(ctx, j); err != nil {
		return err
	}
	return q.say("done %d\n", j.ID)
}

// workUntilEOF runs a Runner that prints "ran ID NUMBER" for each job it
// completes, until its standard input closes; then it drains and exits.
func workUntilEOF(db string) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := Open(ctx, db, Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	r := &Runner{Queue: s, Workers: 4, Poll: 5 * time.Millisecond, Lease: time.Minute,
		Owner: "replica-" + strconv.Itoa(os.Getpid()),
		Handle: func(ctx context.Context, j Job) error {
			time.Sleep(200 * time.Microsecond) // a little work, so that claims interleave
			mu.Lock()
			defer mu.Unlock()
			_, err := fmt.Fprintf(out, "ran %d %d\n", j.ID, j.Key.Number)
			return err
		}}
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); cancel() }()
	fmt.Println("ready")
	err = r.Run(ctx)
	mu.Lock()
	defer mu.Unlock()
	return errorsJoin(err, out.Flush())
}

// hang claims jobs and prints "started ID" for each, then works on them
// until it is killed.
func hang(db string) error {
	s, err := Open(context.Background(), db, Options{})
	if err != nil {
		return err
	}
	r := &Runner{Queue: s, Workers: 4, Poll: 5 * time.Millisecond, Lease: time.Minute, Owner: "hanging",
		Handle: func(ctx context.Context, j Job) error {
			fmt.Printf("started %d\n", j.ID)
			<-ctx.Done()
			return ctx.Err()
		}}
	fmt.Println("ready")
	return r.Run(context.Background())
}

func errorsJoin(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// helper starts the test binary in role with db; env adds variables.
func helper(t *testing.T, role, db string, env ...string) (*exec.Cmd, *bufio.Scanner, io.WriteCloser) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), helperEnv+"="+role, helperDBEnv+"="+db), env...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() || sc.Text() != "ready" {
		t.Fatalf("helper %s did not start: %q %v", role, sc.Text(), sc.Err())
	}
	return cmd, sc, stdin
}
