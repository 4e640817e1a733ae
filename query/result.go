package query

import (
	"context"
	"database/sql"
	"fmt"
)

// Result is a small, fully read query result.
type Result struct {
	Columns []string
	Types   []string // DuckDB type names
	Rows    [][]any  // values as the duckdb driver returns them
}

// MaxResultRows bounds what Query reads into memory; use an export to a
// file (COPY) for more.
const MaxResultRows = 5_000_000

// Query runs one SQL statement with bound arguments and reads the result.
func (d *DB) Query(ctx context.Context, stmt string, args ...any) (*Result, error) {
	rows, err := d.sql.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	return readRows(rows)
}

// Exec runs a statement that returns no rows (COPY, SET).
func (d *DB) Exec(ctx context.Context, stmt string, args ...any) error {
	if _, err := d.sql.ExecContext(ctx, stmt, args...); err != nil {
		return fmt.Errorf("query: %w", err)
	}
	return nil
}

func readRows(rows *sql.Rows) (*Result, error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	res := &Result{Columns: cols, Types: make([]string, len(cols))}
	for i, t := range types {
		res.Types[i] = t.DatabaseTypeName()
	}
	for rows.Next() {
		if len(res.Rows) >= MaxResultRows {
			return nil, fmt.Errorf("query: more than %d rows; export to a file instead", MaxResultRows)
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("query: %w", err)
		}
		res.Rows = append(res.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	return res, nil
}
