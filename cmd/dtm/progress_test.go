package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/internal/pipeline"
)

// syncBuffer is a bytes.Buffer safe for mpb's drawing goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestProgressBars: one line per input with its name, bytes of the total,
// rows, rates and time left; an input that never finishes (failed) does
// not keep Wait waiting; log lines written through Writer show.
func TestProgressBars(t *testing.T) {
	var out syncBuffer
	pb := newProgressBars(&out, 120, true)
	f := pb.Func()
	f(pipeline.Progress{Source: "ssd", File: "in/ssd_r38.csv", Bytes: 2048, TotalBytes: 4096, Rows: 100})
	f(pipeline.Progress{Source: "tcd", File: "in/tcd_r12.xlsx", Bytes: 0, TotalBytes: 10240, Rows: 7})
	time.Sleep(400 * time.Millisecond)
	pb.Writer().Write([]byte("WARN something to say\n"))
	f(pipeline.Progress{Source: "ssd", File: "in/ssd_r38.csv", Bytes: 4096, TotalBytes: 4096, Rows: 200, Done: true})
	done := make(chan struct{})
	go func() { pb.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Wait hangs on an input that never finished")
	}
	s := out.String()
	for _, want := range []string{"ssd_r38.csv", "tcd_r12.xlsx", "2.0 KiB / 4.0 KiB", "100 rows", "200 rows", "rows/s", "KiB/s", "done", "WARN something to say"} {
		if !strings.Contains(s, want) {
			t.Errorf("progress output lacks %q:\n%s", want, s)
		}
	}
}

// TestNoProgressOffTerminal: with stderr a pipe (cron, CI), an ingest
// writes no progress line and no terminal control sequence.
func TestNoProgressOffTerminal(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "ssd_a.csv")
	siteCSV(t, f, "SSD", []int{1}, 20, 0, 0)
	cmd := exec.Command(opsBin, "--warehouse", filepath.Join(dir, "wh"), "ingest", "--kind", "site_assessment", f)
	cmd.Env = opsEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, stderr.String())
	}
	for _, bad := range []string{"rows/s", "\r", "\x1b["} {
		if strings.Contains(stderr.String(), bad) || strings.Contains(stdout.String(), bad) {
			t.Errorf("output off a terminal holds %q:\nstdout %q\nstderr %q", bad, stdout.String(), stderr.String())
		}
	}
}
