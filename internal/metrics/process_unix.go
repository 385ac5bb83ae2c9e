//go:build unix

package metrics

import (
	"syscall"
	"time"
)

// cpuSeconds is the process's user and system CPU time.
func cpuSeconds() (float64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds(), true
}

// maxFDs is the soft limit of open file descriptors.
func maxFDs() (float64, bool) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, false
	}
	return float64(l.Cur), true
}
