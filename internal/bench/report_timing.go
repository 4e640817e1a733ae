package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/iom-dtm/dtm/query"
	htmlreport "github.com/iom-dtm/dtm/report"
	"github.com/iom-dtm/dtm/schemas"
)

// reportTime is the time of the HTML report on the figures warehouse.
type reportTime struct {
	// cli is `dtm report --out FILE` in a child process, -reps times: the
	// user's wall time (process start, warehouse open, every query,
	// writing the file), CPU and peak RSS.
	cli []measurement
	// warm is report.Render on an already open warehouse (what `dtm serve`
	// pays per rebuild): the median of 3 runs after one warm-up.
	warm  time.Duration
	bytes int64
	err   string
}

// timeReport times `dtm report` on the warehouse wh. A failure is
// reported in the table, not fatal.
func timeReport(ctx context.Context, cfg config, wh string) reportTime {
	var rt reportTime
	out := filepath.Join(cfg.out, "report.html")
	defer os.Remove(out)
	for r := range cfg.reps {
		logf("dtm report, rep %d", r+1)
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

// print writes the report timing line.
func (rt reportTime) print(w io.Writer, rows int) {
	fmt.Fprintf(w, "HTML report on the %d-row warehouse (`dtm report --out FILE`, every chart; medians):\n\n", rows)
	fmt.Fprintln(w, "| dtm report wall s | CPU s | peak RSS | report.Render warm ms (open DB) | HTML size |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|")
	if rt.err != "" {
		fmt.Fprintf(w, "| error: %s | | | | |\n", rt.err)
		return
	}
	fmt.Fprintf(w, "| %.2f | %.2f | %s | %.0f | %.2f MB |\n", medianWall(rt.cli).Seconds(), medianCPU(rt.cli).Seconds(),
		human(maxRSS(rt.cli)), float64(rt.warm)/float64(time.Millisecond), float64(rt.bytes)/mb)
}
