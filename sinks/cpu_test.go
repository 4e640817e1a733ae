package sinks

import (
	"syscall"
	"testing"
	"time"
)

// cpuClock measures the CPU time (user + system) of the whole process, the
// figure a benchmark on a shared machine reports more steadily than wall
// time; with parallel encoders it also counts what their goroutines spend.
type cpuClock struct{ start time.Duration }

func startCPU() cpuClock { return cpuClock{start: processCPU()} }

// report adds cpu-ms/op to the benchmark's metrics.
func (c cpuClock) report(b *testing.B) {
	b.ReportMetric(float64(processCPU()-c.start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
