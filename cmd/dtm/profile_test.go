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

// runProfiled runs `dtm cmd args...` where cmd runs run, with the profile
// flags added as main adds them, and stops the profiles as main does. It
// returns the command's error.
func runProfiled(t *testing.T, run func() error, args ...string) error {
	t.Helper()
	root := &cobra.Command{Use: "dtm", SilenceErrors: true, SilenceUsage: true}
	root.AddCommand(&cobra.Command{Use: "cmd", RunE: func(*cobra.Command, []string) error { return run() }})
	root.SetOut(&bytes.Buffer{})
	stop := addProfileFlag(root)
	root.SetArgs(append([]string{"cmd"}, args...))
	err := root.Execute()
	stop()
	return err
}

// checkPprof fails t unless path holds a pprof profile (a gzip-compressed
// protocol buffer).
func checkPprof(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 20 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("%s is not a gzip-compressed pprof profile (%d bytes)", path, len(b))
	}
}

func noop() error { return nil }

// TestCPUProfileFlag runs a command with --cpuprofile and reads the file
// back as a pprof profile.
func TestCPUProfileFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	spin := func() error {
		x := 0
		for i := range 5_000_000 {
			x += i % 7
		}
		_ = x
		return nil
	}
	if err := runProfiled(t, spin, "--cpuprofile", path); err != nil {
		t.Fatal(err)
	}
	checkPprof(t, path)
	// Without the flag, nothing is written and stop is a no-op.
	if err := runProfiled(t, noop); err != nil {
		t.Fatal(err)
	}
	// A file that cannot be created is a usage error.
	var ue usageError
	if err := runProfiled(t, noop, "--cpuprofile", filepath.Join(t.TempDir(), "no", "such", "dir", "p")); !asUsage(err, &ue) {
		t.Errorf("error %v, want a usage error", err)
	}
}

// TestMemProfileFlag runs a command whose live heap peaks at 32 MiB in its
// middle with --memprofile: both profiles are written, and the peak one
// was taken at that peak, the end one after it.
func TestMemProfileFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mem.prof")
	var kept []byte
	grow := func() error {
		kept = make([]byte, 32<<20)
		for i := range kept {
			kept[i] = byte(i)
		}
		runtime.GC() // the live heap is measured at the end of a collection
		time.Sleep(3 * heapPollEvery)
		kept = nil
		runtime.GC()
		return nil
	}
	if err := runProfiled(t, grow, "--memprofile", path); err != nil {
		t.Fatal(err)
	}
	checkPprof(t, path)
	checkPprof(t, path+".peak")

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
	var ue usageError
	if err := runProfiled(t, noop, "--memprofile", filepath.Join(t.TempDir(), "no", "such", "dir", "p")); !asUsage(err, &ue) {
		t.Errorf("error %v, want a usage error", err)
	}
}

// TestTraceFlag runs a command with --trace and checks the file is a Go
// execution trace (it starts with the trace header).
func TestTraceFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.trace")
	if err := runProfiled(t, noop, "--trace", path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("go 1.")) {
		t.Fatalf("%s is not a Go execution trace: %q", path, b[:min(len(b), 16)])
	}
}
