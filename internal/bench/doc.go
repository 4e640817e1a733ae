// Command bench is the side-by-side benchmark behind `make bench`.
//
// It generates deterministic synthetic inputs shaped like DTM files (a site
// assessment CSV with English headers, an HXL row, thousands separators,
// dates, p-codes, site types and reasons; an XLSX of the same shape written
// with excelize's StreamWriter; a flow survey CSV), then, alternating in one
// run and repeated -reps times, ingests the CSV into a fresh warehouse with
// the built dtm binary and converts the same file to zstd Parquet with
// DuckDB's native COPY. Each side runs in its own child process so that its
// peak RSS (getrusage ru_maxrss of the child) is its own.
//
// It prints one table: MB/s and rows/s of each side, the median of the
// pairwise dtm/DuckDB ratios, dtm's peak RSS, the XLSX ingest rows/s, and
// the warm time of every standard figure on the warehouse of the largest
// size, and the time of `dtm report` on that warehouse and on one of
// -report-rows rows (default 10 M).
//
// With -lake (default) it also compares a local and an object-store
// warehouse fed the same files (lake.go): the bundled sample (`dtm run`'s
// example job) and a -lake-rows synthetic CSV (default 1 M rows). An S3
// API is started on loopback in the bench process (gofakes3, in memory);
// each step is a dtm child with its wall time and peak RSS: the local
// ingest, `dtm warehouse publish` to s3:// with a SQLite catalog, the
// first read of each warehouse (for s3://, planning the pinned snapshots
// and fetching every file into an empty cache), and every standard figure
// on each side, whose CSV outputs are compared byte for byte.
//
// Contracts: inputs are written under -out (default bench-out/) and reused
// when a file of the same parameters is already complete there (a ".ok"
// marker is written after generation); the same parameters always give the
// same bytes. Warehouses are created under -out and removed after use,
// except the one of the largest size, kept for the figure timings, and the
// -report-rows warehouse (warehouse-report-N, complete when its ".ok"
// marker exists), ingested once and reused by later runs.
//
// The binary re-executes itself with -duckdb-child to run DuckDB in a child
// process; that mode is internal.
package main
