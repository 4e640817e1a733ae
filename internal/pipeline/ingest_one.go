package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
	"github.com/iom-dtm/dtm/transform"
)

// ingestOne reads, converts and stages one input. It never panics: a panic
// in a reader or converter becomes a failed input.
// planned carries what the plan decided (hash, size, replaced); hashed,
// when not nil, is the input's hash, which plan left to compute meanwhile
// (hash_later.go): the rows' source_file_id is filled in as they are
// written (staging.fileIDs), sr.Hash once the rows are staged.
func ingestOne(ctx context.Context, cfg Config, txn *sinks.Txn, in Input, planned SourceResult, hashed *hashFuture, keys *siteKeys,
	pcodes *transform.PcodeBook, pseudo *transform.Pseudonymizer) (sr SourceResult) {
	start := time.Now()
	sr = planned
	st := &staging{txn: txn, key: in.Key(), keys: keys, summary: cfg.summaries.start(in.Key(), in.Kind), encoders: cfg.chunkWorkers(),
		fileRows: cfg.fileRows(), fileIDs: hashed, holdLimit: cfg.holdLimit(), mem: cfg.allocator()}
	joinHash := func() error {
		if hashed == nil {
			return nil
		}
		hash, err := hashed.wait()
		sr.Hash = hash
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			sr.Errors = append(sr.Errors, fmt.Sprintf("internal error while reading %q: %v", in.Path, p))
			sr.Status = StatusFailed
			st.discard()
			_ = joinHash()
		}
		sr.DurationMS = time.Since(start).Milliseconds()
	}()
	fail := func(err error) SourceResult {
		_ = joinHash() // the result names the hash of a failed input too
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
	var read atomic.Int64
	rds, err := openTables(cfg.formats(), in, ingest.Options{Scorer: transform.NewHeaderScorer(ds), Limits: cfg.Limits}, &read)
	if err != nil {
		return fail(err)
	}
	defer func() {
		for _, rd := range rds {
			rd.Close()
		}
	}()
	st.rejects = &rejectWriter{txn: txn, mem: cfg.allocator(), key: in.Key(), codes: map[string]int{}, dryRun: cfg.DryRun}
	st.dryRun = cfg.DryRun
	tc := tableContext{cfg: cfg, st: st, ds: ds, in: in, sr: &sr, read: &read, pcodes: pcodes, pseudo: pseudo}
	var stats transform.Stats
	var sheets []string
	for _, rd := range rds {
		if h := rd.Header(); h.Sheet != "" {
			sheets = append(sheets, h.Sheet)
			sr.Sheet = strings.Join(sheets, ", ")
		}
		ts, err := tc.ingestTable(ctx, rd, stats.RowsIn)
		stats = addStats(stats, ts)
		if err != nil {
			sr.RowsIn = int64(stats.RowsIn)
			return fail(err)
		}
	}
	if len(st.held.recs) > 0 { // every table's last item writes them
		return fail(fmt.Errorf("internal error: %d records of %q held for its hash were never written", len(st.held.recs), in.Path))
	}
	// The ledger entry (also a failed input's, keepFailedRejects) and the
	// result need the hash.
	if err := joinHash(); err != nil {
		sr.RowsIn = int64(stats.RowsIn)
		return fail(err)
	}
	// Warnings counts every warning-severity reject of the input, the
	// file-level ones (mapping, unused overrides) included.
	sr.RowsIn, sr.RowsWritten, sr.RowsRejected, sr.Warnings = int64(stats.RowsIn), int64(stats.RowsWritten), int64(stats.RowsRejected), st.rejects.warnings
	sr.RejectCodes, sr.WarningCodes = st.rejects.codes, st.rejects.warnCodes
	sr.RejectSamples = st.rejects.samples
	report(cfg, sr, sr.Bytes, sr.RowsIn, true)
	limit := in.MaxRejectRatio
	if limit <= 0 {
		limit = cfg.MaxRejectRatio
	}
	// Blank rows (the trailing ",,,," lines of spreadsheet exports) and the
	// file's own totals rows are rejected but are not data rows: they do not
	// count against the threshold.
	blank := int64(st.rejects.codes[schemas.CodeBlankRow] + st.rejects.codes[schemas.CodeTotalsRow] +
		st.rejects.warnCodes[schemas.CodeBlankRow] + st.rejects.warnCodes[schemas.CodeTotalsRow])
	if data := sr.RowsIn - blank; data > 0 && float64(sr.RowsRejected-blank)/float64(data) > limit {
		rej := sr.RowsRejected - blank
		fail(st.keepFailedRejects(cfg, in, &sr, sr.Hash, fmt.Errorf("%d of %d non-blank rows rejected (%.0f%%), over the %.0f%% threshold: nothing of %q committed",
			rej, data, 100*float64(rej)/float64(data), 100*limit, in.Path)))
		sr.RowsRejected = rej
		sr.RowsWritten = 0
		sr.RowsRejected = sr.RowsIn
		sr.Reconciliation = nothingWritten(sr.Reconciliation)
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
	shape := in.Shape()
	// The files in name order: a serial and a chunked ingest create a
	// partition's next file (part_files.go) at different points.
	files := slices.Clone(st.files)
	slices.Sort(files)
	txn.PutSource(&sinks.Source{Shape: shape, Fingerprint: Fingerprint(shape),
		Key: in.Key(), Dataset: ds.Name, Hash: sr.Hash, Bytes: sr.Bytes, RunID: cfg.RunID, IngestedAt: time.Now().UTC(),
		RowsIn: sr.RowsIn, RowsWritten: sr.RowsWritten, RowsRejected: sr.RowsRejected,
		Files: files, RejectsFile: rejFile, JobSource: in.Source, File: in.Path, Sheet: sr.Sheet, Replaces: in.Replaces,
	})
	sr.Status = StatusCommitted
	return sr
}

// staging holds the staged files of one input.
type staging struct {
	txn *sinks.Txn
	key string
	// parts are the files the partitions' rows are written to
	// (part_files.go), files every staged file of the input.
	parts   map[transform.Partition]*partFile
	files   []string
	rejects *rejectWriter
	dryRun  bool
	// keys, when set, collects the site-rounds of the rows (dry runs too).
	keys *siteKeys
	// summary, when set, computes the figure summary of the rows written
	// (summary.go).
	summary *query.SummaryBuilder
	// groups, when set, appends records of any size to buffered row groups
	// (sinks.ParquetFile.WriteBuffered) and decides where they end
	// (row_groups.go), for the small records of the chunks of a parallel
	// ingest.
	groups *rowGroups
	// enc, when set, encodes each part file on its own goroutine
	// (encoders.go).
	enc *partEncoders
	// encoders is the number of goroutines encoding the columns of each
	// part file (sinks.ParquetFile.SetEncoders): one per core, as the
	// converters. The writer goroutine would otherwise encode alone, the
	// longest serial step of a chunked ingest (issue 15).
	encoders int
	// fileRows is the most rows a staged part file holds (Config.FileRows).
	fileRows int64
	// fileIDs, when set, is the input's hash, still being computed when
	// its converters started (hash_later.go): they gave the rows an empty
	// source_file_id, which writeParts sets to the hash (waiting for it
	// before the input's first write) in the records it writes, with mem.
	fileIDs *hashFuture
	// held are the records writeParts holds while fileIDs is computed, at
	// most holdLimit bytes (held_writes.go).
	held      heldRecords
	holdLimit int64
	mem       memory.Allocator
}

// writeParts summarises and stages the records of an item (it releases
// them). While the input's hash is still being computed (fileIDs), it holds
// them instead, up to holdLimit bytes (held_writes.go); last (the table's
// final item) or a full hold waits for the hash and writes what is held
// first.
func (s *staging) writeParts(ds *schemas.Dataset, recs []transform.PartRecord, last bool) error {
	defer func() {
		for _, r := range recs {
			r.Record.Release()
		}
	}()
	if s.keys != nil && ds.Name == siteRoundDataset {
		for _, r := range recs {
			s.keys.add(r.Record)
		}
	}
	s.summarise(recs)
	if s.dryRun {
		return nil
	}
	if s.fileIDs == nil {
		return s.writeAll(ds, recs, "")
	}
	if !last && !s.fileIDs.ready() {
		held, err := s.held.hold(recs, s.holdLimit, s.mem)
		if err != nil || held {
			return err
		}
	}
	fileID, err := s.fileIDs.wait()
	if err != nil {
		return err
	}
	if err := s.writeHeld(ds, fileID); err != nil {
		return err
	}
	return s.writeAll(ds, recs, fileID)
}

func (s *staging) discard() {
	s.held.release()
	for _, f := range s.files {
		s.txn.Discard(f)
	}
	s.files, s.parts = nil, nil
	if s.rejects != nil {
		s.rejects.discard()
	}
}
