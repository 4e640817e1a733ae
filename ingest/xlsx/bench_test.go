package xlsx

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/internal/testutil"
)

// benchBook writes a rows x 20 data sheet shaped like a site assessment:
// text columns (admin names, ids), counts, a date and a coordinate.
func benchBook(tb testing.TB, rows int) string {
	tb.Helper()
	header := make([]any, 20)
	for i := range header {
		header[i] = fmt.Sprintf("Column %d", i+1)
	}
	data := [][]any{header}
	date := time.Date(2023, 4, 30, 0, 0, 0, 0, time.UTC)
	for r := range rows {
		row := make([]any, 20)
		for c := range row {
			switch c % 5 {
			case 0:
				row[c] = fmt.Sprintf("Admin %d-%d", c, r%500)
			case 1:
				row[c] = fmt.Sprintf("NG%06d", r)
			case 2:
				row[c] = r * c
			case 3:
				row[c] = date
			default:
				row[c] = 12.5 + float64(r)/1000
			}
		}
		data = append(data, row)
	}
	path := filepath.Join(tb.TempDir(), "bench.xlsx")
	testutil.WriteXLSX(tb, path, []testutil.Sheet{{Name: "Data", Rows: data}})
	return path
}

// BenchmarkRead measures Open and a full read of a 20,000 x 20 sheet and
// reports rows per second of wall time and of process CPU time (the latter
// is meaningful on a loaded machine; the benchmark is single-threaded).
func BenchmarkRead(b *testing.B) {
	const n = 20000
	path := benchBook(b, n)
	b.ResetTimer()
	cpu0 := processCPU()
	for b.Loop() {
		r, err := Open(path, ingest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := drain(r, 1024)
		if err != nil || len(rows) != n {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
		_ = r.Close()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n*b.N)/cpu.Seconds(), "rows/cpu-s")
	}
}

// BenchmarkReadExcelize is BenchmarkRead through excelize's Rows, for
// comparison.
func BenchmarkReadExcelize(b *testing.B) {
	const n = 20000
	path := benchBook(b, n)
	b.ResetTimer()
	cpu0 := processCPU()
	for b.Loop() {
		_, rows, err := readWith(path, ingest.Options{}, true)
		if err != nil || len(rows) != n {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n*b.N)/cpu.Seconds(), "rows/cpu-s")
	}
}
