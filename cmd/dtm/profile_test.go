package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

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

// TestMemProfileFlag runs a command whose live heap peaks at 32 MiB in its
// middle with --memprofile: both profiles are written, and the peak one
// was taken at that peak, the end one after it.
func TestMemProfileFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mem.prof")
	root := &cobra.Command{Use: "dtm", SilenceErrors: true, SilenceUsage: true}
	var kept []byte
	root.AddCommand(&cobra.Command{Use: "grow", RunE: func(*cobra.Command, []string) error {
		kept = make([]byte, 32<<20)
		for i := range kept {
			kept[i] = byte(i)
		}
		runtime.GC() // the live heap is measured at the end of a collection
		time.Sleep(3 * heapPollEvery)
		kept = nil
		runtime.GC()
		return nil
	}})
	root.SetOut(&bytes.Buffer{})
	stop := addProfileFlag(root)
	root.SetArgs([]string{"grow", "--memprofile", path})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	stop()
	for _, p := range []string{path, path + ".peak"} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 20 || b[0] != 0x1f || b[1] != 0x8b {
			t.Fatalf("%s is not a gzip-compressed pprof profile (%d bytes)", p, len(b))
		}
	}

	// The watcher alone: its peak is at least the 32 MiB held.
	h, err := startHeapProfile(filepath.Join(t.TempDir(), "w.prof"))
	if err != nil {
		t.Fatal(err)
	}
	kept = make([]byte, 32<<20)
	runtime.GC()
	time.Sleep(3 * heapPollEvery)
	runtime.KeepAlive(kept)
	kept = nil
	runtime.GC()
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	if h.peakLive < 32<<20 {
		t.Errorf("peak live heap %d bytes, want at least the 32 MiB held mid-run", h.peakLive)
	}
	// A file that cannot be created is a usage error.
	root3 := &cobra.Command{Use: "dtm", SilenceErrors: true, SilenceUsage: true}
	root3.AddCommand(&cobra.Command{Use: "noop", RunE: func(*cobra.Command, []string) error { return nil }})
	addProfileFlag(root3)
	root3.SetArgs([]string{"noop", "--memprofile", filepath.Join(t.TempDir(), "no", "such", "dir", "p")})
	var ue usageError
	if err := root3.Execute(); !asUsage(err, &ue) {
		t.Errorf("error %v, want a usage error", err)
	}
}
