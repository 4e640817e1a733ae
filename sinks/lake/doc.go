// Package lake publishes a dtm warehouse as Apache Iceberg tables on
// S3-compatible object storage, registered in an Iceberg catalog (the SQL
// catalog on SQLite or PostgreSQL, or a REST catalog), so that Spark, Trino,
// DuckDB and other engines read dtm's datasets; and reads them back for
// dtm's own readers. All Iceberg metadata (table metadata, manifests,
// manifest lists, snapshots) is written by github.com/apache/iceberg-go; this
// package writes none of it.
//
// Object-store layout under a location s3://BUCKET/PREFIX:
//
//	<table>/data/<partition dirs>/part-<source>-<run>.parquet   dtm's files, byte for byte
//	<table>/metadata/...                                         written by iceberg-go
//	_dtm/publish/<id>.json                                      the journal of one publish
//	_dtm/inflight/<id>.json                                     a publish begun and not ended
//	_dtm/runs/<run>.json                                        the run documents
//	_dtm/head.json                                              the last complete publish
//
// One table per dataset of the registry (namespace "dtm"), partitioned as
// the local warehouse (identity on country_iso3, then identity on the
// dataset's partition field, or year() of it when it is a date), with the
// partition columns inside the files (Iceberg infers each file's partition
// from its column statistics); plus "rejects" (the rejects of committed
// inputs) and "rejects_failed" (those of inputs whose last attempt failed),
// unpartitioned.
//
// Contracts:
//   - Publish never rewrites a Parquet file: it uploads the local file under
//     the key above and registers it (Transaction.AddFiles, or
//     Transaction.ReplaceDataFiles when files of the table must go: a
//     corrected source replaces exactly its own files in one snapshot, a
//     pruned source's files are removed). The snapshot summary carries
//     dtm.run-id (the local manifest's run), dtm.publish-id and
//     dtm.source-file-ids (the content hashes of the sources whose files the
//     snapshot adds).
//   - Publish is idempotent: a table whose files already equal the local
//     manifest's gets no new snapshot; an object already present with the
//     same size is not uploaded again.
//   - Tables are committed one at a time, in a fixed order (the registry's
//     datasets by name, then rejects, then rejects_failed). The journal
//     (every table's intended files, the head to write) and an in-flight
//     marker are written before the first commit and head.json after the
//     last, naming the snapshot id of every table: readers that pin
//     head.json (Materialize) never see a publish half done. Objects the
//     new head no longer names are then deleted, with the snapshots older
//     than the head's, which list them.
//   - Concurrency: each table commit asserts the table is at head.json's
//     snapshot (the catalog's compare-and-swap) and head.json is replaced
//     with If-Match over the version the publish started from; the loser
//     gets ErrConflict and rolls its own snapshots back.
//   - Recovery: every publish first finishes (all tables already hold the
//     intended files) or rolls back (branch reset to head.json's snapshot,
//     partial snapshots removed, uploads deleted) the publishes whose
//     process is gone (Owner), fencing head.json before a rollback.
//   - Runs into s3:// (OpenStage): a local working warehouse copied from
//     the last complete publish, ingested into by the pipeline as any local
//     warehouse, then published over that head.json version.
//   - Endpoint, region and credentials come from the AWS SDK's standard
//     environment (AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID,
//     AWS_SECRET_ACCESS_KEY); addressing is path-style when an endpoint is
//     set.
package lake
