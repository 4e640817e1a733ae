package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

// tableContext is what the tables of one input share: the run, the
// staging of the input's files and rejects, and its result.
type tableContext struct {
	cfg    Config
	st     *staging
	ds     *schemas.Dataset
	in     Input
	sr     *SourceResult
	read   *atomic.Int64
	pcodes *transform.PcodeBook
	pseudo *transform.Pseudonymizer
}

// ingestTable maps, converts and stages one table of the input (a CSV or
// JSON file, or one sheet of a workbook) with its own mapping and
// converter, so that each sheet keeps its header, its name (provenance
// source_sheet, rejects' sheet) and its flow direction hint. rowsBefore
// counts the rows of the input's earlier tables, for progress. It returns
// the table's counts, also when it fails (rows read so far).
func (tc *tableContext) ingestTable(ctx context.Context, rd ingest.Reader, rowsBefore int) (transform.Stats, error) {
	h := rd.Header()
	m, err := transform.Map(h, tc.ds, transform.MapOptions{Overrides: tc.in.Overrides, Country: tc.in.Country})
	if err != nil {
		return transform.Stats{}, err
	}
	if err := m.CheckHeadline(); err != nil {
		return transform.Stats{}, fmt.Errorf("%s: %w", tableName(tc.in.Path, h.Sheet), err)
	}
	tc.sr.Notes = appendNew(tc.sr.Notes, m.Notes()...)
	if err := tc.st.rejects.addAll(append(transform.MappingRejects(m, h), transform.UnusedOverrideRejects(m, h, tc.in.Overrides)...)); err != nil {
		return transform.Stats{}, err
	}
	// The first rows settle the mapping (Refine: site-type and population
	// columns by their values, admin levels, swapped name and code
	// columns, the country) before the converter is built on it: the
	// mapping is final from then on.
	// The first batch is the serial shape's first batch also when the
	// table is converted in (smaller) chunks: its rows settle the mapping
	// here and, converted by the table's own converter, what the first rows
	// decide there (date orders, notices), so both shapes decide on the
	// same rows.
	workers := tc.cfg.chunkWorkers()
	rd = &firstRead{Reader: rd}
	firstRows, err := rd.(*firstRead).prime(tc.batchRows())
	if err != nil {
		return transform.Stats{}, err
	}
	if len(firstRows) > 0 {
		tc.sr.Notes = appendNew(tc.sr.Notes, m.Refine(firstRows)...)
	}
	conv := transform.NewConverter(m, transform.Provenance{File: tc.in.Path, FileID: tc.sr.Hash, Sheet: h.Sheet, RunID: tc.cfg.RunID},
		transform.Options{Country: tc.in.Country, Operation: tc.in.Operation, Direction: h.DirectionHint,
			Pcodes: tc.pcodes, Pseudonymizer: tc.pseudo, Duplicates: tc.in.Duplicates,
			BatchRows: tc.cfg.recordRows(), MaxBufferedRows: tc.cfg.MaxBufferedRows, Allocator: tc.cfg.allocator(), Rules: tc.cfg.Rules})
	defer conv.Release()
	if workers > 1 && conv.Parallel() {
		err = tc.convertChunks(ctx, rd, conv, workers, rowsBefore)
	} else {
		err = tc.convertSerial(ctx, rd, conv, rowsBefore)
	}
	if se := (*errStage)(nil); errors.As(err, &se) && se.stage == "read" {
		err = se.err
	}
	if err == nil {
		tc.sr.Notes = appendNew(tc.sr.Notes, conv.Notes()...)
		tc.sr.Reconciliation = addReconciliation(tc.sr.Reconciliation, conv.Reconciliation())
	}
	return conv.Stats(), err
}

// tableName names a table in errors: the file, and the sheet if any.
func tableName(path, sheet string) string {
	if sheet == "" {
		return path
	}
	return fmt.Sprintf("%s [sheet %q]", path, sheet)
}

// addStats sums the counts of two tables.
func addStats(a, b transform.Stats) transform.Stats {
	return transform.Stats{RowsIn: a.RowsIn + b.RowsIn, RowsWritten: a.RowsWritten + b.RowsWritten,
		RowsRejected: a.RowsRejected + b.RowsRejected, Warnings: a.Warnings + b.Warnings}
}

// appendNew appends the notes that notes does not hold yet (sheets of the
// same layout give the same mapping notes).
func appendNew(notes []string, more ...string) []string {
	for _, n := range more {
		dup := false
		for _, o := range notes {
			dup = dup || o == n
		}
		if !dup {
			notes = append(notes, n)
		}
	}
	return notes
}

// convertSerial converts the table's rows with one converter, the reader,
// converter and writer overlapped (stages.go).
func (tc *tableContext) convertSerial(ctx context.Context, rd ingest.Reader, conv *transform.Converter, rowsBefore int) error {
	batch := tc.batchRows()
	return runStages(ctx, stageFuncs{
		read: func() ([]ingest.Row, error) { return rd.Next(batch) },
		convert: func(rows []ingest.Row) stageItem {
			it := stageItem{rejects: conv.Convert(rows), recs: conv.Drain(false)}
			report(tc.cfg, *tc.sr, tc.read.Load(), int64(rowsBefore+conv.Stats().RowsIn), false)
			return it
		},
		final: func() stageItem { return stageItem{rejects: conv.Finish(), recs: conv.Drain(true), last: true} },
		write: func(it stageItem) error {
			if err := tc.st.rejects.addAll(it.rejects); err != nil {
				it.release()
				return err
			}
			return tc.st.writeParts(tc.ds, it.recs, it.last)
		},
	})
}

// convertChunks converts the table's rows in chunks with workers converters
// at once (chunks.go); the table's converter does the first chunk and takes
// the others back in order.
func (tc *tableContext) convertChunks(ctx context.Context, rd ingest.Reader, conv *transform.Converter, workers, rowsBefore int) (err error) {
	n := tc.cfg.chunkRows()
	if tc.st.groups == nil { // the input's files may already hold an earlier sheet's rows
		tc.st.groups = newRowGroups(int64(tc.cfg.recordRows()), int64(tc.cfg.maxBufferedRows()))
	}
	if workers >= minEncoderWorkers {
		tc.st.enc = newPartEncoders()
	}
	var forks []*transform.Converter
	defer func() { // after every goroutine has stopped (runChunks)
		for _, f := range forks {
			f.Release()
		}
		// Every record is encoded (or released) before the input's files
		// are committed or discarded, also after a panic; an encoding error
		// wins, as a write error does.
		if tc.st.enc != nil {
			if encErr := tc.st.enc.close(); encErr != nil {
				err = encErr
			}
			tc.st.enc = nil
		}
	}()
	return runChunks(ctx, workers, chunkFuncs{
		read:    func() ([]ingest.Row, error) { return rd.Next(n) },
		recycle: recycleRows(rd, tc.cfg),
		first: func(rows []ingest.Row) (stageItem, []*transform.Converter) {
			it := stageItem{rejects: conv.Convert(rows), recs: conv.Drain(true)}
			report(tc.cfg, *tc.sr, tc.read.Load(), int64(rowsBefore+conv.Stats().RowsIn), false)
			forks = make([]*transform.Converter, workers)
			for i := range forks {
				forks[i] = conv.Fork()
			}
			return it, forks
		},
		absorb: func(ch *transform.Chunk) stageItem {
			it := stageItem{rejects: conv.Absorb(ch), recs: ch.Records}
			report(tc.cfg, *tc.sr, tc.read.Load(), int64(rowsBefore+conv.Stats().RowsIn), false)
			return it
		},
		final: func() stageItem { return stageItem{rejects: conv.Finish(), recs: conv.Drain(true), last: true} },
		write: func(it stageItem) error {
			if err := tc.st.rejects.addAll(it.rejects); err != nil {
				it.release()
				return err
			}
			return tc.st.writeParts(tc.ds, it.recs, it.last)
		},
	})
}

// batchRows is the number of rows read at a time by the serial path.
func (tc *tableContext) batchRows() int {
	if tc.cfg.BatchRows > 0 {
		return tc.cfg.BatchRows
	}
	return 16 * 1024
}

// firstRead is a reader whose first batch was read ahead (prime), to
// settle the mapping; its first Next returns that batch and the error that
// came with it, then reads on.
type firstRead struct {
	ingest.Reader
	rows    []ingest.Row
	err     error
	pending bool
}

// prime reads the first batch of up to n rows. A reader's panic becomes an
// error, as in the read stage; io.EOF and read errors are kept for Next
// (the rows read before an error are still converted) and not returned.
func (f *firstRead) prime(n int) (rows []ingest.Row, err error) {
	defer func() {
		if p := recover(); p != nil {
			rows, err = nil, fmt.Errorf("internal error while reading: %v", p)
		}
	}()
	f.rows, f.err = f.Reader.Next(n)
	f.pending = true
	return f.rows, nil
}

// Next returns the primed batch first.
func (f *firstRead) Next(n int) ([]ingest.Row, error) {
	if f.pending {
		f.pending = false
		return f.rows, f.err
	}
	return f.Reader.Next(n)
}
