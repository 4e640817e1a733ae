package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
)

// duckdbCopy is DuckDB's native CSV → Parquet conversion, the yardstick:
// auto-detected CSV, zstd Parquet, DuckDB's default threads and memory.
// It runs in a child process (-duckdb-child) so that its RSS is its own.
func duckdbCopy(ctx context.Context, in, out string) error {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return fmt.Errorf("opening duckdb: %w", err)
	}
	defer db.Close()
	os.Remove(out)
	stmt := fmt.Sprintf("COPY (SELECT * FROM read_csv(%s)) TO %s (FORMAT parquet, COMPRESSION zstd)", lit(in), lit(out))
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("duckdb COPY %s: %w", in, err)
	}
	return nil
}

func lit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
