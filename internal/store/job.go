package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Key names what a job evaluates. Jobs of the same kind and key coalesce:
// those waiting at once merge into one job, which takes the newest facts
// (arguments and delivery); a job enqueued while one of its kind and key is
// running waits for it to finish and then runs, since it may carry newer
// facts; two never run at the same time. For the PR gate the key is the
// repository, the pull request number and its head SHA: a new push is a new
// SHA and a new evaluation, while edits, labels and re-run requests for the
// same head merge.
type Key struct {
	Repository string // owner/name; compared case-insensitively, as GitHub does
	Number     int    // pull request or issue number; 0 when none
	Ref        string // a tag or branch, for release jobs
	SHA        string // the commit evaluated
}

// canonical is the key as stored: kind and fields separated by '|', each
// field with '%' and '|' escaped so that no two keys collide. A dead-letter
// notice shares its job's key on purpose: a new evaluation of the same key
// waiting at the time supersedes the notice (see merge rules in enqueue).
func (k Key) canonical(kind string) string {
	esc := strings.NewReplacer("%", "%25", "|", "%7C")
	return strings.Join([]string{
		esc.Replace(kind),
		esc.Replace(strings.ToLower(k.Repository)),
		strconv.Itoa(k.Number),
		esc.Replace(k.Ref),
		esc.Replace(strings.ToLower(k.SHA)),
	}, "|")
}

// JobSpec is a job to enqueue.
type JobSpec struct {
	// Kind is what the worker does, e.g. "pr", "release", "issue":
	// lower-case letters, digits and '-'.
	Kind           string
	Key            Key
	InstallationID int64
	// DeliveryID is the delivery the job comes from; Accept sets it.
	DeliveryID string
	// Args are the worker's arguments (JSON, say); the newest replace older
	// ones when jobs merge. Not the payload: the payload stays with the
	// delivery.
	Args []byte
	// Delay holds the job back: it is ready no earlier than now + Delay.
	Delay time.Duration
}

// Job is a claimed job.
type Job struct {
	ID             int64
	Kind           string
	Key            Key
	InstallationID int64
	DeliveryID     string
	Args           []byte
	// DeadLetter marks the notice the store enqueues when a job of Kind and
	// Key is dead-lettered: the App reports Reason (a completed check run
	// with conclusion failure) instead of evaluating. A notice that itself
	// fails its attempts is dead without a further notice.
	DeadLetter bool
	// Reason is why the previous attempt failed, for a retry; why the job
	// died, for a dead-letter notice.
	Reason string
	// Attempt counts from 1; attempts that failed or whose lease expired
	// count, released ones do not.
	Attempt int
	// Merged is how many enqueues merged into this job.
	Merged int
	// Previous is the job this one retries or reports on, 0 for none.
	Previous   int64
	EnqueuedAt time.Time
	Owner      string
	LeaseUntil time.Time

	factsAt int64 // when the facts in Args were received (µs), carried to retries
}

// Enqueued is the outcome of enqueueing one job.
type Enqueued struct {
	ID      int64
	Merged  bool      // merged into a waiting job of the same kind and key
	ReadyAt time.Time // when the (merged) job becomes ready
}

// Failure is what Fail did with a failed job.
type Failure struct {
	Dead    bool      // dead-lettered: no more attempts
	RetryAt time.Time // when the retry becomes ready, if not dead
	RetryID int64     // the retry's job ID, if not dead
}

// QueueStats are the queue's metrics.
type QueueStats struct {
	Waiting int64 // queued, including those held back (backoff, Delay)
	Ready   int64 // queued and ready now
	Running int64
	Dead    int64 // dead letters not yet pruned
	// OldestReady is how long the oldest ready job has been ready; 0 when
	// none is.
	OldestReady time.Duration
}

// Job states. A job row is claimed at most once: a retry, a reclaim and a
// release each finish the row and enqueue a new one that carries the
// attempt count, so that a worker whose lease was taken from it can never
// finish the job that replaced it.
const (
	stateQueued   = "queued"
	stateRunning  = "running"
	stateDone     = "done"
	stateFailed   = "failed"   // an attempt failed; a retry follows
	stateExpired  = "expired"  // the lease expired; a retry follows
	stateReleased = "released" // given back unstarted; a copy follows
	stateDead     = "dead"
)

// Bounds on what a job and a reason may hold.
const (
	maxArgs   = 1 << 20
	maxReason = 4096
)

func validKind(kind string) bool {
	if kind == "" || len(kind) > 64 {
		return false
	}
	for _, r := range kind {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

func (s JobSpec) validate() error {
	switch {
	case !validKind(s.Kind):
		return fmt.Errorf("job kind %q: want 1–64 of a-z, 0-9 and '-'", s.Kind)
	case len(s.Args) > maxArgs:
		return fmt.Errorf("job %s: arguments of %d bytes exceed %d", s.Kind, len(s.Args), maxArgs)
	case s.Key.Number < 0 || s.InstallationID < 0 || s.Delay < 0:
		return fmt.Errorf("job %s: negative number, installation or delay", s.Kind)
	}
	return nil
}

// reasonText bounds an error's text for storage: valid UTF-8, at most
// maxReason bytes. The App must not put secrets into errors (the repository
// rules); the store does not log reasons' contents.
func reasonText(err error) string {
	if err == nil {
		return ""
	}
	s := strings.ToValidUTF8(err.Error(), "\uFFFD")
	if len(s) <= maxReason {
		return s
	}
	cut := maxReason - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
