package pipeline

import (
	"reflect"
	"strings"
	"time"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

// Source statuses in the run results.
const (
	StatusCommitted   = "committed"   // rows written and committed
	StatusUnchanged   = "unchanged"   // same content already committed: skipped
	StatusDuplicate   = "duplicate"   // same content committed under another path: skipped
	StatusFailed      = "failed"      // unreadable or over its reject threshold: nothing committed
	StatusDryRun      = "dry-run"     // would be committed
	StatusInterrupted = "interrupted" // the run was stopped (SIGINT/SIGTERM): nothing committed
)

// Run statuses in the run results.
const (
	RunOK          = "ok"          // every input committed or skipped
	RunPartial     = "partial"     // some inputs failed, the others committed (exit 3)
	RunFailed      = "failed"      // nothing committed (exit 1)
	RunConflict    = "conflict"    // committed locally, but another run published to the s3:// warehouse first: nothing published (exit 4)
	RunInterrupted = "interrupted" // stopped by a signal; nothing committed (exit 130)
	RunDryRun      = "dry-run"     // --dry-run: nothing written
)

// SourceResult is what happened to one input. The `desc` tags document the
// run-results document (`dtm schema runs` prints them).
type SourceResult struct {
	Source       string `json:"source,omitempty" desc:"job source the input belongs to (empty for dtm ingest)"`
	Kind         string `json:"kind" desc:"dataset the input is read as"`
	File         string `json:"file" desc:"input file as given (embedded sample files: sample/...)"`
	Sheet        string `json:"sheet,omitempty" desc:"worksheet read (spreadsheets)"`
	Hash         string `json:"hash,omitempty" desc:"SHA-256 of the input's bytes: the ledger key of incremental runs"`
	Bytes        int64  `json:"bytes" desc:"size of the input in bytes"`
	Status       string `json:"status" desc:"committed, unchanged (same hash already committed: skipped), duplicate (same content committed under another path: skipped), failed (nothing of it committed), interrupted, dry-run (would be committed)"`
	RowsIn       int64  `json:"rows_in" desc:"data rows read; rows_in = rows_written + rows_rejected"`
	RowsWritten  int64  `json:"rows_written" desc:"rows written to the warehouse (0 when failed)"`
	RowsRejected int64  `json:"rows_rejected" desc:"rows dropped by an error-severity reject (all rows when failed)"`
	RowsSkipped  int64  `json:"rows_skipped" desc:"rows not read again because the input is unchanged (its committed rows_in)"`
	Warnings     int64  `json:"warnings" desc:"warning-severity rejects, file-level ones (mapping, unused overrides) included; rows kept, counted apart from rows_rejected"`
	// Reconciliation accounts for the input's headline figures.
	Reconciliation []transform.Reconciliation `json:"reconciliation,omitempty" desc:"per headline figure (IDP individuals and households, returnees, flow individuals): the sum of the usable cells as read from the file, the sum written, and the difference by reject code and by rows dropped vs cells emptied; with the file's own total when it has a totals row"`
	RejectCodes    map[string]int             `json:"reject_codes,omitempty" desc:"error-severity rejects (rows dropped, whole-file errors) by stable error code"`
	WarningCodes   map[string]int             `json:"warning_codes,omitempty" desc:"warning-severity rejects (rows kept) by stable code; they sum to warnings"`
	RejectSamples  []schemas.Reject           `json:"reject_samples,omitempty" desc:"the first rejects of each code (file, sheet, row, column, value, code, severity, message)"`
	Errors         []string                   `json:"errors,omitempty" desc:"why the input failed"`
	Notes          []string                   `json:"notes,omitempty" desc:"what dtm decided about the input (mapping, swapped columns, duplicates)"`
	CrossSource    []CrossSourceDuplicate     `json:"cross_source_duplicates,omitempty" desc:"site-rounds (country, site id or admin p-codes + site name, round, assessment type) of this input that another input also holds, one entry per other input"`
	Replaced       bool                       `json:"replaced,omitempty" desc:"true when the input changed and its new rows replace those committed before"`
	Reason         string                     `json:"reason,omitempty" desc:"why the input was read: new, content changed, settings changed: <names> (country, columns, sheets, operation, kind, format, mapping_rules), full refresh, source refresh"`
	DurationMS     int64                      `json:"duration_ms" desc:"time spent on the input, in milliseconds"`
}

// JobSourceResult sums up the inputs of one job source.
type JobSourceResult struct {
	Source       string   `json:"source" desc:"job source name (empty for dtm ingest)"`
	Kind         string   `json:"kind" desc:"dataset"`
	Files        int      `json:"files" desc:"inputs of the source in this run"`
	Hashes       []string `json:"hashes" desc:"SHA-256 of each input, in input order"`
	Status       string   `json:"status" desc:"failed if any input failed, interrupted, dry-run, committed if any input committed, else unchanged"`
	RowsIn       int64    `json:"rows_in" desc:"sum of the inputs' rows_in"`
	RowsWritten  int64    `json:"rows_written" desc:"sum of the inputs' rows_written"`
	RowsRejected int64    `json:"rows_rejected" desc:"sum of the inputs' rows_rejected"`
	RowsSkipped  int64    `json:"rows_skipped" desc:"sum of the inputs' rows_skipped"`
	Skipped      int      `json:"skipped" desc:"inputs skipped as unchanged or duplicate"`
	Failed       int      `json:"failed" desc:"inputs that failed"`
	Errors       []string `json:"errors,omitempty" desc:"errors of the failed inputs, prefixed by the file"`
}

// RunResult is the run-results document written to
// <warehouse>/_dtm/runs/<run_id>.json and printed by `--json`.
type RunResult struct {
	RunID        string            `json:"run_id" desc:"run id: UTC start time and a random suffix; names the run's Parquet files and the ingest_run_id column"`
	Command      string            `json:"command" desc:"the dtm command that ran (dtm run, dtm ingest)"`
	DtmVersion   string            `json:"dtm_version" desc:"version of the dtm binary"`
	StartedAt    time.Time         `json:"started_at" desc:"start time, RFC 3339 UTC"`
	EndedAt      time.Time         `json:"ended_at" desc:"end time, RFC 3339 UTC"`
	Status       string            `json:"status" desc:"ok, partial (some inputs failed; exit 3), failed (nothing committed; exit 1), conflict (s3:// warehouse: another run published first, nothing published; exit 4), interrupted (exit 130), dry-run"`
	ExitCode     int               `json:"exit_code" desc:"the process exit code: 0, 1, 3, 4 or 130"`
	DryRun       bool              `json:"dry_run" desc:"true for --dry-run (such runs write no document; printed with --json only)"`
	Committed    bool              `json:"committed" desc:"true when this run changed the warehouse (a new manifest generation)"`
	Generation   int64             `json:"generation" desc:"manifest generation readers see after the run"`
	Warehouse    string            `json:"warehouse" desc:"warehouse directory (for a run into s3://, the location)"`
	PublishID    string            `json:"publish_id,omitempty" desc:"s3:// warehouse: the publish that made this run's state complete on the object store (printed with --json; the stored document is written before it)"`
	Concurrency  int               `json:"concurrency" desc:"inputs read at once"`
	RowsIn       int64             `json:"rows_in" desc:"sum of the inputs' rows_in"`
	RowsWritten  int64             `json:"rows_written" desc:"sum of the inputs' rows_written"`
	RowsRejected int64             `json:"rows_rejected" desc:"sum of the inputs' rows_rejected"`
	RowsSkipped  int64             `json:"rows_skipped" desc:"sum of the inputs' rows_skipped"`
	BySource     []JobSourceResult `json:"by_source" desc:"one summary per job source"`
	Sources      []SourceResult    `json:"sources" desc:"one entry per input (file, sheet or API response), in job order"`
	Pruned       []string          `json:"pruned,omitempty" desc:"ledger keys of inputs no longer listed whose rows were removed (sources with prune: true)"`
	Notes        []string          `json:"notes,omitempty" desc:"remarks on the run as a whole (a check that could not be done)"`
	Removed      []RemovedSource   `json:"removed,omitempty" desc:"inputs taken out of the warehouse by dtm warehouse rm, with their rows"`
	Error        string            `json:"error,omitempty" desc:"why the run failed or stopped"`
}

// Exit codes of the command-line contract.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitPartial     = 3
	ExitConflict    = 4 // a run into s3://: another run published first (sinks/lake.ErrConflict)
	ExitInterrupted = 130
)

// summarise fills the totals and BySource of res from res.Sources.
func summarise(res *RunResult) {
	res.RowsIn, res.RowsWritten, res.RowsRejected, res.RowsSkipped = 0, 0, 0, 0
	res.BySource = nil
	idx := map[string]int{}
	for _, s := range res.Sources {
		res.RowsIn += s.RowsIn
		res.RowsWritten += s.RowsWritten
		res.RowsRejected += s.RowsRejected
		res.RowsSkipped += s.RowsSkipped
		i, ok := idx[s.Source]
		if !ok {
			i = len(res.BySource)
			idx[s.Source] = i
			res.BySource = append(res.BySource, JobSourceResult{Source: s.Source, Kind: s.Kind, Hashes: []string{}})
		}
		js := &res.BySource[i]
		js.Files++
		js.Hashes = append(js.Hashes, s.Hash)
		js.RowsIn += s.RowsIn
		js.RowsWritten += s.RowsWritten
		js.RowsRejected += s.RowsRejected
		js.RowsSkipped += s.RowsSkipped
		switch s.Status {
		case StatusUnchanged, StatusDuplicate:
			js.Skipped++
		case StatusFailed:
			js.Failed++
			for _, e := range s.Errors {
				js.Errors = append(js.Errors, s.File+": "+e)
			}
		}
		js.Status = worse(js.Status, s.Status)
	}
}

// worse combines input statuses into a job source status.
func worse(a, b string) string {
	rank := map[string]int{"": 0, StatusUnchanged: 1, StatusDuplicate: 1, StatusDryRun: 2, StatusCommitted: 3, StatusInterrupted: 4, StatusFailed: 5}
	if b == StatusDuplicate {
		b = StatusUnchanged
	}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// FieldDoc documents one field of the run-results document.
type FieldDoc struct {
	// Path is the JSON path ("sources[].rows_in").
	Path string `json:"path"`
	// Type is the JSON type (string, integer, boolean, timestamp, array, object).
	Type        string `json:"type"`
	Description string `json:"description"`
}

// RunResultFields documents the run-results document, generated from the
// json and desc tags of RunResult so that it cannot drift from the code.
func RunResultFields() []FieldDoc {
	var out []FieldDoc
	describe(reflect.TypeOf(RunResult{}), "", &out)
	return out
}

var timeType = reflect.TypeOf(time.Time{})

func describe(t reflect.Type, prefix string, out *[]FieldDoc) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		path := prefix + name
		ft := f.Type
		doc := FieldDoc{Path: path, Type: jsonType(ft), Description: f.Tag.Get("desc")}
		*out = append(*out, doc)
		if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && ft.Elem() != timeType && hasDesc(ft.Elem()) {
			describe(ft.Elem(), path+"[].", out)
		}
	}
}

func hasDesc(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("desc") != "" {
			return true
		}
	}
	return false
}

func jsonType(t reflect.Type) string {
	if t == timeType {
		return "timestamp"
	}
	if t.Kind() == reflect.Pointer {
		return jsonType(t.Elem())
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "integer"
	case reflect.Float64, reflect.Float32:
		return "number"
	case reflect.Slice:
		return "array of " + jsonType(t.Elem())
	case reflect.Map:
		return "object of " + jsonType(t.Elem())
	case reflect.Struct:
		return "object"
	}
	return t.Kind().String()
}

// CodeInputFailed labels, in a reconciliation's by_code, what a failed
// input would have written: nothing of it is committed.
const CodeInputFailed = "input-failed"

// nothingWritten moves the written part of each figure of a failed input
// to its rows dropped, under CodeInputFailed.
func nothingWritten(recs []transform.Reconciliation) []transform.Reconciliation {
	for i := range recs {
		r := &recs[i]
		if r.Written == 0 {
			continue
		}
		if r.ByCode == nil {
			r.ByCode = map[string]int64{}
		}
		r.ByCode[CodeInputFailed] += r.Written
		r.RowsDropped += r.Written
		r.Dropped += r.Written
		r.Written = 0
	}
	return recs
}

// addReconciliation sums the figures of another table of the same input
// (a workbook's sheets of one layout) into recs, figure by figure.
func addReconciliation(recs, more []transform.Reconciliation) []transform.Reconciliation {
	if recs == nil {
		return more
	}
	for _, m := range more {
		i := 0
		for i < len(recs) && recs[i].Field != m.Field {
			i++
		}
		if i == len(recs) {
			recs = append(recs, m)
			continue
		}
		r := &recs[i]
		if r.Column == "" {
			r.Column = m.Column
		}
		r.Add(m)
		switch {
		case r.FileTotal == nil:
			r.FileTotal, r.FileTotalRow = m.FileTotal, m.FileTotalRow
		case m.FileTotal != nil:
			t := *r.FileTotal + *m.FileTotal
			r.FileTotal = &t
		}
	}
	return recs
}
