// Command inturn runs commands in turn — the first, the second, …, then the
// first again — RUNS times, and prints each one's median CPU time (user +
// system, from the rusage wait4 returns) and median minor page faults,
// and its CPU as a multiple of the first command's. Taking the commands in
// turn, rather than all runs of one and then all of the next as
// bench/lib.sh's measure does, lets a shared machine's drifting load fall
// on every command alike: the ratio between two 30 ms processes is then
// steady to a few per cent, where blocks of runs moved it by a sixth.
//
//	inturn -n RUNS NAME='CMD ARG…' NAME='CMD ARG…' …
//
// Each command is split at spaces (no quoting); its output is discarded; a
// command that exits with a status above 1 stops the measurement.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

type command struct {
	name string
	argv []string
	cpu  []time.Duration
	flt  []int64
}

func main() {
	runs := flag.Int("n", 21, "rounds")
	flag.Parse()
	var cmds []*command
	for _, a := range flag.Args() {
		name, line, ok := strings.Cut(a, "=")
		argv := strings.Fields(line)
		if !ok || len(argv) == 0 {
			fmt.Fprintln(os.Stderr, "usage: inturn -n RUNS NAME='CMD ARG…' …")
			os.Exit(2)
		}
		cmds = append(cmds, &command{name: name, argv: argv})
	}
	if len(cmds) == 0 || *runs < 1 {
		fmt.Fprintln(os.Stderr, "usage: inturn -n RUNS NAME='CMD ARG…' …")
		os.Exit(2)
	}
	for range *runs {
		for _, c := range cmds {
			cpu, flt, err := run(c.argv)
			if err != nil {
				fmt.Fprintf(os.Stderr, "inturn: %s: %v\n", c.name, err)
				os.Exit(1)
			}
			c.cpu, c.flt = append(c.cpu, cpu), append(c.flt, flt)
		}
	}
	first := median(cmds[0].cpu)
	fmt.Printf("  %-28s %10s %12s %8s   (%d rounds in turn)\n", "", "cpu_ms", "page_faults", "ratio", *runs)
	for _, c := range cmds {
		m := median(c.cpu)
		fmt.Printf("  %-28s %10.1f %12d %7.2f×\n", c.name, float64(m)/1e6, median(c.flt), float64(m)/float64(first))
	}
}

// run runs argv to its end and returns its CPU time and minor faults.
func run(argv []string) (time.Duration, int64, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() > 1 {
			return 0, 0, err
		}
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, 0, fmt.Errorf("no resource usage")
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), ru.Minflt, nil
}

func median[T int64 | time.Duration](v []T) T {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
