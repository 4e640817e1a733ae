package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
	"github.com/iom-dtm/dtm/transform"
)

// ingestOne reads, converts and stages one input. It never panics: a panic
// in a reader or converter becomes a failed input.
// planned carries what the plan decided (hash, size, replaced).
func ingestOne(ctx context.Context, cfg Config, txn *sinks.Txn, in Input, planned SourceResult,
	pcodes *transform.PcodeBook, pseudo *transform.Pseudonymizer) (sr SourceResult) {
	start := time.Now()
	sr = planned
	st := &staging{txn: txn, key: in.Key()}
	defer func() {
		if p := recover(); p != nil {
			sr.Errors = append(sr.Errors, fmt.Sprintf("internal error while reading %q: %v", in.Path, p))
			sr.Status = StatusFailed
			st.discard()
		}
		sr.DurationMS = time.Since(start).Milliseconds()
	}()
	fail := func(err error) SourceResult {
		st.discard()
		sr.Status = StatusFailed
		sr.Errors = append(sr.Errors, err.Error())
		sr.RowsWritten, sr.RowsRejected = 0, sr.RowsIn
		return sr
	}
	ds, err := cfg.Registry.Lookup(in.Kind)
	if err != nil {
		return fail(err)
	}
	hash := sr.Hash
	var read atomic.Int64
	rd, err := openCounting(in, ingest.Options{Scorer: transform.NewHeaderScorer(ds), Limits: cfg.Limits}, &read)
	if err != nil {
		return fail(err)
	}
	defer rd.Close()
	h := rd.Header()
	sr.Sheet = h.Sheet
	m, err := transform.Map(h, ds, transform.MapOptions{Overrides: in.Overrides, Country: in.Country})
	if err != nil {
		return fail(err)
	}
	if err := m.CheckHeadline(); err != nil {
		return fail(fmt.Errorf("%s: %w", in.Path, err))
	}
	conv := transform.NewConverter(m, transform.Provenance{File: in.Path, FileID: hash, Sheet: h.Sheet, RunID: cfg.RunID},
		transform.Options{Country: in.Country, Operation: in.Operation, Pcodes: pcodes, Pseudonymizer: pseudo,
			BatchRows: cfg.recordRows(), MaxBufferedRows: cfg.MaxBufferedRows, Allocator: cfg.allocator()})
	defer conv.Release()
	sr.Notes = append(sr.Notes, m.Notes()...)
	st.rejects = &rejectWriter{txn: txn, mem: cfg.allocator(), key: in.Key(), codes: map[string]int{}, dryRun: cfg.DryRun}
	st.dryRun = cfg.DryRun
	if err := st.rejects.addAll(append(transform.MappingRejects(m, h), transform.UnusedOverrideRejects(m, h, in.Overrides)...)); err != nil {
		return fail(err)
	}

	batch := cfg.BatchRows
	if batch <= 0 {
		batch = 16 * 1024
	}
	first := true
	err = runStages(ctx, stageFuncs{
		read: func() ([]ingest.Row, error) { return rd.Next(batch) },
		convert: func(rows []ingest.Row) stageItem {
			if first {
				sr.Notes = append(sr.Notes, m.Refine(rows)...)
				first = false
			}
			it := stageItem{rejects: conv.Convert(rows), recs: conv.Drain(false)}
			report(cfg, sr, read.Load(), int64(conv.Stats().RowsIn), false)
			return it
		},
		final: func() stageItem { return stageItem{recs: conv.Drain(true)} },
		write: func(it stageItem) error {
			if err := st.rejects.addAll(it.rejects); err != nil {
				it.release()
				return err
			}
			return st.writeParts(ds, it.recs)
		},
	})
	if err != nil {
		if se := (*errStage)(nil); errors.As(err, &se) && se.stage == "read" {
			sr.RowsIn = int64(conv.Stats().RowsIn)
			err = se.err
		}
		return fail(err)
	}
	stats := conv.Stats()
	sr.RowsIn, sr.RowsWritten, sr.RowsRejected, sr.Warnings = int64(stats.RowsIn), int64(stats.RowsWritten), int64(stats.RowsRejected), int64(stats.Warnings)
	sr.RejectCodes = st.rejects.codes
	sr.RejectSamples = st.rejects.samples
	report(cfg, sr, sr.Bytes, sr.RowsIn, true)
	limit := in.MaxRejectRatio
	if limit <= 0 {
		limit = cfg.MaxRejectRatio
	}
	// Blank rows (the trailing ",,,," lines of spreadsheet exports) are
	// rejected but carry no data: they do not count against the threshold.
	blank := int64(st.rejects.codes[schemas.CodeBlankRow])
	if data := sr.RowsIn - blank; data > 0 && float64(sr.RowsRejected-blank)/float64(data) > limit {
		rej := sr.RowsRejected - blank
		fail(fmt.Errorf("%d of %d non-blank rows rejected (%.0f%%), over the %.0f%% threshold: nothing of %q committed",
			rej, data, 100*float64(rej)/float64(data), 100*limit, in.Path))
		sr.RowsRejected = rej
		sr.RowsWritten = 0
		sr.RowsRejected = sr.RowsIn
		return sr
	}
	if cfg.DryRun {
		st.discard()
		sr.Status = StatusDryRun
		return sr
	}
	rejFile, err := st.rejects.finish()
	if err != nil {
		return fail(err)
	}
	txn.PutSource(&sinks.Source{
		Key: in.Key(), Dataset: ds.Name, Hash: hash, RunID: cfg.RunID, IngestedAt: time.Now().UTC(),
		RowsIn: sr.RowsIn, RowsWritten: sr.RowsWritten, RowsRejected: sr.RowsRejected,
		Files: st.files, RejectsFile: rejFile, JobSource: in.Source, File: in.Path, Sheet: h.Sheet,
	})
	sr.Status = StatusCommitted
	return sr
}

// staging holds the staged files of one input.
type staging struct {
	txn     *sinks.Txn
	key     string
	parts   map[transform.Partition]*sinks.ParquetFile
	files   []string
	rejects *rejectWriter
	dryRun  bool
}

func (s *staging) writeParts(ds *schemas.Dataset, recs []transform.PartRecord) error {
	defer func() {
		for _, r := range recs {
			r.Record.Release()
		}
	}()
	if s.dryRun {
		return nil
	}
	if s.parts == nil {
		s.parts = map[transform.Partition]*sinks.ParquetFile{}
	}
	for _, r := range recs {
		pf, ok := s.parts[r.Partition]
		if !ok {
			var rel string
			var err error
			pf, rel, err = s.txn.CreatePart(ds.Name, r.Record.Schema(), r.Partition.Country, r.Partition.Key, r.Partition.Value, s.key)
			if err != nil {
				return err
			}
			s.parts[r.Partition] = pf
			s.files = append(s.files, rel)
		}
		if err := pf.Write(r.Record); err != nil {
			return err
		}
	}
	return nil
}

func (s *staging) discard() {
	for _, f := range s.files {
		s.txn.Discard(f)
	}
	s.files, s.parts = nil, nil
	if s.rejects != nil {
		s.rejects.discard()
	}
}
