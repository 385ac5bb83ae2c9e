// Package pgtest runs a throwaway PostgreSQL server for tests: a cluster
// made by initdb in a temporary directory, listening on a free loopback
// port (and a unix socket in that directory) with trust authentication,
// stopped and removed at the end. The server binaries are those in
// $TRACEGATE_PG_BINDIR, else Debian's (/usr/lib/postgresql/N/bin, installed
// by scripts/deps.d/postgres.sh), else any on PATH. PostgreSQL refuses to run as root, so under root the server
// runs as the "postgres" user (or "nobody"), which owns the directory.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoServer is returned when no PostgreSQL server binaries are installed.
var ErrNoServer = errors.New("no PostgreSQL server binaries (initdb, postgres): scripts/deps.d/postgres.sh installs them")

// Options tune a cluster.
type Options struct {
	// Durable keeps fsync on, for benchmarks that compare commit costs.
	// Tests run with fsync off: they kill clients, not the server.
	Durable bool
}

// Cluster is a running throwaway server.
type Cluster struct {
	dir, bin string
	port     int
	cmd      *exec.Cmd
	exited   chan struct{}
	waitErr  error
	stopOnce sync.Once
	stopErr  error
}

// BinDir finds the directory of initdb and postgres: $TRACEGATE_PG_BINDIR,
// the newest /usr/lib/postgresql/N/bin, or PATH.
func BinDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	if d := os.Getenv("TRACEGATE_PG_BINDIR"); d != "" {
		dirs = []string{d}
	}
	for _, d := range dirs {
		if hasServer(d) {
			return d, nil
		}
	}
	if len(dirs) == 1 && os.Getenv("TRACEGATE_PG_BINDIR") != "" {
		return "", fmt.Errorf("TRACEGATE_PG_BINDIR=%s: %w", dirs[0], ErrNoServer)
	}
	if p, err := exec.LookPath("postgres"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", ErrNoServer
}

func hasServer(dir string) bool {
	for _, name := range []string{"initdb", "postgres"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// Start makes and starts a cluster.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	cred, err := serverUser()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(tempRoot(cred), "tracegate-pg-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	c := &Cluster{dir: dir, bin: bin, exited: make(chan struct{})}
	if err := c.start(ctx, cred, opts); err != nil {
		return nil, errors.Join(err, c.Stop())
	}
	return c, nil
}

// serverUser is who the server runs as: the caller, unless the caller is
// root, whom PostgreSQL refuses.
func serverUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil {
			continue
		}
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
	}
	return nil, errors.New("pgtest: running as root and neither a postgres nor a nobody user exists to run the server as")
}

// tempRoot is where the cluster's directory goes: the temporary directory,
// unless the server's user could not reach into it (a root-only TMPDIR).
func tempRoot(cred *syscall.Credential) string {
	root := os.TempDir()
	if cred == nil {
		return root
	}
	for d := root; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm()&0o001 == 0 {
			return "/tmp"
		}
		if d == filepath.Dir(d) {
			return root
		}
	}
}

func (c *Cluster) start(ctx context.Context, cred *syscall.Credential, opts Options) error {
	sock := filepath.Join(c.dir, "sock")
	if err := os.Mkdir(sock, 0o700); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	if cred != nil {
		for _, d := range []string{c.dir, sock} {
			if err := os.Chown(d, int(cred.Uid), int(cred.Gid)); err != nil {
				return fmt.Errorf("pgtest: give %s to the server's user: %w", d, err)
			}
		}
	}
	data := filepath.Join(c.dir, "data")
	initdb := exec.CommandContext(ctx, filepath.Join(c.bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Dir = c.dir
	if out, err := initdb.CombinedOutput(); err != nil {
		return fmt.Errorf("pgtest: initdb: %w\n%s", err, tail(out))
	}
	logPath := filepath.Join(c.dir, "postgres.log")
	var lastErr error
	for try := 0; try < 5; try++ { // a free port can be taken between finding it and binding it
		port, err := freePort()
		if err != nil {
			return err
		}
		lastErr = c.launch(ctx, cred, data, sock, logPath, port, opts)
		if lastErr == nil {
			return nil
		}
		if log, _ := os.ReadFile(logPath); !strings.Contains(string(log), "could not bind") && !strings.Contains(string(log), "could not create any TCP/IP sockets") {
			return lastErr
		}
		c.exited = make(chan struct{})
	}
	return lastErr
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (c *Cluster) launch(ctx context.Context, cred *syscall.Credential, data, sock, logPath string, port int, opts Options) error {
	log, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	defer log.Close()
	args := []string{"-D", data, "-k", sock, "-h", "127.0.0.1", "-p", strconv.Itoa(port),
		"-c", "max_connections=200", "-c", "shared_buffers=64MB", "-c", "logging_collector=off"}
	if !opts.Durable {
		args = append(args, "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off")
	}
	cmd := exec.Command(filepath.Join(c.bin, "postgres"), args...)
	// The server dies with the test process, even if that is killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL, Setpgid: true}
	cmd.Stdout, cmd.Stderr, cmd.Dir = log, log, c.dir
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("pgtest: start postgres: %w", err)
	}
	c.cmd, c.port = cmd, port
	exited := c.exited
	go func() { c.waitErr = cmd.Wait(); close(exited) }()

	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, c.URL("postgres"))
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case <-exited:
			out, _ := os.ReadFile(logPath)
			return fmt.Errorf("pgtest: postgres exited (%v)\n%s", c.waitErr, tail(out))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(logPath)
			return fmt.Errorf("pgtest: postgres did not accept connections within 60 s: %w\n%s", err, tail(out))
		}
	}
}

func tail(b []byte) string {
	const n = 2000
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return strings.TrimSpace(string(b))
}

// URL is the connection URL of database db on the cluster.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

var ident = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// CreateDatabase creates database name and returns its URL.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) (string, error) {
	if err := c.create(ctx, "DATABASE", name); err != nil {
		return "", err
	}
	return c.URL(name), nil
}

// CreateSchema creates schema name in the postgres database and returns a
// URL whose connections use it (search_path): an empty database for a test
// in milliseconds, where CREATE DATABASE takes most of a second.
func (c *Cluster) CreateSchema(ctx context.Context, name string) (string, error) {
	if err := c.create(ctx, "SCHEMA", name); err != nil {
		return "", err
	}
	return c.URL("postgres") + "&search_path=" + name, nil
}

func (c *Cluster) create(ctx context.Context, what, name string) error {
	if !ident.MatchString(name) {
		return fmt.Errorf("pgtest: %s name %q: want a lower-case identifier", strings.ToLower(what), name)
	}
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE "+what+" "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("pgtest: create %s %s: %w", strings.ToLower(what), name, err)
	}
	return nil
}

// Stop shuts the server down (fast shutdown, then a kill after 30 s) and
// removes its directory.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() {
		if c.cmd != nil && c.cmd.Process != nil {
			select {
			case <-c.exited:
			default:
				_ = c.cmd.Process.Signal(syscall.SIGINT)
				select {
				case <-c.exited:
				case <-time.After(30 * time.Second):
					_ = c.cmd.Process.Kill()
					<-c.exited
				}
			}
		}
		c.stopErr = os.RemoveAll(c.dir)
	})
	return c.stopErr
}

// Required tells whether a missing server must fail tests instead of
// skipping them: scripts/test sets TRACEGATE_REQUIRE_TOOLS=1, and CI sets CI.
func Required() bool {
	return os.Getenv("TRACEGATE_REQUIRE_TOOLS") == "1" || os.Getenv("CI") != ""
}

// New starts a cluster for t, stopped when t ends. Without a server it
// skips t, or fails it when Required.
func New(t testing.TB, opts Options) *Cluster {
	t.Helper()
	c, err := Start(context.Background(), opts)
	if errors.Is(err, ErrNoServer) && !Required() {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Error(err)
		}
	})
	return c
}
