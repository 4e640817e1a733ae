package main

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/iom-dtm/dtm/internal/bench/synth"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// sizeResult is the measurements of one CSV size.
type sizeResult struct {
	rows, bytes int
	dtm, duck   []measurement
	ratios      []float64 // dtm throughput / DuckDB throughput, per pair
	written     int64
	rejected    int64
}

// report is everything the table shows.
type report struct {
	cfg       config
	sizes     []sizeResult
	xlsx      []measurement
	xlsxErr   string
	flow      []measurement
	flowBytes int
	flowErr   string
	figRows   int
	figures   []figureTimes
	reports   []reportTime
	lake      []lakeResult
	loadStart string // load average when the run started
}

func run(ctx context.Context, cfg config) (*report, error) {
	rep := &report{cfg: cfg, loadStart: loadAvg()}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	largest := slices.Max(cfg.rows)
	figWH := filepath.Join(cfg.out, "warehouse-figures")
	for _, n := range cfg.rows {
		path, err := ensure(siteCSVPath(cfg.out, n), func(tmp string) error {
			logf("generating %d-row site assessment CSV", n)
			return writeFileWith(tmp, func(f *os.File) error { return synth.WriteSiteCSV(f, n) })
		})
		if err != nil {
			return nil, err
		}
		st, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		sr := sizeResult{rows: n, bytes: int(st.Size())}
		wh := filepath.Join(cfg.out, "warehouse")
		pq := filepath.Join(cfg.out, "duckdb.parquet")
		for r := range cfg.reps {
			// Alternate which side goes first so that neither always
			// enjoys (or suffers) the page cache state the other leaves.
			for k := range 2 {
				if (r+k)%2 == 0 {
					os.RemoveAll(wh)
					logf("%d rows, rep %d: dtm ingest", n, r+1)
					m, err := runChild(ctx, []int{3}, cfg.dtm, "ingest", "--kind", "site_assessment",
						"--warehouse", wh, "--quiet", "--json", path)
					if err != nil {
						return nil, err
					}
					res := parseRun(m.stdout)
					sr.written, sr.rejected = res.RowsWritten, res.RowsRejected
					if res.RowsIn != int64(n) {
						return nil, fmt.Errorf("dtm read %d rows of %d in %s", res.RowsIn, n, path)
					}
					sr.dtm = append(sr.dtm, m)
				} else {
					logf("%d rows, rep %d: duckdb COPY", n, r+1)
					m, err := runChild(ctx, nil, self, "-duckdb-child", "-in", path, "-to", pq)
					if err != nil {
						return nil, err
					}
					sr.duck = append(sr.duck, m)
				}
			}
			d, k := sr.dtm[len(sr.dtm)-1], sr.duck[len(sr.duck)-1]
			sr.ratios = append(sr.ratios, k.wall.Seconds()/d.wall.Seconds())
		}
		os.Remove(pq)
		if n == largest && cfg.figures {
			os.RemoveAll(figWH)
			if err := os.Rename(wh, figWH); err != nil {
				return nil, err
			}
			rep.figRows = n
		}
		os.RemoveAll(wh)
		rep.sizes = append(rep.sizes, sr)
	}
	if cfg.xlsxRows > 0 {
		rep.xlsx, rep.xlsxErr = ingestRepeated(ctx, cfg, "site_assessment", siteXLSXPath(cfg.out, cfg.xlsxRows), cfg.xlsxRows,
			func(tmp string) error {
				logf("generating %d-row XLSX", cfg.xlsxRows)
				return synth.WriteSiteXLSX(tmp, cfg.xlsxRows)
			})
	}
	if cfg.flowRows > 0 {
		path := flowCSVPath(cfg.out, cfg.flowRows)
		rep.flow, rep.flowErr = ingestRepeated(ctx, cfg, "flow_survey", path, cfg.flowRows, func(tmp string) error {
			logf("generating %d-row flow survey CSV", cfg.flowRows)
			return writeFileWith(tmp, func(f *os.File) error { return synth.WriteFlowCSV(f, cfg.flowRows) })
		}, "--country", "NER") // an FMS export of one country, as published: no country column
		if st, err := os.Stat(path); err == nil {
			rep.flowBytes = int(st.Size())
		}
	}
	if rep.figRows > 0 {
		logf("timing figures on the %d-row warehouse", rep.figRows)
		ft, err := timeFigures(ctx, figWH)
		if err != nil {
			return nil, err
		}
		rep.figures = append(rep.figures, ft...)
		if cfg.report {
			logf("timing dtm report on the %d-row warehouse", rep.figRows)
			rep.reports = append(rep.reports, timeReport(ctx, cfg, figWH, rep.figRows))
		}
	}
	if cfg.report && cfg.reportRows > 0 && cfg.reportRows != rep.figRows {
		wh, err := reportWarehouse(ctx, cfg, cfg.reportRows)
		if err != nil {
			rep.reports = append(rep.reports, reportTime{rows: cfg.reportRows, err: firstLine(err.Error()), load: loadAvg()})
		} else {
			if cfg.figures {
				logf("timing figures on the %d-row warehouse", cfg.reportRows)
				ft, err := timeFigures(ctx, wh)
				if err != nil {
					return nil, err
				}
				rep.figures = append(rep.figures, ft...)
			}
			logf("timing dtm report on the %d-row warehouse", cfg.reportRows)
			rep.reports = append(rep.reports, timeReport(ctx, cfg, wh, cfg.reportRows))
		}
	}
	if cfg.lake {
		if rep.lake, err = runLake(ctx, cfg); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// ingestRepeated generates an input if needed and ingests it reps times
// into a fresh warehouse. A failure is reported in the table, not fatal:
// the dataset may not be implemented yet.
func ingestRepeated(ctx context.Context, cfg config, kind, path string, rows int, gen func(tmp string) error, extra ...string) ([]measurement, string) {
	if _, err := ensure(path, gen); err != nil {
		return nil, err.Error()
	}
	wh := filepath.Join(cfg.out, "warehouse-"+kind)
	defer os.RemoveAll(wh)
	var out []measurement
	for r := range cfg.reps {
		os.RemoveAll(wh)
		logf("%s %s, rep %d: dtm ingest", kind, filepath.Base(path), r+1)
		args := append([]string{"ingest", "--kind", kind, "--warehouse", wh, "--quiet", "--json"}, extra...)
		m, err := runChild(ctx, []int{3}, cfg.dtm, append(args, path)...)
		if err != nil {
			return out, err.Error()
		}
		if res := parseRun(m.stdout); res.RowsIn != int64(rows) {
			return out, fmt.Sprintf("dtm read %d rows of %d", res.RowsIn, rows)
		}
		out = append(out, m)
	}
	return out, ""
}

// runSummary is the part of dtm's --json run result the table uses.
type runSummary struct {
	RowsIn       int64 `json:"rows_in"`
	RowsWritten  int64 `json:"rows_written"`
	RowsRejected int64 `json:"rows_rejected"`
}

func parseRun(b []byte) runSummary {
	var s runSummary
	_ = json.Unmarshal(b, &s) // a missing summary shows as 0 rows, caught by the caller
	return s
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianWall(ms []measurement) time.Duration {
	xs := make([]float64, len(ms))
	for i, m := range ms {
		xs[i] = float64(m.wall)
	}
	return time.Duration(median(xs))
}

func medianCPU(ms []measurement) time.Duration {
	xs := make([]float64, len(ms))
	for i, m := range ms {
		xs[i] = float64(m.cpu)
	}
	return time.Duration(median(xs))
}

func maxRSS(ms []measurement) int64 {
	var mx int64
	for _, m := range ms {
		mx = max(mx, m.maxRSS)
	}
	return mx
}
