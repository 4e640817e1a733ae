package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
)

const mb = 1e6

// print writes the results as Markdown tables (pasteable into a note).
func (r *report) print(w io.Writer) {
	host, _ := os.Hostname()
	fmt.Fprintf(w, "\n## dtm bench (%s, %d CPUs, %s, %d reps; load average at start %s, at end %s)\n\n",
		host, runtime.NumCPU(), cpuModel(), r.cfg.reps, r.loadStart, loadAvg())
	fmt.Fprintln(w, "Site assessment CSV → warehouse (dtm ingest) vs DuckDB `COPY (SELECT * FROM read_csv(...)) TO ... (FORMAT parquet, COMPRESSION zstd)`; medians; wall time includes process start.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| rows | MB | dtm s | dtm CPU s | dtm MB/s | dtm rows/s | dtm peak RSS | DuckDB s | DuckDB CPU s | DuckDB MB/s | DuckDB rows/s | DuckDB peak RSS | dtm/DuckDB (ratio of medians) | dtm/DuckDB (median of pairs) | written / rejected |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, s := range r.sizes {
		d, k := medianWall(s.dtm), medianWall(s.duck)
		fmt.Fprintf(w, "| %d | %.0f | %.2f | %.2f | %.1f | %.0f | %s | %.2f | %.2f | %.1f | %.0f | %s | %.2f | %.2f | %d / %d |\n",
			s.rows, float64(s.bytes)/mb,
			d.Seconds(), medianCPU(s.dtm).Seconds(), float64(s.bytes)/mb/d.Seconds(), float64(s.rows)/d.Seconds(), human(maxRSS(s.dtm)),
			k.Seconds(), medianCPU(s.duck).Seconds(), float64(s.bytes)/mb/k.Seconds(), float64(s.rows)/k.Seconds(), human(maxRSS(s.duck)),
			k.Seconds()/d.Seconds(), median(s.ratios), s.written, s.rejected)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| other input | rows | dtm s | dtm CPU s | rows/s | MB/s | peak RSS |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	r.other(w, "site assessment XLSX", r.cfg.xlsxRows, 0, r.xlsx, r.xlsxErr)
	r.other(w, "flow survey CSV", r.cfg.flowRows, r.flowBytes, r.flow, r.flowErr)
	if len(r.figures) > 0 {
		fmt.Fprintln(w)
		printFigures(w, r.figures)
	}
	if len(r.reports) > 0 {
		fmt.Fprintln(w)
		printReports(w, r.reports)
	}
	if len(r.lake) > 0 {
		fmt.Fprintln(w)
		printLake(w, r.lake)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "dtm and DuckDB alternate within each pair (the first side alternates too); ratios above 1 mean dtm is faster.")
	fmt.Fprintln(w, "CPU s is user + system time of the child (getrusage): on a shared machine it shows the work done when wall time is inflated by other load.")
	fmt.Fprintln(w, "Targets: CSV ingest ≥ 1.0 × DuckDB; dtm peak RSS ≤ 256 MB; XLSX ≥ 50 k rows/s; each figure ≤ 250 ms warm; dtm report a few seconds at most.")
}

func (r *report) other(w io.Writer, name string, rows, bytes int, ms []measurement, errText string) {
	if rows <= 0 {
		return
	}
	if errText != "" {
		fmt.Fprintf(w, "| %s | %d | n/a: %s | | | | |\n", name, rows, strings.ReplaceAll(errText, "|", "/"))
		return
	}
	d := medianWall(ms)
	rate := "–"
	if bytes > 0 {
		rate = fmt.Sprintf("%.1f", float64(bytes)/mb/d.Seconds())
	}
	fmt.Fprintf(w, "| %s | %d | %.2f | %.2f | %.0f | %s | %s |\n", name, rows, d.Seconds(), medianCPU(ms).Seconds(),
		float64(rows)/d.Seconds(), rate, human(maxRSS(ms)))
}

func human(b int64) string {
	return fmt.Sprintf("%.0f MB", float64(b)/mb)
}

// cpuModel is the "model name" of /proc/cpuinfo ("" elsewhere).
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// loadAvg is the 1-, 5- and 15-minute load average (other work on the
// machine skews every figure of the table).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
