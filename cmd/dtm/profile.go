package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"

	"github.com/spf13/cobra"
)

// addProfileFlag adds the hidden persistent developer's flags of the
// performance work (issue 15) to root:
//
//   - --cpuprofile FILE: a Go CPU profile (pprof format) of the command's
//     whole run, for `go tool pprof bin/dtm FILE`;
//   - --memprofile FILE: Go heap profiles (pprof format, profile_heap.go):
//     FILE at the end of the command and FILE.peak at the largest live
//     heap seen during it, for `go tool pprof -sample_index=inuse_space
//     bin/dtm FILE.peak`;
//   - --trace FILE: a Go execution trace of the whole run (runtime/trace),
//     for `go tool trace FILE`: where the goroutines of the chunked ingest
//     wait and how busy each core is.
//
// The profiles hold function names, sizes and counts only, no data.
//
// It returns the function main calls after the command to finish the
// profiles; that function is a no-op when neither flag was given.
func addProfileFlag(root *cobra.Command) (stop func()) {
	var cpuPath, memPath string
	root.PersistentFlags().StringVar(&cpuPath, "cpuprofile", "", "write a CPU profile of the run to this file")
	_ = root.PersistentFlags().MarkHidden("cpuprofile")
	root.PersistentFlags().StringVar(&memPath, "memprofile", "", "write heap profiles of the run to this file (at the end) and to this file.peak (at the largest live heap)")
	_ = root.PersistentFlags().MarkHidden("memprofile")
	var tracePath string
	root.PersistentFlags().StringVar(&tracePath, "trace", "", "write a Go execution trace of the run to this file")
	_ = root.PersistentFlags().MarkHidden("trace")
	var f, tf *os.File
	var heap *heapProfiler
	pre := root.PersistentPreRunE
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		var err error
		if f, err = startToFile("--cpuprofile", cpuPath, pprof.StartCPUProfile); err != nil {
			return err
		}
		if tf, err = startToFile("--trace", tracePath, trace.Start); err != nil {
			return err
		}
		if memPath != "" {
			if heap, err = startHeapProfile(memPath); err != nil {
				return usageError{fmt.Errorf("--memprofile: %w", err)}
			}
		}
		if pre != nil {
			return pre(cmd, args)
		}
		return nil
	}
	return func() {
		if tf != nil {
			trace.Stop()
			tf.Close()
		}
		if f != nil {
			pprof.StopCPUProfile()
			f.Close()
		}
		if heap != nil {
			if err := heap.stop(); err != nil {
				fmt.Fprintf(os.Stderr, "dtm: --memprofile: %v\n", err)
			}
		}
	}
}

// startToFile creates path and starts a recorder writing to it (start:
// pprof.StartCPUProfile or trace.Start). An empty path starts nothing and
// returns a nil file; an error is a usage error naming flag, and leaves no
// file open.
func startToFile(flag, path string, start func(io.Writer) error) (*os.File, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, usageError{fmt.Errorf("%s: %w", flag, err)}
	}
	if err := start(f); err != nil {
		f.Close()
		return nil, usageError{fmt.Errorf("%s: %w", flag, err)}
	}
	return f, nil
}
