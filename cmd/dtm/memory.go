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
// --memory-limit says otherwise. The process also holds ~60 MB that the Go
// runtime does not count: the binary's code and read-only data in use
// (RssFile; ~90 MB after DuckDB's static initialisers, dropped to ~26 MB by
// releaseImagePages, back to ~60 MB within seconds of an ingest: the code
// run, with the kernel's fault-around). So 192 MiB (201 MB) keeps the
// ingest's RSS near 256 MB whatever the input size (measured: 255 MB at
// 1 M rows, 260 MB at 3 M). A lower limit costs CPU: the live heap of a
// 10 M-row ingest is ~155 MB (Arrow buffers, the duplicate-row set, the
// p-code checks, file metadata), and the collector already runs every
// ~15 MB of allocation at 192 MiB. It is a soft limit: a run whose live
// data needs more goes over it (the garbage collector then works harder,
// never more than about half the CPU), it does not fail.
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
