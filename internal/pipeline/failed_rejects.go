package pipeline

import (
	"fmt"
	"time"

	"github.com/iom-dtm/dtm/sinks"
)

// keepFailedRejects is called when an input fails its reject threshold: its
// staged data files are dropped, but its rejects file is committed as a
// failed input (sinks.Txn.PutFailed), so that the rejects view shows them
// (failed_input = true) and `dtm export rejects` sends them back to the
// field; rows committed earlier from the same key are left as they were.
// It returns cause (what the input failed with), or the error of writing
// the rejects. In a dry run it keeps nothing.
func (s *staging) keepFailedRejects(cfg Config, in Input, sr *SourceResult, hash string, cause error) error {
	s.held.release()
	for _, f := range s.files {
		s.txn.Discard(f)
	}
	s.files, s.parts = nil, nil
	if cfg.DryRun || s.rejects == nil {
		return cause
	}
	rel, err := s.rejects.finish()
	if err != nil {
		return fmt.Errorf("%v; writing its rejects: %w", cause, err)
	}
	if rel == "" {
		return cause
	}
	s.txn.PutFailed(&sinks.Source{
		Key: in.Key(), Dataset: in.Kind, Hash: hash, RunID: cfg.RunID, IngestedAt: time.Now().UTC(),
		RowsIn: sr.RowsIn, RowsRejected: sr.RowsRejected, RejectsFile: rel, JobSource: in.Source, File: in.Path, Sheet: sr.Sheet,
	})
	s.rejects = nil // kept: fail's discard must not drop it
	sr.Notes = append(sr.Notes, "its rejects are kept for review: dtm query \"SELECT * FROM rejects WHERE failed_input\", or dtm export rejects")
	return cause
}
