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
//   - Nothing is written in a dry run: no lock, no staging, no run document.
//   - Inputs are first hashed in order (deciding unchanged and duplicate
//     inputs deterministically), then read and converted by up to
//     Config.Concurrency workers; results keep the input order, and each
//     input's rows depend on that input alone (p-code name checks are per
//     input), so a run gives the same rows at any concurrency.
//   - Config.Hook is called at named points of the run and commit
//     (`input:done:N`, `stage:created:N`, `commit:*`, `cleanup:*`,
//     `recover:*`); the crash-safety tests kill the process there.
package pipeline
