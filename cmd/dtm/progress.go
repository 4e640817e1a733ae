package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/iom-dtm/dtm/internal/pipeline"
)

// newProgress reports rows per file with their rate on a terminal, at most
// a few times a second.
func newProgress(w io.Writer) pipeline.ProgressFunc {
	var mu sync.Mutex
	starts := map[string]time.Time{}
	var last time.Time
	return func(file string, rows int64, done bool) {
		mu.Lock()
		defer mu.Unlock()
		start, ok := starts[file]
		if !ok {
			start = time.Now()
			starts[file] = start
		}
		if !done && time.Since(last) < 200*time.Millisecond {
			return
		}
		last = time.Now()
		el := time.Since(start).Seconds()
		rate := 0.0
		if el > 0 {
			rate = float64(rows) / el
		}
		end := "\r"
		if done {
			end = "\n"
		}
		fmt.Fprintf(w, "\r%-50.50s %10d rows %10.0f rows/s%s", file, rows, rate, end)
	}
}
