package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"time"
)

// heapProfiler writes the heap profiles of --memprofile: path at the end
// of the command, and path+".peak" at the largest live heap seen during
// it. A heap profile's in-use figures are those of the last completed
// garbage collection, so the watcher reads the live heap after each
// collection (runtime/metrics /gc/heap/live:bytes, polled every
// heapPollEvery) and keeps in memory the profile taken when it was
// largest (rewritten only when it grew by heapPeakStep or more, so a
// steadily growing heap costs a few dozen profiles, each ~100 KB).
type heapProfiler struct {
	path string
	done chan struct{}
	wg   sync.WaitGroup

	mu       sync.Mutex
	peak     []byte // the profile at the peak, gzip-compressed pprof
	peakLive uint64 // live heap bytes at that profile
	err      error
}

const (
	heapPollEvery = 200 * time.Millisecond
	heapPeakStep  = 1 << 20
	heapLiveName  = "/gc/heap/live:bytes"
)

// startHeapProfile checks that path can be written (it is created now)
// and starts the peak watcher.
func startHeapProfile(path string) (*heapProfiler, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	h := &heapProfiler{path: path, done: make(chan struct{})}
	h.wg.Add(1)
	go h.watch()
	return h, nil
}

// watch polls the live heap until done is closed.
func (h *heapProfiler) watch() {
	defer h.wg.Done()
	t := time.NewTicker(heapPollEvery)
	defer t.Stop()
	for {
		select {
		case <-h.done:
			return
		case <-t.C:
		}
		h.poll()
	}
}

// poll takes the peak profile if the live heap grew by heapPeakStep since
// the last one (or there is none yet).
func (h *heapProfiler) poll() {
	sample := []metrics.Sample{{Name: heapLiveName}}
	metrics.Read(sample)
	var live uint64
	if sample[0].Value.Kind() == metrics.KindUint64 {
		live = sample[0].Value.Uint64()
	}
	h.mu.Lock()
	grew := h.peak == nil || live >= h.peakLive+heapPeakStep
	h.mu.Unlock()
	if grew {
		h.takePeak(live)
	}
}

// takePeak records the heap profile as the peak one, at live bytes.
func (h *heapProfiler) takePeak(live uint64) {
	var b bytes.Buffer
	err := pprof.Lookup("heap").WriteTo(&b, 0)
	h.mu.Lock()
	defer h.mu.Unlock()
	if err != nil {
		if h.err == nil {
			h.err = err
		}
		return
	}
	h.peak, h.peakLive = b.Bytes(), live
}

// stop ends the watcher and writes both profiles (the peak one is the end
// one if the live heap never was larger).
func (h *heapProfiler) stop() error {
	close(h.done)
	h.wg.Wait()
	h.poll()
	f, err := os.Create(h.path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", h.path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err != nil {
		return fmt.Errorf("peak profile: %w", h.err)
	}
	return os.WriteFile(h.path+".peak", h.peak, 0o644)
}
