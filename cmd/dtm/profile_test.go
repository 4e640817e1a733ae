package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/spf13/cobra"
)

// TestCPUProfileFlag runs a command with --cpuprofile and reads the file
// back as a pprof profile.
func TestCPUProfileFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	root := &cobra.Command{Use: "dtm", SilenceErrors: true, SilenceUsage: true}
	root.AddCommand(&cobra.Command{Use: "spin", RunE: func(*cobra.Command, []string) error {
		x := 0
		for i := range 5_000_000 {
			x += i % 7
		}
		_ = x
		return nil
	}})
	root.SetOut(&bytes.Buffer{})
	stop := addProfileFlag(root)
	root.SetArgs([]string{"spin", "--cpuprofile", path})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	stop()
	// A pprof profile is a gzip-compressed protocol buffer.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 20 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("%s is not a gzip-compressed pprof profile (%d bytes)", path, len(b))
	}
	// Without the flag, nothing is written and stop is a no-op.
	root2 := &cobra.Command{Use: "dtm", SilenceErrors: true, SilenceUsage: true}
	root2.AddCommand(&cobra.Command{Use: "noop", RunE: func(*cobra.Command, []string) error { return nil }})
	stop2 := addProfileFlag(root2)
	root2.SetArgs([]string{"noop"})
	if err := root2.Execute(); err != nil {
		t.Fatal(err)
	}
	stop2()
	// A file that cannot be created is a usage error.
	root3 := &cobra.Command{Use: "dtm", SilenceErrors: true, SilenceUsage: true}
	root3.AddCommand(&cobra.Command{Use: "noop", RunE: func(*cobra.Command, []string) error { return nil }})
	addProfileFlag(root3)
	root3.SetArgs([]string{"noop", "--cpuprofile", filepath.Join(t.TempDir(), "no", "such", "dir", "p")})
	var ue usageError
	if err := root3.Execute(); !asUsage(err, &ue) {
		t.Errorf("error %v, want a usage error", err)
	}
}
