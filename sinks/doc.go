// Package sinks writes what the pipeline produced: the partitioned Parquet
// warehouse (committed atomically), the rejects, the manifest and run
// results; and the exports of query results (CSV, CSV with HXL, JSON,
// GeoJSON, Parquet). It knows nothing of DTM: datasets, partitions and
// sources are names to it.
//
// Warehouse layout:
//
//	<root>/<dataset>/country=<c>/<key>=<value>/part-<source>-<run>.parquet
//	<root>/_dtm/manifest.json        the committed state (the commit point)
//	<root>/_dtm/rejects/part-<source>-<run>.parquet
//	<root>/_dtm/runs/<run>.json      one run-results document per run
//	<root>/_dtm/staging/<run>/       files of a run not yet committed
//	<root>/_dtm/lock                 held (flock) by the running writer
//
// Commit protocol (see Txn.Commit): files are written and fsynced under
// staging, moved into place under names no committed file has, then the new
// manifest replaces the old one by an atomic rename; files no manifest
// references are deleted afterwards, and by Recover after a crash. Readers
// that go through the manifest (package query) therefore see either the old
// or the new state, never a mix; a crash at any instant loses nothing
// committed.
package sinks
