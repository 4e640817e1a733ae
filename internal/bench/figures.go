package main

import (
	"context"
	"fmt"
	"time"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
)

// figureTime is the warm time of one standard figure.
type figureTime struct {
	name string
	warm time.Duration // median of 3 runs after one warm-up run
	rows int
	err  string
}

// timeFigures opens the warehouse once and times every standard figure
// with empty parameters: one warm-up run, then the median of three.
func timeFigures(ctx context.Context, wh string) ([]figureTime, error) {
	figs, err := query.Figures()
	if err != nil {
		return nil, err
	}
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		return nil, fmt.Errorf("opening warehouse %s: %w", wh, err)
	}
	defer db.Close()
	var out []figureTime
	for _, f := range figs {
		ft := figureTime{name: f.Name}
		res, err := db.Run(ctx, f, nil, query.RunOptions{})
		if err != nil {
			ft.err = firstLine(err.Error())
			out = append(out, ft)
			continue
		}
		ft.rows = len(res.Rows)
		var ts []float64
		for range 3 {
			start := time.Now()
			if _, err := db.Run(ctx, f, nil, query.RunOptions{}); err != nil {
				ft.err = firstLine(err.Error())
				break
			}
			ts = append(ts, float64(time.Since(start)))
		}
		ft.warm = time.Duration(median(ts))
		out = append(out, ft)
	}
	return out, nil
}
