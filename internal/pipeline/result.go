package pipeline

import (
	"time"

	"github.com/iom-dtm/dtm/schemas"
)

// Source statuses in the run results.
const (
	StatusCommitted = "committed" // rows written and committed
	StatusUnchanged = "unchanged" // same content already committed: skipped
	StatusDuplicate = "duplicate" // same content committed under another path: skipped
	StatusFailed    = "failed"    // unreadable or over its reject threshold: nothing committed
	StatusDryRun    = "dry-run"   // would be committed
)

// SourceResult is what happened to one input.
type SourceResult struct {
	Source       string         `json:"source,omitempty"`
	Kind         string         `json:"kind"`
	File         string         `json:"file"`
	Sheet        string         `json:"sheet,omitempty"`
	Hash         string         `json:"hash,omitempty"`
	Bytes        int64          `json:"bytes"`
	Status       string         `json:"status"`
	RowsIn       int64          `json:"rows_in"`
	RowsWritten  int64          `json:"rows_written"`
	RowsRejected int64          `json:"rows_rejected"`
	Warnings     int64          `json:"warnings"`
	RejectCodes  map[string]int `json:"reject_codes,omitempty"`
	// RejectSamples are the first rejects of each code (row, column, value).
	RejectSamples []schemas.Reject `json:"reject_samples,omitempty"`
	Errors        []string         `json:"errors,omitempty"`
	Notes         []string         `json:"notes,omitempty"`
	Replaced      bool             `json:"replaced,omitempty"`
	DurationMS    int64            `json:"duration_ms"`
}

// RunResult is the run-results document written to
// <warehouse>/_dtm/runs/<run_id>.json and printed by `--json`.
type RunResult struct {
	RunID        string         `json:"run_id"`
	Command      string         `json:"command"`
	DtmVersion   string         `json:"dtm_version"`
	StartedAt    time.Time      `json:"started_at"`
	EndedAt      time.Time      `json:"ended_at"`
	Status       string         `json:"status"` // ok, partial, failed, interrupted, dry-run
	ExitCode     int            `json:"exit_code"`
	DryRun       bool           `json:"dry_run"`
	Warehouse    string         `json:"warehouse"`
	RowsIn       int64          `json:"rows_in"`
	RowsWritten  int64          `json:"rows_written"`
	RowsRejected int64          `json:"rows_rejected"`
	Sources      []SourceResult `json:"sources"`
	Pruned       []string       `json:"pruned,omitempty"`
	Error        string         `json:"error,omitempty"`
}

// Exit codes of the command-line contract.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitPartial     = 3
	ExitInterrupted = 130
)
