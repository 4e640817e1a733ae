package query

import (
	"context"
	"database/sql"
	"fmt"
)

// Conn is one DuckDB connection of a DB, held by its caller until Close.
// Every statement run through it runs on that connection, so temporary
// tables it creates (CREATE TEMP TABLE) are seen by its later statements
// and by no other caller of the DB: a report materialises its aggregates
// once and reads them in every chart (package report).
//
// Contracts: a Conn is used by one goroutine at a time; it sees the same
// views, macros and lock-down as the DB; Close returns the connection to
// the DB's pool (drop the temporary tables first: they live as long as
// the connection). While a Conn is held, a DB opened with one connection
// (Open) has none left for other callers: run everything through the Conn.
type Conn struct {
	c *sql.Conn
	d *DB
}

// Conn takes one connection from the DB's pool.
func (d *DB) Conn(ctx context.Context) (*Conn, error) {
	c, err := d.sql.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("query: taking a connection: %w", err)
	}
	return &Conn{c: c, d: d}, nil
}

// Close returns the connection to the pool.
func (c *Conn) Close() error { return c.c.Close() }

// Query runs one SQL statement with bound arguments on the connection and
// reads the result (at most MaxResultRows rows).
func (c *Conn) Query(ctx context.Context, stmt string, args ...any) (*Result, error) {
	rows, err := c.c.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	return readRows(rows)
}

// Exec runs a statement that returns no rows (CREATE TEMP TABLE, DROP).
func (c *Conn) Exec(ctx context.Context, stmt string, args ...any) error {
	if _, err := c.c.ExecContext(ctx, stmt, args...); err != nil {
		return fmt.Errorf("query: %w", err)
	}
	return nil
}

// Run runs a named figure on the connection, as DB.Run does.
func (c *Conn) Run(ctx context.Context, f Figure, params map[string]string, opt RunOptions) (*Result, error) {
	return runFigure(ctx, c.Query, c.d.figureFor(f, params), params, opt)
}
