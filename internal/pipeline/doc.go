// Package pipeline runs dtm's batch: for each input it detects and reads the
// source (package ingest), maps, casts and validates it (package transform),
// and stages its records and rejects in one warehouse transaction (package
// sinks), which it commits once at the end. It keeps the ledger of ingested
// inputs (by content hash) through the warehouse manifest and produces the
// run results document.
//
// Contracts:
//   - For every input: rows_in = rows_written + rows_rejected.
//   - An input whose content hash is already committed under the same key is
//     skipped ("unchanged"); a changed input replaces exactly its own rows.
//   - An input over its reject threshold, or that cannot be read, commits
//     nothing (its previously committed rows stay) and fails the run with
//     exit code 3 while the other inputs commit.
//   - Nothing is written in a dry run.
package pipeline
