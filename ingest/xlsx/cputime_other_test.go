//go:build !unix

package xlsx

import "time"

// processCPU is unavailable here; the benchmark then omits rows/cpu-s.
func processCPU() time.Duration { return 0 }
