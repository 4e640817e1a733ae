package pipeline

import (
	"context"
	"errors"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// noLeak fails t if goroutines started during the test are still running
// shortly after it (a goleak-style check on runtime.NumGoroutine).
func noLeak(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<16)
			t.Errorf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
		}
	})
}

// fakeStages reads batches of size rows numbered 1..total (failing with
// readErr after failAt rows if failAt > 0), converts each batch into one
// reject per row, and records the rows the writer saw, in order.
type fakeStages struct {
	total, size, failAt int
	readErr             error
	writeFailAt         int // the writer fails on its n-th item (1-based), 0: never
	convertPanicAt      int // convert panics on its n-th batch, 0: never
	next, converted     int
	written             []int
	writes              int
	finals              int
}

func (s *fakeStages) funcs() stageFuncs {
	return stageFuncs{
		read: func() ([]ingest.Row, error) {
			if s.failAt > 0 && s.next >= s.failAt {
				return nil, s.readErr
			}
			if s.next >= s.total {
				return nil, io.EOF
			}
			var rows []ingest.Row
			for len(rows) < s.size && s.next < s.total && (s.failAt == 0 || s.next < s.failAt) {
				s.next++
				rows = append(rows, ingest.Row{Line: s.next})
			}
			return rows, nil
		},
		convert: func(rows []ingest.Row) stageItem {
			s.converted++
			if s.converted == s.convertPanicAt {
				panic("convert boom")
			}
			var it stageItem
			for _, r := range rows {
				it.rejects = append(it.rejects, schemas.Reject{Row: r.Line})
			}
			return it
		},
		final: func() stageItem {
			s.finals++
			return stageItem{rejects: []schemas.Reject{{Row: -1}}}
		},
		write: func(it stageItem) error {
			s.writes++
			if s.writes == s.writeFailAt {
				return errors.New("disk full")
			}
			for _, r := range it.rejects {
				s.written = append(s.written, r.Row)
			}
			return nil
		},
	}
}

func TestRunStages(t *testing.T) {
	readErr := errors.New("bad quote on line 40")
	cases := []struct {
		name        string
		s           fakeStages
		wantErr     error
		wantStage   string
		wantWritten int // rows written before the end (the final item not counted)
		wantFinal   bool
	}{
		{name: "all rows in order", s: fakeStages{total: 1000, size: 7}, wantWritten: 1000, wantFinal: true},
		{name: "empty input", s: fakeStages{total: 0, size: 7}, wantWritten: 0, wantFinal: true},
		{name: "one batch", s: fakeStages{total: 5, size: 7}, wantWritten: 5, wantFinal: true},
		{name: "read error after rows", s: fakeStages{total: 100, size: 7, failAt: 40, readErr: readErr},
			wantErr: readErr, wantStage: "read", wantWritten: 40},
		{name: "write error", s: fakeStages{total: 1000, size: 7, writeFailAt: 3}, wantErr: errors.New("disk full")},
		{name: "write error on the final item", s: fakeStages{total: 14, size: 7, writeFailAt: 3},
			wantErr: errors.New("disk full"), wantWritten: 14},
		{name: "write error and read error", s: fakeStages{total: 100, size: 7, failAt: 40, readErr: readErr, writeFailAt: 2},
			wantErr: errors.New("disk full")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			noLeak(t)
			s := tc.s
			err := runStages(context.Background(), s.funcs())
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatalf("error %v", err)
			case tc.wantErr != nil && (err == nil || err.Error() != tc.wantErr.Error()):
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
			var se *errStage
			if got := errors.As(err, &se); got != (tc.wantStage != "") || (got && se.stage != tc.wantStage) {
				t.Errorf("errStage %v (%v), want stage %q", got, se, tc.wantStage)
			}
			if tc.wantStage != "" && !errors.Is(err, tc.wantErr) {
				t.Errorf("%v does not wrap %v", err, tc.wantErr)
			}
			if tc.s.writeFailAt == 0 || tc.wantWritten > 0 {
				rows := s.written
				if tc.wantFinal {
					if len(rows) == 0 || rows[len(rows)-1] != -1 {
						t.Fatalf("final item not written last: %v", rows)
					}
					rows = rows[:len(rows)-1]
				}
				if len(rows) != tc.wantWritten {
					t.Fatalf("%d rows written, want %d", len(rows), tc.wantWritten)
				}
				for i, r := range rows {
					if r != i+1 {
						t.Fatalf("row %d written at %d: order lost", r, i)
					}
				}
			}
			if got := s.finals == 1; got != tc.wantFinal && tc.s.writeFailAt == 0 {
				t.Errorf("final called %d times", s.finals)
			}
			if tc.s.writeFailAt > 0 && s.writes > tc.s.writeFailAt {
				t.Errorf("writer went on after failing (%d writes)", s.writes)
			}
		})
	}
}

func TestRunStagesConvertPanic(t *testing.T) {
	noLeak(t)
	s := fakeStages{total: 1000, size: 7, convertPanicAt: 3}
	func() {
		defer func() {
			if p := recover(); p != "convert boom" {
				t.Errorf("recovered %v", p)
			}
		}()
		runStages(context.Background(), s.funcs())
		t.Error("no panic")
	}()
}

func TestRunStagesReadPanic(t *testing.T) {
	noLeak(t)
	f := (&fakeStages{total: 10, size: 1}).funcs()
	f.read = func() ([]ingest.Row, error) { panic("reader boom") }
	if err := runStages(context.Background(), f); err == nil || err.Error() != "internal error while reading: reader boom" {
		t.Fatalf("error %v", err)
	}
}

func TestRunStagesWritePanicReleases(t *testing.T) {
	noLeak(t)
	f := (&fakeStages{total: 100, size: 1}).funcs()
	var writes atomic.Int32
	f.write = func(stageItem) error {
		if writes.Add(1) == 2 {
			panic("writer boom")
		}
		return nil
	}
	err := runStages(context.Background(), f)
	if err == nil || err.Error() != "internal error while writing: writer boom" {
		t.Fatalf("error %v", err)
	}
}

// TestRunStagesCancel stops the context while every stage is busy: the
// run returns the context's error and leaves no goroutine behind.
func TestRunStagesCancel(t *testing.T) {
	for _, where := range []string{"read", "convert", "write"} {
		t.Run(where, func(t *testing.T) {
			noLeak(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s := &fakeStages{total: 1 << 30, size: 3}
			f := s.funcs()
			n := 0
			hit := func(stage string) {
				if stage == where {
					if n++; n == 5 {
						cancel()
					}
				}
			}
			read, convert, write := f.read, f.convert, f.write
			f.read = func() ([]ingest.Row, error) { hit("read"); return read() }
			f.convert = func(r []ingest.Row) stageItem { hit("convert"); return convert(r) }
			f.write = func(it stageItem) error { hit("write"); return write(it) }
			done := make(chan error, 1)
			go func() { done <- runStages(ctx, f) }()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("error %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("runStages did not stop")
			}
			if s.finals != 0 {
				t.Error("final drained after a cancel")
			}
		})
	}
}
