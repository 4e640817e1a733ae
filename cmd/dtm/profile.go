package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// addProfileFlag adds the hidden persistent --cpuprofile FILE flag to root:
// when set, the command writes a Go CPU profile (pprof format) of its whole
// run to FILE, for `go tool pprof bin/dtm FILE`. It is a developer's tool
// for the performance work (issue 15); the profile holds function names
// and sample counts only, no data.
//
// It returns the function main calls after the command to finish the
// profile; that function is a no-op when the flag was not given.
func addProfileFlag(root *cobra.Command) (stop func()) {
	var path string
	root.PersistentFlags().StringVar(&path, "cpuprofile", "", "write a CPU profile of the run to this file")
	_ = root.PersistentFlags().MarkHidden("cpuprofile")
	var f *os.File
	pre := root.PersistentPreRunE
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if path != "" {
			var err error
			if f, err = os.Create(path); err != nil {
				return usageError{fmt.Errorf("--cpuprofile: %w", err)}
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				f.Close()
				f = nil
				return usageError{fmt.Errorf("--cpuprofile: %w", err)}
			}
		}
		if pre != nil {
			return pre(cmd, args)
		}
		return nil
	}
	return func() {
		if f != nil {
			pprof.StopCPUProfile()
			f.Close()
		}
	}
}
