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
// --memory-limit says otherwise. The process also holds what the Go
// runtime does not count, mostly the binary's code and read-only data in
// use (RssFile: ~35 MB during an ingest since the image pages are dropped
// from the page cache's large folios at start, memory_pages_linux.go; it
// was 55-67 MB when this limit went down from 192 to 176 MiB), and the Go
// memory stays a little under the limit. So peak RSS is about the limit
// plus 35-45 MB: 192 MiB keeps an ingest under 256 MB whatever the input
// size with ~20 MB to spare.
//
// Measured on the bench's site CSVs (2 cores, load ~1, peak RSS from
// getrusage in MB of 10^6 bytes; CPU s user+sys): 10 M rows, 2 rounds
// alternated: 176 MiB 218 MB, 67.2 and 72.0 CPU s; 192 MiB 234 MB, 63.0
// and 62.4 CPU s; 208 MiB 249-251 MB, 59.8 and 62.5 CPU s. 1 M rows:
// RssAnon 175 MB / RssFile 34 MB / peak 209 MB at 176 MiB, 190 / 35 / 224
// MB at 192 MiB. The live heap of a 10 M-row ingest is ~110-125 MB (the
// run's idle Arrow buffers, the duplicate set's filter of spilled keys
// ~20 MB, the CSV reader's recycled chunks, site keys): under 176 MiB the
// collector's goal (~157 MB) left ~40 MB between collections, a GC every
// ~0.15 s, 8.5 % of the CPU in its mark workers and 1.7 % in the
// scavenger's madvise; 192 MiB leaves ~55 MB. It is a soft limit: a run
// whose live data needs more goes over it (the garbage collector then
// works harder, never more than about half the CPU), it does not fail.
const defaultMemoryLimit = 192 << 20

// addMemoryLimit adds the persistent --memory-limit flag to root and
// applies it before any command runs, with the environment env.
//
// Precedence (config.Resolve): the flag, then DTM_MEMORY_LIMIT, then
// GOMEMLIMIT (which the Go runtime has already applied: dtm leaves it
// alone), then defaultMemoryLimit.
func addMemoryLimit(root *cobra.Command, env config.Env) {
	var flag string
	root.PersistentFlags().StringVar(&flag, "memory-limit", formatBytes(defaultMemoryLimit),
		"soft limit of the Go memory, e.g. 192MiB, 1GiB, 500MB, or off (else env "+config.EnvMemoryLimit+"; GOMEMLIMIT is kept when set)")
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
