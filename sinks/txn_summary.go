package sinks

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
)

// Summaries: a source's summary (Source.Summary) is a file derived from its
// data files (the figure summary, written by package query) and staged in
// the same transaction as them, so that a commit publishes the rows and
// their summary together or neither. It is referenced by the manifest
// like the data files (pinned by readers, removed once unreferenced).

// SummaryTodo is a source of the transaction's next manifest that has no
// summary of the wanted version: its key, the run that wrote its rows
// (this transaction's, or an earlier one's), the rows written and the
// paths its data files can be read at now (staged or committed).
type SummaryTodo struct {
	Key         string
	RunID       string
	RowsWritten int64
	Paths       []string
}

// CloseStaged closes (and fsyncs) every staged Parquet file still open, so
// that the files can be read before Commit, which then has none left to
// close. On an error the transaction must be aborted.
func (t *Txn) CloseStaged() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.closeOpen(); err != nil {
		return fmt.Errorf("run %s: closing the staged files: %w", t.runID, err)
	}
	return nil
}

// closeOpen closes (and fsyncs) every staged file still open and forgets
// it; t.mu must be held. The files are closed on up to GOMAXPROCS
// goroutines at once, each file by one (closing a file writes its last
// row group and footer, then waits for the disk: work the files need not
// take turns at once the rows are all written). The error joins every
// file's, in the order of their names.
func (t *Txn) closeOpen() error {
	rels := make([]string, 0, len(t.open))
	for rel, pf := range t.open {
		if pf != nil {
			rels = append(rels, rel)
		}
	}
	sort.Strings(rels)
	errs := make([]error, len(rels))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(len(rels), runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = t.open[rels[i]].Close()
			}
		}()
	}
	for i := range rels {
		next <- i
	}
	close(next)
	wg.Wait()
	clear(t.open)
	return errors.Join(errs...)
}

// SummaryTodos lists, by key, the sources of dataset that the commit will
// hold with at least minRows rows written and without a summary of
// version: the sources this transaction puts, and committed ones written
// before summaries existed (or with another version). Call it after
// CloseStaged when the todos' files are to be read.
func (t *Txn) SummaryTodos(dataset string, version int, minRows int64) []SummaryTodo {
	t.mu.Lock()
	defer t.mu.Unlock()
	staged := make(map[string]bool, len(t.staged))
	for _, rel := range t.staged {
		staged[rel] = true
	}
	var out []SummaryTodo
	for key, s := range t.next.Sources {
		if s.Dataset != dataset || len(s.Files) == 0 || s.RowsWritten < minRows || (s.Summary != "" && s.SummaryVersion == version) {
			continue
		}
		todo := SummaryTodo{Key: key, RunID: s.RunID, RowsWritten: s.RowsWritten}
		for _, rel := range s.Files {
			if staged[rel] {
				todo.Paths = append(todo.Paths, t.stagingPath(rel))
			} else {
				todo.Paths = append(todo.Paths, filepath.Join(t.root, filepath.FromSlash(rel)))
			}
		}
		out = append(out, todo)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// StageSummary stages the summary of the source key: write creates the
// file at the path it is given (which does not exist yet); the file is
// then fsynced, committed with the transaction and named by the source's
// Summary and SummaryVersion. On an error nothing is staged and the source
// keeps its summary (or none).
func (t *Txn) StageSummary(key string, version int, write func(path string) error) error {
	t.mu.Lock()
	s, ok := t.next.Sources[key]
	var rel string
	if ok {
		rel = fmt.Sprintf("%s/summaries/%s/part-%s-%s.parquet", metaDir, s.Dataset, SourceTag(key), t.runID)
	}
	t.mu.Unlock()
	if !ok {
		return fmt.Errorf("summary of %q: no such source in run %s", key, t.runID)
	}
	path := t.stagingPath(rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("summary of %q: %w", key, err)
	}
	err := write(path)
	if err == nil {
		err = syncFile(path)
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("summary of %q: %w", key, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if s.Summary != rel {
		t.staged = append(t.staged, rel)
	}
	s.Summary, s.SummaryVersion = rel, version
	t.changed = true
	return nil
}

// syncFile fsyncs the file at path.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
