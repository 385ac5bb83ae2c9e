// Command proctime runs a command and writes what it cost to a file: wall
// time, user and system CPU time (s, to the microsecond, from the rusage
// wait4 returns, as GNU time reads it) and peak resident set size (KiB).
// GNU time prints CPU time to the hundredth of a second, too coarse for
// processes that take 20 ms: a 1.2x ratio between two of them cannot be
// told from 1.5x. The bench scripts measure with this instead (bench/lib.sh).
//
//	proctime -o FILE CMD [ARG...]
//
// FILE gets one line, "wall user sys maxrss_kib". The command inherits
// stdin, stdout and stderr; proctime exits with its exit status (1 when it
// was killed by a signal, 127 when it could not be started).
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 4 || os.Args[1] != "-o" {
		fmt.Fprintln(os.Stderr, "usage: proctime -o FILE CMD [ARG...]")
		os.Exit(2)
	}
	out, args := os.Args[2], os.Args[3:]
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		fmt.Fprintln(os.Stderr, "proctime:", err)
		os.Exit(127)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		fmt.Fprintln(os.Stderr, "proctime: no resource usage for", args[0])
		os.Exit(127)
	}
	sec := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	line := fmt.Sprintf("%.6f %.6f %.6f %d\n", wall.Seconds(), sec(ru.Utime), sec(ru.Stime), ru.Maxrss)
	if err := os.WriteFile(out, []byte(line), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "proctime:", err)
		os.Exit(127)
	}
	code := cmd.ProcessState.ExitCode()
	if code < 0 { // killed by a signal
		code = 1
	}
	os.Exit(code)
}
