//go:build unix

package sbert

import (
	"syscall"
	"time"
)

// cpuTime returns the user and system CPU time of the process so far, so
// that benchmarks on a shared machine can report the work they did
// alongside the wall time that other processes inflate.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
