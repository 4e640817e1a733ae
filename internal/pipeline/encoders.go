package pipeline

import (
	"fmt"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/iom-dtm/dtm/sinks"
)

// partEncoders encode the Parquet files of one input's partitions at once,
// each file on its own goroutine, so that the encoding (dictionaries, pages,
// zstd) of a file spanning several partitions uses more than one core. The
// writer goroutine still creates the files and hands each its records in
// chunk order, so every file gets its rows in the same order as serially
// and the files are created in the same order (hook points). Each file's
// queue holds encoderDepth records: a slow file holds up the writer, which
// holds back the chunk tokens, so memory stays bounded.
//
// Since then (issue 15) each file's columns are also encoded on one
// goroutine per core (sinks.ParquetFile.SetEncoders, staging.encoders), which
// helps the usual single-partition input too; a goroutine per file remains
// for many converters.
//
// Measured (make bench, 1 M rows, 2 CPUs shared, load average 21-25): with
// 2 workers the converters and the writer already keep both cores busy,
// and a goroutine per file brought no speed (dtm/DuckDB 0.34 against 0.41
// without) but raised the peak RSS from 242 to 274 MB (every file's open
// row group and queued records at once). So the files are encoded in
// parallel only from minEncoderWorkers converters on, where the single
// writer would become the bottleneck.
type partEncoders struct {
	files map[*sinks.ParquetFile]fileQueue
	wg    sync.WaitGroup
	mu    sync.Mutex
	err   error // the first encoding error
}

// minEncoderWorkers is the number of converters (Config.ChunkWorkers) from
// which the chunked ingest encodes its files in parallel.
const minEncoderWorkers = 4

// encoderDepth is the number of records waiting for one file's encoder.
const encoderDepth = 2

// fileQueue is a file's queue of records and the channel its encoder
// closes when it has written them all.
type fileQueue struct {
	c    chan groupRecord
	done chan struct{}
}

// groupRecord is a record queued for a file's encoder, and whether it
// starts a new row group (sinks.ParquetFile.WriteBuffered).
type groupRecord struct {
	rec      arrow.RecordBatch
	newGroup bool
}

func newPartEncoders() *partEncoders {
	return &partEncoders{files: map[*sinks.ParquetFile]fileQueue{}}
}

// write queues rec (retained; the caller keeps its reference) for pf's
// encoder, starting it if needed. It returns the first error any encoder
// met so far.
func (e *partEncoders) write(pf *sinks.ParquetFile, rec arrow.RecordBatch, newGroup bool) error {
	if err := e.failed(); err != nil {
		return err
	}
	q, ok := e.files[pf]
	if !ok {
		q = fileQueue{c: make(chan groupRecord, encoderDepth), done: make(chan struct{})}
		e.files[pf] = q
		e.wg.Add(1)
		go e.encode(pf, q)
	}
	rec.Retain()
	q.c <- groupRecord{rec: rec, newGroup: newGroup}
	return nil
}

// finish waits until every record queued for pf is encoded (or released
// after an error), stops its encoder and returns the first error any
// encoder met, so that pf may be closed.
func (e *partEncoders) finish(pf *sinks.ParquetFile) error {
	if q, ok := e.files[pf]; ok {
		close(q.c)
		<-q.done
		delete(e.files, pf)
	}
	return e.failed()
}

// encode writes the records of one file until its queue is closed; after an
// error (or a panic) it only releases them.
func (e *partEncoders) encode(pf *sinks.ParquetFile, q fileQueue) {
	defer e.wg.Done()
	defer close(q.done)
	for gr := range q.c {
		if e.failed() == nil {
			e.fail(writeBuffered(pf, gr))
		}
		gr.rec.Release()
	}
}

func writeBuffered(pf *sinks.ParquetFile, gr groupRecord) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error while encoding: %v", p)
		}
	}()
	return pf.WriteBuffered(gr.rec, gr.newGroup)
}

func (e *partEncoders) fail(err error) {
	if err == nil {
		return
	}
	e.mu.Lock()
	if e.err == nil {
		e.err = err
	}
	e.mu.Unlock()
}

func (e *partEncoders) failed() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err
}

// close waits until every queued record is encoded (or released after an
// error) and returns the first error. The files stay open (the transaction
// closes them, or staging.closeFile once full).
func (e *partEncoders) close() error {
	for _, q := range e.files {
		close(q.c)
	}
	e.wg.Wait()
	e.files = nil
	return e.err
}
