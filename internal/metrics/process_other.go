//go:build !unix

package metrics

// cpuSeconds and maxFDs are not read outside Unix: the samples are left
// out.
func cpuSeconds() (float64, bool) { return 0, false }
func maxFDs() (float64, bool)     { return 0, false }
