package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/iom-dtm/dtm/internal/pipeline"
)

// newProgress reports, on a terminal, each input's bytes and rows read and
// their rates, redrawing one line at most five times a second and ending
// it when the input is done. It is only installed when stderr is a
// terminal and --quiet is not given (cron stays silent).
func newProgress(w io.Writer) pipeline.ProgressFunc {
	var mu sync.Mutex
	starts := map[string]time.Time{}
	var last time.Time
	return func(p pipeline.Progress) {
		mu.Lock()
		defer mu.Unlock()
		start, ok := starts[p.File]
		if !ok {
			start = time.Now()
			starts[p.File] = start
		}
		if !p.Done && time.Since(last) < 200*time.Millisecond {
			return
		}
		last = time.Now()
		fmt.Fprint(w, progressLine(p, time.Since(start)))
		if p.Done {
			delete(starts, p.File)
		}
	}
}

// progressLine renders one progress update: "\r" + the line, and a newline
// when the input is done.
func progressLine(p pipeline.Progress, elapsed time.Duration) string {
	el := elapsed.Seconds()
	rate := func(n int64) float64 {
		if el <= 0 {
			return 0
		}
		return float64(n) / el
	}
	bytes := humanBytes(p.Bytes)
	if p.TotalBytes > 0 && !p.Done {
		bytes += "/" + humanBytes(p.TotalBytes)
	}
	end := "\033[K"
	if p.Done {
		end += "\n"
	}
	return fmt.Sprintf("\r%-40.40s %17s %8s/s %10d rows %9.0f rows/s%s", p.File, bytes, humanBytes(int64(rate(p.Bytes))), p.Rows, rate(p.Rows), end)
}

// humanBytes renders a byte count with a binary unit.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
