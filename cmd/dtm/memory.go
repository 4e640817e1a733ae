package main

import (
	"fmt"
	"math"
	"runtime/debug"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/iom-dtm/dtm/internal/config"
	"github.com/spf13/cobra"
)

// defaultMemoryLimit is the soft limit of the Go heap (and the rest of the
// Go runtime's memory) when neither GOMEMLIMIT, DTM_MEMORY_LIMIT nor
// --memory-limit says otherwise. The process also holds 55-67 MB that the
// Go runtime does not count: the binary's code and read-only data in use
// (RssFile; ~90 MB after DuckDB's static initialisers, dropped to ~26 MB by
// releaseImagePages, back to 55-67 MB within seconds of an ingest: the code
// run, with the kernel's fault-around), and the Go memory itself stays a
// little under the limit (RssAnon ~177 MB at 176 MiB = 184.5 MB). So
// 176 MiB keeps the ingest's peak RSS under 256 MB whatever the input size,
// with ~10 MB to spare. Measured (site CSVs, 2 cores shared with other
// jobs, load 8-17, one run each unless said): 10 M rows 245 MB / 230 CPU s
// at 176 MiB, 264 MB / 207 CPU s at 192 MiB; 3 M rows 244 MB at 176 MiB,
// 260-263 MB at 192 MiB (3 runs), 277 MB at 208 MiB; 1 M rows 244-246 MB,
// 260-261 MB and 274 MB, CPU within the runs' noise (12.5, 12.8 and 15.2
// CPU s on the quietest run). The live heap of a 10 M-row ingest grows
// from ~106 to ~150 MB (Arrow buffers ~32 MB, the Parquet files' row-group
// metadata ~25 MB and growing, the duplicate-row set 24 MB, site keys
// 11 MB, dictionary hash tables 9 MB): a lower limit makes the collector
// run more often (1,394 collections at 176 MiB, 915 at 192 MiB). It is a
// soft limit: a run whose live data needs more goes over it (the garbage
// collector then works harder, never more than about half the CPU), it
// does not fail.
const defaultMemoryLimit = 176 << 20

// addMemoryLimit adds the persistent --memory-limit flag to root and
// applies it before any command runs, with the environment env.
//
// Precedence (config.Resolve): the flag, then DTM_MEMORY_LIMIT, then
// GOMEMLIMIT (which the Go runtime has already applied: dtm leaves it
// alone), then defaultMemoryLimit.
func addMemoryLimit(root *cobra.Command, env config.Env) {
	var flag string
	root.PersistentFlags().StringVar(&flag, "memory-limit", formatBytes(defaultMemoryLimit),
		"soft limit of the Go memory, e.g. 176MiB, 1GiB, 500MB, or off (else env "+config.EnvMemoryLimit+"; GOMEMLIMIT is kept when set)")
	pre := root.PersistentPreRunE
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		var fl config.Flags
		if cmd.Flags().Changed("memory-limit") {
			fl.MemoryLimit = &flag
		}
		s, err := config.Resolve(nil, fl, env)
		if err != nil {
			return usageError{err}
		}
		limit := s.MemoryLimit
		if limit == "" {
			limit = flag
		}
		if limit != "runtime" {
			n, err := parseMemoryLimit(limit)
			if err != nil {
				return usageError{fmt.Errorf("--memory-limit: %w", err)}
			}
			debug.SetMemoryLimit(n)
		}
		// The static initialisers' pages of the executable are dropped
		// from the resident set (memory_pages_linux.go); a failure only
		// leaves them resident, as they were.
		_, _ = releaseImagePages()
		if pre != nil {
			return pre(cmd, args)
		}
		return nil
	}
}

// parseMemoryLimit reads a size such as "192MiB", "1GiB", "500MB", "1.5GB",
// "268435456" (bytes) or "off" / "0" (no limit: math.MaxInt64), with
// go-humanize's units (KiB/MiB/GiB are powers of 1024; K/KB/MB/GB, and a
// bare "g", powers of 1000). Sizes below 16 MiB are refused: the garbage
// collector would run all the time.
func parseMemoryLimit(s string) (int64, error) {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "off", "none", "0":
		return math.MaxInt64, nil
	case "":
		return 0, fmt.Errorf("empty size")
	}
	if strings.HasPrefix(t, "-") {
		return 0, fmt.Errorf("%q: a size cannot be negative", s)
	}
	n, err := humanize.ParseBytes(t)
	if err != nil {
		if strings.Contains(err.Error(), "too large") {
			return math.MaxInt64, nil
		}
		return 0, fmt.Errorf("%q is not a size (e.g. 192MiB, 1GiB, off)", s)
	}
	switch {
	case n < 16<<20:
		return 0, fmt.Errorf("%q is below 16MiB: the garbage collector would run all the time", s)
	case n >= math.MaxInt64:
		return math.MaxInt64, nil
	}
	return int64(n), nil
}

// formatBytes writes n in binary units ("192 MiB"), as parseMemoryLimit reads them.
func formatBytes(n int64) string { return humanize.IBytes(uint64(n)) }
