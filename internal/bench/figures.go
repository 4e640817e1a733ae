package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
)

// figureTime is the time of one standard figure.
type figureTime struct {
	name string
	// cold is query.Open of the warehouse in a fresh in-memory DuckDB plus
	// the figure's first run (what one `dtm figures` call pays besides
	// process start); the OS page cache is left as it is.
	cold time.Duration
	warm time.Duration // median of 3 runs after one warm-up run, same DB
	rows int
	err  string
}

// figureTimes is the figure timings of one warehouse.
type figureTimes struct {
	wh      string
	rows    int64 // committed site assessment rows
	summary bool  // the warehouse has a figure summary the queries read
	figs    []figureTime
}

// timeFigures times every standard figure with empty parameters on the
// warehouse wh: cold (a fresh open and one run, per figure), then warm
// (one warm-up run on one open DB, then the median of three). When wh has
// figure summaries the figures are timed reading them, then again reading
// the rows (query.DB.UseFigureSummary(false)): two tables.
func timeFigures(ctx context.Context, wh string) ([]figureTimes, error) {
	ft, err := timeFiguresWith(ctx, wh, true)
	if err != nil || !ft.summary {
		return []figureTimes{ft}, err
	}
	rows, err := timeFiguresWith(ctx, wh, false)
	return []figureTimes{ft, rows}, err
}

// timeFiguresWith is timeFigures with the summaries read or not (useSummary).
func timeFiguresWith(ctx context.Context, wh string, useSummary bool) (figureTimes, error) {
	ft := figureTimes{wh: wh}
	figs, err := query.Figures()
	if err != nil {
		return ft, err
	}
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		return ft, fmt.Errorf("opening warehouse %s: %w", wh, err)
	}
	defer db.Close()
	db.UseFigureSummary(useSummary)
	for _, s := range db.Manifest().Sources {
		if s.Dataset == "site_assessment" {
			ft.rows += s.RowsWritten
		}
	}
	ft.summary = db.HasFigureSummary() // false when useSummary is
	for _, f := range figs {
		t := figureTime{name: f.Name}
		if t.cold, err = coldFigure(ctx, wh, f, useSummary); err != nil {
			t.err = firstLine(err.Error())
			ft.figs = append(ft.figs, t)
			continue
		}
		res, err := db.Run(ctx, f, nil, query.RunOptions{})
		if err != nil {
			t.err = firstLine(err.Error())
			ft.figs = append(ft.figs, t)
			continue
		}
		t.rows = len(res.Rows)
		var ts []float64
		for range 3 {
			start := time.Now()
			if _, err := db.Run(ctx, f, nil, query.RunOptions{}); err != nil {
				t.err = firstLine(err.Error())
				break
			}
			ts = append(ts, float64(time.Since(start)))
		}
		t.warm = time.Duration(median(ts))
		ft.figs = append(ft.figs, t)
	}
	return ft, nil
}

// coldFigure is the time of opening wh in a fresh DuckDB and running f once.
func coldFigure(ctx context.Context, wh string, f query.Figure, useSummary bool) (time.Duration, error) {
	start := time.Now()
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.UseFigureSummary(useSummary)
	if _, err := db.Run(ctx, f, nil, query.RunOptions{}); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// printFigures writes the figure timings of each warehouse as one table.
func printFigures(w io.Writer, fts []figureTimes) {
	if len(fts) == 0 {
		return
	}
	fmt.Fprintln(w, "Standard figures, empty parameters, per warehouse (rows: site assessment rows; summaries: the site figures read the figure summaries, rows: they scan the rows); cold: query.Open in a fresh DuckDB + first run; warm: one open DB, 1 run, then median of 3:")
	fmt.Fprintln(w)
	head, rule := "| figure |", "|---|"
	for _, ft := range fts {
		s := "rows"
		if ft.summary {
			s = "summaries"
		}
		head += fmt.Sprintf(" %d rows (%s) cold ms | warm ms | result rows |", ft.rows, s)
		rule += "---:|---:|---:|"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, rule)
	for i, f := range fts[0].figs {
		line := "| " + f.name + " |"
		for _, ft := range fts {
			if i >= len(ft.figs) {
				line += " | | |"
				continue
			}
			g := ft.figs[i]
			if g.err != "" {
				line += " error: " + strings.ReplaceAll(g.err, "|", "/") + " | | |"
				continue
			}
			line += fmt.Sprintf(" %.1f | %.1f | %d |", ms(g.cold), ms(g.warm), g.rows)
		}
		fmt.Fprintln(w, line)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// figuresOnly times the figures on existing warehouses (-figures-on) and
// prints their table.
func figuresOnly(ctx context.Context, w io.Writer, whs []string) error {
	var fts []figureTimes
	for _, wh := range whs {
		logf("timing figures on %s", wh)
		ft, err := timeFigures(ctx, wh)
		if err != nil {
			return err
		}
		fts = append(fts, ft...)
	}
	fmt.Fprintf(w, "\n## dtm figures (%d CPUs, %s; load average at end %s)\n\n", runtime.NumCPU(), cpuModel(), loadAvg())
	printFigures(w, fts)
	return nil
}
