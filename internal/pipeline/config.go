package pipeline

import (
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/ingest/formats"
	"github.com/iom-dtm/dtm/internal/bufpool"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
	"go.uber.org/zap"
)

// Config is what a run needs besides its inputs.
type Config struct {
	Warehouse string
	// Location, when set, is what Warehouse stands for (the s3:// warehouse
	// a run is staged for, sinks/lake.Stage): the run results name it.
	Location string
	Registry *schemas.Registry
	Logger   *zap.Logger
	RunID    string
	Command  string
	Version  string
	DryRun   bool
	// SummaryMinRows is the least number of rows of a site_assessment
	// source that gets a figure summary at its commit (0:
	// query.SummaryMinRows).
	SummaryMinRows int
	// MaxRejectRatio is the default share of rejected rows above which an
	// input fails (inputs may set their own).
	MaxRejectRatio float64
	Limits         ingest.Limits
	// PseudonymKey keys the HMAC pseudonyms of respondent ids ("" drops ids).
	PseudonymKey string
	// Gazetteer maps transform.GazetteerKey(level, code) to official names.
	Gazetteer map[string]string
	// Prune removes committed sources whose inputs are no longer listed
	// (only those of the job sources named in PruneSources).
	PruneSources map[string]bool
	// FullRefresh re-ingests every input, changed or not (--full-refresh);
	// RefreshSources re-ingests the inputs of the named job sources
	// (--source NAME).
	FullRefresh    bool
	RefreshSources map[string]bool
	// Concurrency is how many inputs are read and converted at once (0 or
	// 1: one after the other). Results keep the order of the inputs.
	Concurrency int
	// ChunkWorkers is the number of converters of one table, converting
	// its chunks of BatchRows rows at once (0: one per CPU; 1: the serial
	// shape of stages.go). The output is the same either way (chunks.go).
	ChunkWorkers int
	// Hook is called at named points (crash tests); with Concurrency > 1
	// it may be called from several goroutines.
	Hook func(point string)
	// Progress, when set, is told about bytes and rows as they go.
	Progress ProgressFunc
	// BatchRows is the read batch size (default 16 Ki rows).
	BatchRows int
	// RecordRows is the number of rows from which a partition's Arrow
	// record (a Parquet row group) is written; a record holds up to
	// RecordRows + BatchRows rows (default DefaultRecordRows).
	RecordRows int
	// MaxBufferedRows bounds the converted rows held in memory across the
	// partitions of one input before the largest are written early
	// (default 2 × RecordRows; see transform.Options), and the rows of the
	// open Parquet row groups across them in a chunked ingest
	// (row_groups.go).
	MaxBufferedRows int
	// FileRows is the most rows of an input written to one Parquet file of
	// a partition; more go to further files (default 256 Ki rows:
	// part_files.go).
	FileRows int
	// Allocator allocates every Arrow buffer of the run: the converter's
	// builders and records, the rejects' records and the Parquet encoders
	// (nil: a recycling pool of Run's own, see runAllocator). Every buffer
	// is released by the time Run returns, on success and on every error
	// path; tests pass a memory.CheckedAllocator and assert zero bytes
	// outstanding, or a poisoning bufpool.Pool to find use after Free.
	Allocator memory.Allocator
	// Formats is the registry of input formats (nil: formats.Default()).
	Formats *ingest.Formats
	// Rules are the dataset kinds' own rules, by kind name (nil:
	// transform.DefaultRules()); a kind with none gets the generic
	// converter.
	Rules *transform.RuleRegistry

	// summaries collects the figure summaries built as the inputs are
	// written (set by Run; nil: none).
	summaries *summarySet
	// Test seams (held_writes_test.go): hashOnWait makes the hasher start
	// an input read before it is hashed only once its hash is waited for,
	// so that its records are always held first; holdBytes, when > 0,
	// replaces heldBytesLimit.
	hashOnWait bool
	holdBytes  int64
}

// formats is cfg.Formats or the default registry.
func (cfg Config) formats() *ingest.Formats {
	if cfg.Formats == nil {
		return formats.Default()
	}
	return cfg.Formats
}

// runAllocator is cfg.Allocator, or a new recycling pool (bufpool) for one
// run when it is nil: the Arrow buffers the converters, the rejects and the
// Parquet encoders free are handed out again instead of being left to the
// garbage collector (a 1 M-row ingest allocates ~1.3 GB of them), with at
// most bufpool.DefaultMaxIdleBytes idle. One pool per run: nothing is
// shared between runs, and the idle buffers go when the run ends.
func (cfg Config) runAllocator() memory.Allocator {
	if cfg.Allocator == nil {
		return bufpool.New(bufpool.Options{})
	}
	return cfg.Allocator
}

// allocator is cfg.Allocator or the default one (Run sets cfg.Allocator to
// runAllocator's first).
func (cfg Config) allocator() memory.Allocator {
	if cfg.Allocator == nil {
		return memory.DefaultAllocator
	}
	return cfg.Allocator
}

// Progress is the state of one input being read.
type Progress struct {
	// Source is the job source, File the input.
	Source, File string
	// Bytes read so far of TotalBytes (spreadsheets: 0 until done).
	Bytes, TotalBytes int64
	// Rows read so far.
	Rows int64
	// Done is set once, when the input is finished.
	Done bool
}

// ProgressFunc receives the progress of inputs; with Concurrency > 1 it is
// called from several goroutines.
type ProgressFunc func(Progress)

// report tells cfg.Progress about an input.
func report(cfg Config, sr SourceResult, bytes, rows int64, done bool) {
	if cfg.Progress != nil {
		cfg.Progress(Progress{Source: sr.Source, File: sr.File, Bytes: bytes, TotalBytes: sr.Bytes, Rows: rows, Done: done})
	}
}

// DefaultMaxRejectRatio fails an input when more than half its rows are rejected.
const DefaultMaxRejectRatio = 0.5

// DefaultRecordRows is the default Config.RecordRows. 32 Ki rows (not the
// converter's 64 Ki) halve the rows held in Arrow builders (whose buffers
// grow by doubling) at the cost of Parquet files ~5% larger: on a 1 M-row
// site assessment the run fits the default soft memory limit with little
// extra GC (peak RSS 438 -> 380 MB without a limit, 263 -> 252 MB and
// 16.5 -> 11.1 s with 192 MiB).
const DefaultRecordRows = 32 * 1024

func (c Config) recordRows() int {
	if c.RecordRows > 0 {
		return c.RecordRows
	}
	return DefaultRecordRows
}

// maxBufferedRows is Config.MaxBufferedRows or its default, 2 × RecordRows.
func (c Config) maxBufferedRows() int {
	if c.MaxBufferedRows > 0 {
		return c.MaxBufferedRows
	}
	return 2 * c.recordRows()
}
