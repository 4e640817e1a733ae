package query

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// DB is an in-memory DuckDB with views over one warehouse's committed state.
type DB struct {
	sql      *sql.DB
	root     string
	manifest *sinks.Manifest
	pins     *pinned // nil unless opened with Lockdown.Pin
	// summary: the site figures can read the figure summaries
	// (summary.go); noSummary: UseFigureSummary(false) turned that off.
	summary, noSummary bool
}

// Open opens DuckDB in memory and creates the views of the warehouse at
// root as of its last commit.
func Open(ctx context.Context, root string, reg *schemas.Registry) (*DB, error) {
	return open(ctx, root, reg, false)
}

func open(ctx context.Context, root string, reg *schemas.Registry, pin bool) (*DB, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("warehouse path %q: %w", root, err)
	}
	var m *sinks.Manifest
	var pins *pinned
	if pin {
		m, pins, err = pinManifest(abs)
	} else {
		m, err = sinks.ReadManifest(abs)
	}
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		pins.close()
		return nil, fmt.Errorf("opening duckdb: %w", err)
	}
	db.SetMaxOpenConns(1) // one connection unless OpenLocked asks for more
	d := &DB{sql: db, root: abs, manifest: m, pins: pins}
	if err := d.createViews(ctx, reg); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Close closes DuckDB (and the pinned files, after it).
func (d *DB) Close() error {
	err := d.sql.Close()
	d.pins.close()
	return err
}

// Manifest is the committed state the views show.
func (d *DB) Manifest() *sinks.Manifest { return d.manifest }

func (d *DB) createViews(ctx context.Context, reg *schemas.Registry) error {
	for _, ds := range reg.All() {
		stmt := d.datasetView(ds.Name, ds.StoredFields(), d.manifest.DataFiles(ds.Name))
		if repl := d.manifest.ReplacingFiles(ds.Name); len(repl) > 0 && ds.Name == siteRoundDataset {
			stmt = d.replacingView(ds.Name, d.manifest.DataFiles(ds.Name), repl)
		}
		if _, err := d.sql.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("creating view %s: %w", ds.Name, err)
		}
	}
	if _, err := d.sql.ExecContext(ctx, d.rejectsView()); err != nil {
		return fmt.Errorf("creating view rejects: %w", err)
	}
	if _, err := d.sql.ExecContext(ctx, d.runsView()); err != nil {
		return fmt.Errorf("creating view runs: %w", err)
	}
	if err := d.createMacros(ctx); err != nil {
		return err
	}
	return d.createSummaryView(ctx, reg)
}

// datasetView is a view over the given files, or an empty typed view.
func (d *DB) datasetView(name string, fields []schemas.Field, files []string) string {
	if len(files) == 0 {
		cols := make([]string, len(fields))
		for i, f := range fields {
			cols[i] = fmt.Sprintf("CAST(NULL AS %s) AS %s", f.Kind.DuckDBType(), quoteIdent(f.Name))
		}
		return fmt.Sprintf("CREATE OR REPLACE VIEW %s AS SELECT %s WHERE false", quoteIdent(name), strings.Join(cols, ", "))
	}
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = quoteLiteral(d.filePath(f))
	}
	return fmt.Sprintf("CREATE OR REPLACE VIEW %s AS SELECT * FROM read_parquet([%s], union_by_name = true, hive_partitioning = false)",
		quoteIdent(name), strings.Join(paths, ", "))
}

func quoteIdent(s string) string   { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
