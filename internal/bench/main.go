package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
)

// config is the harness's parameters (flags).
type config struct {
	rows     []int // site assessment CSV sizes, in rows
	xlsxRows int
	flowRows int
	reps     int
	out      string
	dtm      string
	figures  bool
	report   bool
	// reportRows is the size of the kept warehouse the report is also
	// timed on (0: only the figures warehouse).
	reportRows int
	// lake runs the local vs object-store comparison (on the bundled
	// sample and, when lakeRows > 0, a synthetic CSV of lakeRows rows).
	lake     bool
	lakeRows int
}

func main() {
	child := flag.Bool("duckdb-child", false, "internal: run DuckDB's conversion of -in to -to and exit")
	in := flag.String("in", "", "internal: input of -duckdb-child")
	to := flag.String("to", "", "internal: output of -duckdb-child")
	rows := flag.String("rows", "100000,1000000,10000000", "comma-separated site assessment CSV sizes in rows (issue 15 asks for 100 k, 1 M and 10 M in one run; e.g. -rows 100000,1000000 for a quicker one)")
	var cfg config
	flag.IntVar(&cfg.xlsxRows, "xlsx-rows", 100_000, "rows of the XLSX input (0 skips it)")
	flag.IntVar(&cfg.flowRows, "flow-rows", 100_000, "rows of the flow survey CSV (0 skips it)")
	flag.IntVar(&cfg.reps, "reps", 3, "repetitions of each dtm/DuckDB pair (at least 3 for a median)")
	flag.StringVar(&cfg.out, "out", "bench-out", "directory of generated inputs and scratch warehouses")
	flag.StringVar(&cfg.dtm, "dtm", "bin/dtm", "the dtm binary to measure (make bench builds it)")
	flag.BoolVar(&cfg.figures, "figures", true, "time the standard figures on the warehouse of the largest size")
	flag.BoolVar(&cfg.report, "report", true, "time `dtm report` (the HTML report) on the warehouse of the largest size (with -figures) and on the -report-rows warehouse")
	flag.IntVar(&cfg.reportRows, "report-rows", 10_000_000, "also time `dtm report` on a warehouse of this many site assessment rows, ingested once and kept under -out (0 skips it)")
	flag.BoolVar(&cfg.lake, "lake", true, "compare a local and an s3:// warehouse (gofakes3 on loopback) fed the same files: the bundled sample and a -lake-rows synthetic CSV")
	flag.IntVar(&cfg.lakeRows, "lake-rows", 1_000_000, "rows of the synthetic CSV of the object-store comparison (0: the sample only)")
	pgo := flag.String("pgo", "", "write the profile-guided optimisation profile of -dtm (merged CPU profiles of ingesting the first -rows size, the -xlsx-rows XLSX and the -flow-rows flow CSV) to this file and exit (make pgo)")
	figuresOn := flag.String("figures-on", "", "only time the standard figures (cold and warm) on these comma-separated existing warehouses, ingesting nothing")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *child {
		if err := duckdbCopy(ctx, *in, *to); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	var err error
	if *figuresOn != "" {
		if err := figuresOnly(ctx, os.Stdout, strings.Split(*figuresOn, ",")); err != nil {
			fatal(err)
		}
		return
	}
	if cfg.rows, err = parseSizes(*rows); err != nil {
		fatal(err)
	}
	if cfg.reps < 1 {
		fatal(fmt.Errorf("-reps must be at least 1"))
	}
	if cfg.dtm, err = filepath.Abs(cfg.dtm); err != nil {
		fatal(err)
	}
	if _, err := os.Stat(cfg.dtm); err != nil {
		fatal(fmt.Errorf("dtm binary: %w (run `make build` or pass -dtm)", err))
	}
	if *pgo != "" {
		if err := writePGOProfile(ctx, cfg, *pgo); err != nil {
			fatal(err)
		}
		return
	}
	rep, err := run(ctx, cfg)
	if err != nil {
		fatal(err)
	}
	rep.print(os.Stdout)
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.ReplaceAll(strings.TrimSpace(f), "_", "")
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("-rows: %q is not a positive row count", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-rows: no size given")
	}
	return out, nil
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

// logf reports progress on stderr (the table goes to stdout).
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
