package lake

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/iom-dtm/dtm/sinks"
)

// Object keys of dtm's own documents, relative to the location.
const (
	headKey       = "_dtm/head.json"
	journalPrefix = "_dtm/publish/"
	runsPrefix    = "_dtm/runs/"
)

// Head is the last complete publish (the object _dtm/head.json): what
// dtm's readers pin. Snapshots gives, per table, the snapshot id that
// holds exactly Manifest's files (0: the table has no snapshot).
type Head struct {
	FormatVersion int                   `json:"format_version"`
	PublishID     string                `json:"publish_id"`
	RunID         string                `json:"run_id"`
	Generation    int64                 `json:"generation"`
	CommittedAt   time.Time             `json:"committed_at"`
	Snapshots     map[string]int64      `json:"snapshots"`
	Files         map[string]ObjectFile `json:"files"` // by manifest-relative path
	Runs          []string              `json:"runs,omitempty"`
	Manifest      *sinks.Manifest       `json:"manifest"`
	// Fence is the publish id of the last interrupted publish that
	// recovery rolled back: recovery rewrites head.json (same snapshots)
	// before rolling back, so that the interrupted process, were it still
	// running, fails its conditional put of head.json.
	Fence string `json:"fence,omitempty"`
}

// ObjectFile is one published file: its object key (relative to the
// location), size and SHA-256 (hex, the local cache's address).
type ObjectFile struct {
	Key    string `json:"key"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Journal is the run-level record of one publish, written before its
// first commit (state "started", with an in-flight marker under
// _dtm/inflight/) and again at its end: "complete" after head.json,
// "rolled-back" when it lost to another publish or was recovered by
// rolling back. Intended lists, per table, the files the table must hold
// when the publish is done (the intended snapshot's contents: Iceberg
// assigns snapshot ids only at commit); Previous the snapshots of the
// head it starts from; Head the head.json it will write (its Snapshots
// filled at the end), so that recovery can finish it; Owner the process
// running it; Committed the snapshots it committed (filled in the final
// record).
type Journal struct {
	PublishID string              `json:"publish_id"`
	RunID     string              `json:"run_id"`
	State     string              `json:"state"`
	StartedAt time.Time           `json:"started_at"`
	EndedAt   time.Time           `json:"ended_at,omitzero"`
	Owner     Owner               `json:"owner"`
	Intended  map[string][]string `json:"intended"` // table -> object URLs
	Committed map[string]int64    `json:"committed,omitempty"`
	Previous  map[string]int64    `json:"previous,omitempty"`
	Head      *Head               `json:"head,omitempty"`
	// Obsolete are the objects the previous head names and this one does
	// not (keys relative to the location): deleted once head.json is
	// written.
	Obsolete []string `json:"obsolete,omitempty"`
	Error    string   `json:"error,omitempty"` // why it was rolled back
}

// ReadHead reads the head of a location; found is false before the first
// complete publish.
func (s *store) readHead(ctx context.Context) (*Head, string, bool, error) {
	b, etag, found, err := s.get(ctx, headKey)
	if err != nil || !found {
		return nil, "", found, err
	}
	h := &Head{}
	if err := json.Unmarshal(b, h); err != nil {
		return nil, "", false, fmt.Errorf("%s: %w", s.loc.URL(headKey), err)
	}
	return h, etag, true, nil
}

func (s *store) writeJSON(ctx context.Context, rel string, v any, create bool, ifMatch string) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", rel, err)
	}
	return s.put(ctx, rel, b, create, ifMatch)
}
