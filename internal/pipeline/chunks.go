package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/transform"
)

// The data-parallel shape of one table's ingest:
//
//	reader ──chunk k──▶ worker 1..W (transform.Converter.Fork) ──▶ reorder ──▶ writer
//
// The reader reads numbered chunks of rows (the row numbers are the
// reader's: exact source rows); the first chunk is converted by the table's
// own converter on the calling goroutine (it decides what the first rows
// decide), the others by W workers at once. The calling goroutine then
// takes the converted chunks back in chunk order (a reorder buffer), lets
// the converter absorb each (the duplicate check in row order, counts,
// reconciliation: transform/parallel.go), and hands the chunk's rejects and
// records to the writer goroutine, which stages them in that order. So the
// files, the rows of each file and their order, the rejects and the counts
// are those of the serial shape (stages.go); the row groups differ (each
// file's records are appended to row groups of RecordRows rows).
//
// Memory is bounded by tokens: the reader takes one before reading a chunk
// and the writer returns it once the chunk is staged, so at most
// chunkTokens chunks (read, converting, waiting in the reorder buffer or
// being written) exist at once, whatever the input's size.

// chunkWorkers is the number of converters of one table (Config.ChunkWorkers;
// 0: one per CPU).
func (c Config) chunkWorkers() int {
	if c.ChunkWorkers > 0 {
		return c.ChunkWorkers
	}
	return runtime.GOMAXPROCS(0)
}

// chunkRows is the number of rows of a chunk (Config.BatchRows, default
// 4 Ki rows: about 700 KB of a DTM site assessment CSV). The chunks in
// flight (chunkTokens) hold their rows, then their records: at 8 Ki rows
// they were 37 MB of a 1 M-row ingest's 128 MB live heap (heap profile),
// held under the soft memory limit at the cost of GC work; 4 Ki rows halve
// that and still make per-chunk costs (one record per partition, one
// reorder step) negligible.
func (c Config) chunkRows() int {
	if c.BatchRows > 0 {
		return c.BatchRows
	}
	return 4 * 1024
}

// chunkTokens bounds the chunks in flight with W workers: one per worker,
// one being read, one being written and as many waiting in the reorder
// buffer behind a slow chunk.
func chunkTokens(workers int) int { return 2*workers + 2 }

// chunkFuncs are the steps of the data-parallel pipeline of one table.
type chunkFuncs struct {
	// read returns the next chunk of rows (io.EOF at the end); it runs on
	// the reader goroutine.
	read func() ([]ingest.Row, error)
	// first converts the first chunk on the calling goroutine and returns
	// its item and the workers' converters (at least one).
	first func(rows []ingest.Row) (stageItem, []*transform.Converter)
	// absorb turns a worker's chunk into an item, in chunk order, on the
	// calling goroutine.
	absorb func(ch *transform.Chunk) stageItem
	// final drains what is left once every chunk is absorbed.
	final func() stageItem
	// write stages an item on the writer goroutine (it owns the item's
	// records and must release them, even on error).
	write func(stageItem) error
	// recycle, when not nil, is called before the first read with the
	// number of chunks in flight at most: the memory of the rows of a read
	// may be reused by the read that many reads later (chunk_rows.go),
	// since by then that chunk is staged (its token is back).
	recycle func(reads int)
}

// seqRows is a chunk of rows and its number (0 for the first).
type seqRows struct {
	seq  int
	rows []ingest.Row
}

// seqChunk is a converted chunk and its number.
type seqChunk struct {
	seq int
	ch  *transform.Chunk
	err error // a panic in the worker
}

// runChunks runs the data-parallel pipeline with the given workers until
// the reader reaches io.EOF or a step fails. Errors and their precedence
// are those of runStages (a read error as *errStage "read", after every
// earlier row is written; a write error wins; a stopped context returns its
// error); a panic in a worker becomes an error of the input. It returns
// once every goroutine has stopped.
func runChunks(ctx context.Context, workers int, f chunkFuncs) (err error) {
	ctx, cancel := context.WithCancel(ctx)
	tokens := make(chan struct{}, chunkTokens(workers))
	for range cap(tokens) {
		tokens <- struct{}{}
	}
	if f.recycle != nil {
		// Reading chunk j takes its token, the (j+1)-th: at least
		// j+1-cap(tokens) were given back, each by the writer once it
		// staged a chunk, in chunk order. So chunk j-cap(tokens) is staged.
		f.recycle(cap(tokens))
	}
	rowsC := make(chan seqRows, workers)
	doneC := make(chan seqChunk, workers)
	itemsC := make(chan stageItem, 1)
	var wg, workersWG sync.WaitGroup
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
		for seq := 0; ctx.Err() == nil; {
			select {
			case <-tokens:
			case <-ctx.Done():
				return
			}
			rows, err := f.read()
			if len(rows) > 0 {
				select {
				case rowsC <- seqRows{seq: seq, rows: rows}:
					seq++
				case <-ctx.Done():
					return
				}
			} else {
				tokens <- struct{}{}
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
		writeErr = writeItems(itemsC, f.write, cancel, func() {
			select { // the final item returns no token
			case tokens <- struct{}{}:
			default:
			}
		})
	}()

	sent := func(it stageItem) bool {
		select {
		case itemsC <- it:
			return true
		case <-ctx.Done():
			it.release()
			return false
		}
	}
	pending := map[int]*transform.Chunk{} // the reorder buffer
	defer func() {
		cancel()
		for range rowsC { // unblock the reader and stop the workers
		}
		workersWG.Wait()
		close(doneC)
		for d := range doneC {
			if d.ch != nil {
				releaseChunk(d.ch)
			}
		}
		for _, ch := range pending {
			releaseChunk(ch)
		}
		close(itemsC)
		wg.Wait()
		switch {
		case writeErr != nil:
			err = writeErr
		case readErr != nil:
			err = &errStage{stage: "read", err: readErr}
		}
	}()

	first, ok := <-rowsC
	if !ok {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if readErr == nil {
			sent(f.final())
		}
		return nil
	}
	it, convs := f.first(first.rows)
	if !sent(it) {
		return ctx.Err()
	}
	if len(convs) == 0 {
		return errors.New("internal error: no converter for the chunks after the first")
	}
	for _, conv := range convs {
		workersWG.Add(1)
		go func() {
			defer workersWG.Done()
			for sr := range rowsC {
				d := convertChunk(conv, sr)
				select {
				case doneC <- d:
				case <-ctx.Done():
					if d.ch != nil {
						releaseChunk(d.ch)
					}
				}
			}
		}()
	}
	allDone := make(chan struct{})
	go func() { workersWG.Wait(); close(allDone) }()
	next := 1
	for {
		var d seqChunk
		select {
		case d = <-doneC:
		case <-allDone:
			// Every worker has stopped; what they sent is still in doneC.
			select {
			case d = <-doneC:
			default:
				d.seq = -1
			}
		case <-ctx.Done():
			return ctx.Err()
		}
		if d.seq < 0 {
			break
		}
		if d.err != nil {
			cancel()
			return d.err
		}
		pending[d.seq] = d.ch
		for ch, ok := pending[next]; ok; ch, ok = pending[next] {
			delete(pending, next)
			next++
			if !sent(f.absorb(ch)) {
				return ctx.Err()
			}
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if len(pending) > 0 {
		return fmt.Errorf("internal error: %d converted chunks never absorbed", len(pending))
	}
	if readErr == nil {
		sent(f.final())
	}
	return nil
}

// convertChunk converts one chunk on a worker, turning a panic into an
// error.
func convertChunk(conv *transform.Converter, sr seqRows) (d seqChunk) {
	d.seq = sr.seq
	defer func() {
		if p := recover(); p != nil {
			d.ch, d.err = nil, fmt.Errorf("internal error while converting rows %d-%d: %v",
				sr.rows[0].Line, sr.rows[len(sr.rows)-1].Line, p)
		}
	}()
	d.ch = conv.ConvertChunk(sr.rows)
	return d
}

// releaseChunk frees the records of a chunk that will not be written.
func releaseChunk(ch *transform.Chunk) {
	for _, r := range ch.Records {
		r.Record.Release()
	}
}
