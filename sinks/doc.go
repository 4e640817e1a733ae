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
//
// Parquet is written by arrow-go's pqarrow, not parquet-go: the transform
// stage produces canonical Arrow records (nested list<struct> SADD cells,
// list<string> reasons) and pqarrow writes them as they are, with the
// dataset name, version and Arrow schema as key-value metadata; parquet-go
// would need a hand-written Arrow-to-row mapping of the nested columns.
// The staged files of an ingest are encoded column by column on several
// goroutines (parquet_columns.go: arrow-go's column writers and pages, with
// the levels of the dataset's column shapes computed in parquet_levels.go),
// writing the bytes pqarrow's own FileWriter writes.
// Every Arrow buffer comes from the allocator the caller injects
// (Txn.Allocator), so tests can check that nothing is left outstanding;
// staged files are created through the FileSystem seam (Txn.FS), so tests
// can inject a full disk.
package sinks
