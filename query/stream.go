package query

import (
	"context"
	"fmt"
)

// Cursor is the open result of Stream: the columns are known before the
// first row, rows are read one at a time, so a caller can write a large
// result without holding it in memory. Close must be called.
type Cursor struct {
	Columns []string
	Types   []string // DuckDB type names
	rows    interface {
		Next() bool
		Scan(...any) error
		Err() error
		Close() error
	}
	vals, ptrs []any
}

// Stream runs one SQL statement with bound arguments and returns a cursor
// over its rows. An error in planning or in the first fetch is returned
// here; later errors come from Next.
func (d *DB) Stream(ctx context.Context, stmt string, args ...any) (*Cursor, error) {
	rows, err := d.sql.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	cols, err := rows.Columns()
	if err != nil {
		rows.Close()
		return nil, fmt.Errorf("query: %w", err)
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		rows.Close()
		return nil, fmt.Errorf("query: %w", err)
	}
	c := &Cursor{Columns: cols, Types: make([]string, len(cols)), rows: rows,
		vals: make([]any, len(cols)), ptrs: make([]any, len(cols))}
	for i, t := range types {
		c.Types[i] = t.DatabaseTypeName()
	}
	for i := range c.vals {
		c.ptrs[i] = &c.vals[i]
	}
	return c, nil
}

// Next returns the next row (valid until the following call), or nil at the
// end or on error (see Err).
func (c *Cursor) Next() ([]any, error) {
	if !c.rows.Next() {
		if err := c.rows.Err(); err != nil {
			return nil, fmt.Errorf("query: %w", err)
		}
		return nil, nil
	}
	for i := range c.vals {
		c.vals[i] = nil
	}
	if err := c.rows.Scan(c.ptrs...); err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	return c.vals, nil
}

// Close releases the cursor's connection.
func (c *Cursor) Close() error { return c.rows.Close() }
