//go:build unix

package xlsx

import (
	"syscall"
	"time"
)

// processCPU returns the user+system CPU time of this process, so that the
// benchmark can report throughput that does not depend on machine load.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
