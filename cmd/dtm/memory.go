package main

import (
	"fmt"
	"math"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// defaultMemoryLimit is the soft limit of the Go heap (and the rest of the
// Go runtime's memory) when neither GOMEMLIMIT, DTM_MEMORY_LIMIT nor
// --memory-limit says otherwise. The process also holds ~60 MB that the Go
// runtime does not count (the binary's pages touched by DuckDB's static
// initialisers), so 192 MiB keeps the peak RSS of an ingest near 256 MB
// whatever the input size. It is a soft limit: a run whose live data
// needs more goes over it (the garbage collector then works harder, never
// more than about half the CPU), it does not fail.
const defaultMemoryLimit = 192 << 20

// memoryLimitEnv names the environment variable that sets the default of
// --memory-limit.
const memoryLimitEnv = "DTM_MEMORY_LIMIT"

// addMemoryLimit adds the persistent --memory-limit flag to root and
// applies it before any command runs. getenv reads the environment.
//
// Precedence: the flag, then DTM_MEMORY_LIMIT, then GOMEMLIMIT (which the
// Go runtime has already applied: dtm leaves it alone), then
// defaultMemoryLimit.
func addMemoryLimit(root *cobra.Command, getenv func(string) string) {
	def := getenv(memoryLimitEnv)
	if def == "" && getenv("GOMEMLIMIT") != "" {
		def = "runtime" // GOMEMLIMIT, as already applied by the Go runtime
	}
	if def == "" {
		def = formatBytes(defaultMemoryLimit)
	}
	var flag string
	root.PersistentFlags().StringVar(&flag, "memory-limit", def,
		"soft limit of the Go memory, e.g. 192MiB, 1GiB, 500MB, or off (env "+memoryLimitEnv+"; GOMEMLIMIT is kept when set)")
	pre := root.PersistentPreRunE
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if flag != "runtime" {
			limit, err := parseMemoryLimit(flag)
			if err != nil {
				return usageError{fmt.Errorf("--memory-limit: %w", err)}
			}
			debug.SetMemoryLimit(limit)
		}
		if pre != nil {
			return pre(cmd, args)
		}
		return nil
	}
}

// parseMemoryLimit reads a size such as "192MiB", "1GiB", "500MB", "1.5G",
// "268435456" (bytes) or "off" / "0" (no limit: math.MaxInt64).
func parseMemoryLimit(s string) (int64, error) {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "off", "none", "0":
		return math.MaxInt64, nil
	case "":
		return 0, fmt.Errorf("empty size")
	}
	units := []struct {
		suffix string
		mult   float64
	}{
		{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
		{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
		{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"t", 1 << 40},
		{"b", 1},
	}
	lower := strings.ToLower(t)
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(lower, u.suffix) {
			lower, mult = strings.TrimSpace(strings.TrimSuffix(lower, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(lower, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a size (e.g. 192MiB, 1GiB, off)", s)
	}
	n := v * mult
	switch {
	case n < 0:
		return 0, fmt.Errorf("%q: a size cannot be negative", s)
	case n < 16<<20:
		return 0, fmt.Errorf("%q is below 16MiB: the garbage collector would run all the time", s)
	case n >= math.MaxInt64:
		return math.MaxInt64, nil
	}
	return int64(n), nil
}

// formatBytes writes n in the largest binary unit that divides it.
func formatBytes(n int64) string {
	for _, u := range []struct {
		name  string
		shift uint
	}{{"GiB", 30}, {"MiB", 20}, {"KiB", 10}} {
		if n%(1<<u.shift) == 0 {
			return strconv.FormatInt(n>>u.shift, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10)
}
