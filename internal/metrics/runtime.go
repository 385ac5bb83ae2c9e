package metrics

import (
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Runtime registers the Go runtime's and the process's metrics an
// operator watches, under the names, types and help texts client_golang's
// Go and process collectors give them (a subset: goroutines, threads,
// heap, CPU, memory, file descriptors, start time).
func (r *Registry) Runtime() {
	r.Collect("go_info", "Information about the Go environment.", "gauge", []string{"version"},
		func() ([]Sample, error) { return []Sample{{Values: []string{runtime.Version()}, Value: 1}}, nil })
	r.GaugeFunc("go_goroutines", "Number of goroutines that currently exist.", func() float64 { return float64(runtime.NumGoroutine()) })
	r.GaugeFunc("go_threads", "Number of OS threads created.", func() float64 { n, _ := runtime.ThreadCreateProfile(nil); return float64(n) })
	r.GaugeFunc("go_sched_gomaxprocs_threads", "The current runtime.GOMAXPROCS setting, or the number of operating system threads that can execute user-level Go code simultaneously. Sourced from /sched/gomaxprocs:threads.",
		func() float64 { return float64(runtime.GOMAXPROCS(0)) })
	mem := func(f func(*runtime.MemStats) uint64) func() float64 {
		return func() float64 {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			return float64(f(&ms))
		}
	}
	r.GaugeFunc("go_memstats_alloc_bytes", "Number of bytes allocated in heap and currently in use. Equals to /memory/classes/heap/objects:bytes.", mem(func(m *runtime.MemStats) uint64 { return m.Alloc }))
	r.GaugeFunc("go_memstats_heap_inuse_bytes", "Number of heap bytes that are in use. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes", mem(func(m *runtime.MemStats) uint64 { return m.HeapInuse }))
	r.GaugeFunc("go_memstats_sys_bytes", "Number of bytes obtained from system. Equals to /memory/classes/total:byte.", mem(func(m *runtime.MemStats) uint64 { return m.Sys }))
	r.GaugeFunc("go_memstats_next_gc_bytes", "Number of heap bytes when next garbage collection will take place. Equals to /gc/heap/goal:bytes.", mem(func(m *runtime.MemStats) uint64 { return m.NextGC }))

	// A value the system does not give is left out, not written as 0.
	known := func(f func() (float64, bool)) func() ([]Sample, error) {
		return func() ([]Sample, error) {
			if v, ok := f(); ok {
				return []Sample{{Value: v}}, nil
			}
			return nil, nil
		}
	}
	r.Collect("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter", nil, known(cpuSeconds))
	r.Collect("process_max_fds", "Maximum number of open file descriptors.", "gauge", nil, known(maxFDs))
	r.Collect("process_open_fds", "Number of open file descriptors.", "gauge", nil, known(func() (float64, bool) {
		fds, err := os.ReadDir("/proc/self/fd")
		return float64(len(fds) - 1), err == nil // less the directory read itself
	}))
	page := float64(os.Getpagesize())
	r.Collect("process_resident_memory_bytes", "Resident memory size in bytes.", "gauge", nil, known(func() (float64, bool) {
		_, rss, ok := statm()
		return rss * page, ok
	}))
	r.Collect("process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge", nil, known(func() (float64, bool) {
		size, _, ok := statm()
		return size * page, ok
	}))
	start := processStart()
	r.Collect("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge", nil, known(func() (float64, bool) { return start, start != 0 }))
}

// statm reads the process's size and resident set in pages (Linux's
// /proc/self/statm); ok is false elsewhere.
func statm() (size, rss float64, ok bool) {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, 0, false
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0, 0, false
	}
	s, err1 := strconv.ParseFloat(f[0], 64)
	r, err2 := strconv.ParseFloat(f[1], 64)
	return s, r, err1 == nil && err2 == nil
}

// userHZ is the clock ticks per second /proc counts in (USER_HZ, 100 on
// every Linux architecture Go supports, as procfs assumes too).
const userHZ = 100

// processStart is when the process started, in seconds since the epoch,
// from /proc (its start in ticks after boot, and the boot time); 0 where
// that is not known.
func processStart() float64 {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: count fields after
	// its closing parenthesis. starttime is field 22, the 20th after it.
	i := strings.LastIndexByte(string(stat), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(stat[i+1:]))
	if len(f) < 20 {
		return 0
	}
	ticks, err := strconv.ParseFloat(f[19], 64)
	if err != nil {
		return 0
	}
	sys, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(sys), "\n") {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			boot, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return 0
			}
			return boot + ticks/userHZ
		}
	}
	return 0
}
