package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/iom-dtm/dtm/internal/bench/synth"
	"github.com/iom-dtm/dtm/query"
	htmlreport "github.com/iom-dtm/dtm/report"
	"github.com/iom-dtm/dtm/schemas"
)

// reportTime is the time of the HTML report on one warehouse.
type reportTime struct {
	rows int // site assessment rows of the warehouse
	// cli is `dtm report --out FILE` in a child process, -reps times: the
	// user's wall time (process start, warehouse open, every query,
	// writing the file), CPU and peak RSS.
	cli []measurement
	// warm is report.Render on an already open warehouse (what `dtm serve`
	// pays per rebuild): the median of 3 runs after one warm-up.
	warm  time.Duration
	bytes int64
	// load is the 1-minute load average when the timing ended (other work
	// on the machine inflates wall times, not CPU).
	load string
	err  string
}

// timeReport times `dtm report` on the warehouse wh of rows rows. A
// failure is reported in the table, not fatal.
func timeReport(ctx context.Context, cfg config, wh string, rows int) (rt reportTime) {
	rt.rows = rows
	defer func() { rt.load = loadAvg() }() // rt is the named result: set on every return
	out := filepath.Join(cfg.out, "report.html")
	defer os.Remove(out)
	for r := range cfg.reps {
		logf("dtm report on %d rows, rep %d", rows, r+1)
		m, err := runChild(ctx, nil, cfg.dtm, "report", "--warehouse", wh, "--quiet", "--out", out)
		if err != nil {
			rt.err = firstLine(err.Error())
			return rt
		}
		rt.cli = append(rt.cli, m)
	}
	if st, err := os.Stat(out); err == nil {
		rt.bytes = st.Size()
	}
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		rt.err = firstLine(err.Error())
		return rt
	}
	defer db.Close()
	var ts []float64
	for i := range 4 {
		start := time.Now()
		if err := htmlreport.Render(ctx, db, htmlreport.Options{}, io.Discard); err != nil {
			rt.err = firstLine(fmt.Sprintf("report.Render: %v", err))
			return rt
		}
		if i > 0 {
			ts = append(ts, float64(time.Since(start)))
		}
	}
	rt.warm = time.Duration(median(ts))
	return rt
}

// reportWarehouse returns the kept warehouse of rows synthetic site
// assessment rows for the report timing (-report-rows), ingesting it with
// dtm the first time: bench-out/warehouse-report-N, complete when its
// ".ok" marker exists (delete both to rebuild, e.g. after a change of the
// warehouse format). Ingesting 10 M rows takes minutes; later runs reuse it.
func reportWarehouse(ctx context.Context, cfg config, rows int) (string, error) {
	wh := filepath.Join(cfg.out, fmt.Sprintf("warehouse-report-%d", rows))
	if _, err := os.Stat(wh + ".ok"); err == nil {
		return wh, nil
	}
	path, err := ensure(siteCSVPath(cfg.out, rows), func(tmp string) error {
		logf("generating %d-row site assessment CSV", rows)
		return writeFileWith(tmp, func(f *os.File) error { return synth.WriteSiteCSV(f, rows) })
	})
	if err != nil {
		return "", err
	}
	tmp := wh + ".tmp"
	os.RemoveAll(tmp)
	logf("ingesting the %d-row report warehouse (once; kept as %s)", rows, wh)
	m, err := runChild(ctx, []int{3}, cfg.dtm, "ingest", "--kind", "site_assessment", "--warehouse", tmp, "--quiet", "--json", path)
	if err != nil {
		return "", err
	}
	if res := parseRun(m.stdout); res.RowsIn != int64(rows) {
		return "", fmt.Errorf("dtm read %d rows of %d in %s", res.RowsIn, rows, path)
	}
	os.RemoveAll(wh)
	if err := os.Rename(tmp, wh); err != nil {
		return "", err
	}
	return wh, os.WriteFile(wh+".ok", nil, 0o644)
}

// printReports writes the report timings, one line per warehouse.
func printReports(w io.Writer, rts []reportTime) {
	fmt.Fprintln(w, "HTML report (`dtm report --out FILE`, every chart, in a child process; medians; report.Render warm: on an open warehouse, as `dtm serve` rebuilds it):")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| warehouse rows | dtm report wall s | CPU s | peak RSS | report.Render warm ms | HTML size | load average (1 min) |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|")
	for _, rt := range rts {
		if rt.err != "" {
			fmt.Fprintf(w, "| %d | error: %s | | | | | %s |\n", rt.rows, rt.err, rt.load)
			continue
		}
		fmt.Fprintf(w, "| %d | %.2f | %.2f | %s | %.0f | %.2f MB | %s |\n", rt.rows, medianWall(rt.cli).Seconds(), medianCPU(rt.cli).Seconds(),
			human(maxRSS(rt.cli)), float64(rt.warm)/float64(time.Millisecond), float64(rt.bytes)/mb, rt.load)
	}
}
