package main

import (
	"bufio"
	"context"
	"fmt"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
	"go.uber.org/zap"
)

// streamDataset writes the rows of stmt over a dataset to r.out in a text
// format (csv, hxl, json, jsonl, geojson) as DuckDB returns them: memory
// stays bounded whatever the dataset's size (10 M rows export in the same
// few MB as 10). The file appears, complete, only when every row is
// written (openOut: temp file, then rename).
func (a *app) streamDataset(ctx context.Context, db *query.DB, ds *schemas.Dataset, stmt string, r *exportRequest) error {
	cur, err := db.Stream(ctx, stmt)
	if err != nil {
		return err
	}
	defer cur.Close()
	if r.format == sinks.StreamGeoJSON {
		if _, _, ok := sinks.DefaultGeoColumns.Find(&sinks.Table{Columns: cur.Columns}); !ok {
			return usagef("%s has no latitude and longitude columns: GeoJSON needs site coordinates (try `dtm export site_assessment --format geojson`)", r.name)
		}
	}
	w, done, err := openOut(r.out, a.stdout)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	rows := 0
	werr := func() error {
		rw, err := sinks.NewRowWriter(bw, r.format, cur.Columns, query.DatasetHXL(cur.Columns, ds))
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
		return fmt.Errorf("exporting %s: %w", r.name, werr)
	}
	if r.out != "" && r.out != "-" {
		a.log.Info("export written", zap.String("stage", "export"), zap.String("file", r.out), zap.Int("rows_out", rows))
	}
	return nil
}
