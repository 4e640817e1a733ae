package export

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/sinks"
)

// Options tune how a plan runs.
type Options struct {
	// Allocator allocates the Arrow buffers of Parquet exports (nil:
	// memory.DefaultAllocator); all are released when Run returns.
	Allocator memory.Allocator
}

// Result is what an export wrote.
type Result struct {
	// Rows is the number of rows written, or -1 when the writer does not
	// count them (a dataset written to Parquet by DuckDB).
	Rows int64
}

// rejectsStatement orders every reject for the people who correct the
// files: by failed input, file, sheet and row.
const rejectsStatement = `SELECT * FROM rejects ORDER BY failed_input, file, sheet, "row", "column", code, message`

// Run writes the export from db to p.Out, or to stdout when p.Out is "" or
// "-". Errors caused by the request match ErrUsage, bad figure parameter
// values query.ErrBadParam; on any error no file is left at p.Out (an
// existing one is untouched).
func (p *Plan) Run(ctx context.Context, db *query.DB, stdout io.Writer, opt Options) (Result, error) {
	switch {
	case p.Rejects:
		if p.Format == "parquet" {
			return Result{Rows: -1}, db.CopyToParquet(ctx, rejectsStatement, p.Out)
		}
		res, err := db.Query(ctx, rejectsStatement)
		if err != nil {
			return Result{}, err
		}
		t := &sinks.Table{Columns: res.Columns, Types: res.Types, Rows: res.Rows}
		t.HXL = make([]string, len(t.Columns))
		return p.writeTable(t, stdout, opt)
	case p.Dataset != nil:
		stmt, args := DatasetStatement(p.Dataset, p.filter)
		if p.Format == "parquet" {
			return Result{Rows: -1}, p.datasetParquet(ctx, db, stmt, args, opt)
		}
		return p.streamDataset(ctx, db, stmt, args, stdout)
	}
	res, err := db.Run(ctx, *p.Figure, p.Params, query.RunOptions{MinCell: p.MinCell})
	if err != nil {
		return Result{}, err
	}
	t := &sinks.Table{Columns: res.Columns, Types: res.Types, Rows: res.Rows}
	t.HXL = query.ColumnHXL(*p.Figure, t.Columns, p.hxlDataset)
	return p.writeTable(t, stdout, opt)
}

// datasetParquet writes a dataset with DuckDB's Parquet writer (exact
// column types), then adds the GeoParquet point column when the dataset
// has coordinates.
func (p *Plan) datasetParquet(ctx context.Context, db *query.DB, stmt string, args []any, opt Options) error {
	if !hasCoordinates(fieldNames(p.Dataset)) {
		return db.CopyToParquet(ctx, stmt, p.Out, args...)
	}
	f, err := sinks.CreateTemp(filepath.Dir(p.Out), ".dtm-export-plain-*.parquet")
	if err != nil {
		return fmt.Errorf("creating %s: %w", p.Out, err)
	}
	tmp := f.Name()
	f.Close()
	defer os.Remove(tmp)
	if err := db.CopyToParquet(ctx, stmt, tmp, args...); err != nil {
		return err
	}
	return sinks.AddGeoPoints(ctx, tmp, p.Out, sinks.DefaultGeoColumns, opt.Allocator)
}

// streamDataset writes the rows of stmt in a text format as DuckDB returns
// them: memory stays bounded whatever the dataset's size. The file
// appears, complete, only when every row is written.
func (p *Plan) streamDataset(ctx context.Context, db *query.DB, stmt string, args []any, stdout io.Writer) (Result, error) {
	cur, err := db.Stream(ctx, stmt, args...)
	if err != nil {
		return Result{}, err
	}
	defer cur.Close()
	w, done, err := sinks.OpenOut(p.Out, stdout)
	if err != nil {
		return Result{}, err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var rows int64
	werr := func() error {
		rw, err := sinks.NewRowWriter(bw, p.Format, cur.Columns, query.DatasetHXL(cur.Columns, p.Dataset))
		if err != nil {
			return err
		}
		for {
			row, err := cur.Next()
			if err != nil {
				return err
			}
			if row == nil {
				break
			}
			if err := rw.WriteRow(row); err != nil {
				return err
			}
			rows++
		}
		if err := rw.Close(); err != nil {
			return err
		}
		return bw.Flush()
	}()
	if err := done(werr == nil); werr == nil {
		werr = err
	}
	if werr != nil {
		return Result{}, fmt.Errorf("exporting %s: %w", p.Name, werr)
	}
	return Result{Rows: rows}, nil
}

// writeTable writes a small table (a figure, the rejects) in the plan's
// format.
func (p *Plan) writeTable(t *sinks.Table, stdout io.Writer, opt Options) (Result, error) {
	rows := Result{Rows: int64(len(t.Rows))}
	if p.Format == "parquet" {
		var geo *sinks.GeoColumns
		if hasCoordinates(t.Columns) {
			geo = &sinks.DefaultGeoColumns
		}
		if err := sinks.WriteParquetTable(p.Out, t, geo, opt.Allocator); err != nil {
			return Result{}, err
		}
		return rows, nil
	}
	if p.Format == "geojson" && !hasCoordinates(t.Columns) {
		return Result{}, noCoordinates(p.Name)
	}
	w, done, err := sinks.OpenOut(p.Out, stdout)
	if err != nil {
		return Result{}, err
	}
	var werr error
	switch p.Format {
	case "geojson":
		werr = sinks.WriteGeoJSON(w, t, sinks.DefaultGeoColumns)
	case "csv", "hxl":
		werr = sinks.WriteCSV(w, t, p.Format == "hxl")
	case "json", "jsonl":
		werr = sinks.WriteJSON(w, t, p.Format == "jsonl")
	default:
		werr = usagef("unknown --format %q", p.Format)
	}
	if err := done(werr == nil); werr == nil {
		werr = err
	}
	if werr != nil {
		return Result{}, fmt.Errorf("exporting %s: %w", p.Name, werr)
	}
	return rows, nil
}
