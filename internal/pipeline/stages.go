package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

// The stages of one input run at once, each on its own goroutine, linked by
// bounded channels:
//
//	reader goroutine ──rows──▶ converter (calling goroutine) ──items──▶ writer goroutine
//
// The reader reads the next batch while the converter casts the previous
// one and the writer encodes the records drained before it. The writer
// consumes items in the order the converter produced them, so the files it
// creates (and the stage:created:N hook points), the rows of each file and
// their order are those of a serial loop. Each channel holds one item: more
// buys no speed (the stages take turns at a steady pace) and costs memory.

// stageDepth is the capacity of the channels between the stages.
const stageDepth = 1

// stageItem is what the converter hands the writer for one batch: its
// rejects, in row order, then the records it drained.
type stageItem struct {
	rejects []schemas.Reject
	recs    []transform.PartRecord
	// last marks the table's final item (stageFuncs.final,
	// chunkFuncs.final): every record is written once it is.
	last bool
}

// release frees the records of an item that will not be written.
func (it stageItem) release() {
	for _, r := range it.recs {
		r.Record.Release()
	}
}

// stageFuncs are the steps of the pipeline of one input.
type stageFuncs struct {
	// read returns the next batch of rows (io.EOF at the end); it runs on
	// the reader goroutine.
	read func() ([]ingest.Row, error)
	// convert turns a batch into an item; it runs on the calling goroutine.
	convert func(rows []ingest.Row) stageItem
	// final drains what is left once every batch is converted.
	final func() stageItem
	// write stages an item; it runs on the writer goroutine and owns the
	// item's records (it must release them, even on error).
	write func(stageItem) error
}

// errStage reports a read error, keeping it apart from the writer's.
type errStage struct {
	stage string
	err   error
}

func (e *errStage) Error() string { return e.err.Error() }
func (e *errStage) Unwrap() error { return e.err }

// runStages runs read | convert | write until the reader reaches io.EOF or a
// stage fails. It returns only once both goroutines have stopped, so that
// the caller may close the reader and discard staged files. A read error is
// returned as *errStage with stage "read" (after every row read before it
// was converted and written, as in a serial loop); a write error wins over
// a read error (it concerns earlier rows); a stopped context returns its
// error. A panic in read or write becomes that stage's error; a panic in
// convert goes on up the calling goroutine once the others have stopped.
func runStages(ctx context.Context, f stageFuncs) (err error) {
	ctx, cancel := context.WithCancel(ctx)
	rowsC := make(chan []ingest.Row, stageDepth)
	itemsC := make(chan stageItem, stageDepth)
	var wg sync.WaitGroup
	var readErr, writeErr error

	wg.Add(2)
	go func() { // reader
		defer wg.Done()
		defer close(rowsC)
		defer func() {
			if p := recover(); p != nil {
				readErr = fmt.Errorf("internal error while reading: %v", p)
			}
		}()
		for ctx.Err() == nil {
			rows, err := f.read()
			if len(rows) > 0 {
				select {
				case rowsC <- rows:
				case <-ctx.Done():
					return
				}
			}
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				readErr = err
				return
			}
		}
	}()
	go func() { // writer
		defer wg.Done()
		writeErr = writeItems(itemsC, f.write, cancel, nil)
	}()

	// The converter runs here. Whatever happens, it closes itemsC (the
	// writer then ends), stops the reader and waits for both.
	sent := func(it stageItem) bool {
		select {
		case itemsC <- it:
			return true
		case <-ctx.Done():
			it.release()
			return false
		}
	}
	defer func() {
		cancel()
		close(itemsC)
		for range rowsC { // unblock the reader; its batches are dropped
		}
		wg.Wait()
		// A panic in convert goes on to the caller (which turns it into a
		// failed input) once the goroutines have stopped.
		switch {
		case writeErr != nil:
			err = writeErr
		case readErr != nil:
			err = &errStage{stage: "read", err: readErr}
		}
	}()
	for rows := range rowsC {
		if ctx.Err() != nil {
			break
		}
		if !sent(f.convert(rows)) {
			break
		}
	}
	// The deferred function has the last word on read and write errors;
	// here only a stopped context (ours or the caller's) is left to report.
	if ctx.Err() != nil {
		return ctx.Err()
	}
	// rowsC is closed: the reader has stopped, and set readErr if it failed
	// (reported by the deferred function).
	if readErr == nil {
		sent(f.final())
	}
	return nil
}

// writeSafely calls write, turning a panic into an error.
func writeSafely(write func(stageItem) error, it stageItem) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error while writing: %v", p)
		}
	}()
	return write(it)
}

// writeItems writes the items of itemsC in order with write until itemsC
// is closed. After the first error it calls stop (the reader and the
// converters stop) and releases every later item unwritten. written, when
// set, runs after each item write was called on. It returns the first
// error.
func writeItems(itemsC <-chan stageItem, write func(stageItem) error, stop, written func()) error {
	var first error
	for it := range itemsC {
		if first != nil {
			it.release()
			continue
		}
		if err := writeSafely(write, it); err != nil {
			first = err
			stop()
		}
		if written != nil {
			written()
		}
	}
	return first
}
