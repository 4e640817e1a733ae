package query_test

import (
	"errors"
	"io"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/ingest/csv"
	"github.com/iom-dtm/dtm/internal/bench/synth"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

// dtmRecords converts n rows of the bench's synthetic site assessment CSV
// (synth.WriteSiteCSV: the generator of the make bench inputs) as a
// chunked ingest does: chunks of 4,096 rows, each drained into one record
// per partition (country and round), with the converter's dictionary
// columns. The caller releases the records.
func dtmRecords(tb testing.TB, n int) []arrow.RecordBatch {
	tb.Helper()
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(synth.WriteSiteCSV(pw, n)) }()
	defer pr.Close()
	ds := schemas.SiteAssessment()
	rd, err := csv.NewReader("bench.csv", pr, ingest.Options{Scorer: transform.NewHeaderScorer(ds)})
	if err != nil {
		tb.Fatal(err)
	}
	defer rd.Close()
	m, err := transform.Map(rd.Header(), ds, transform.MapOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	conv := transform.NewConverter(m, transform.Provenance{File: "bench.csv", FileID: "0123", RunID: "r"}, transform.Options{})
	defer conv.Release()
	var recs []arrow.RecordBatch
	for {
		rows, err := rd.Next(4096)
		if len(rows) > 0 {
			conv.Convert(rows)
			for _, r := range conv.Drain(true) {
				recs = append(recs, r.Record)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	conv.Finish()
	for _, r := range conv.Drain(true) {
		recs = append(recs, r.Record)
	}
	return recs
}

// dtmBenchRecords is dtmRecords(b, n), released when the benchmark run
// ends, and their number of rows.
func dtmBenchRecords(b *testing.B, n int) ([]arrow.RecordBatch, int64) {
	recs := dtmRecords(b, n)
	b.Cleanup(func() {
		for _, r := range recs {
			r.Release()
		}
	})
	var rows int64
	for _, r := range recs {
		rows += r.NumRows()
	}
	return recs, rows
}

// benchRows is DTM_BENCH_ROWS, or def.
func benchRows(tb testing.TB, def int) int {
	if s := os.Getenv("DTM_BENCH_ROWS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			tb.Fatalf("DTM_BENCH_ROWS: %v", err)
		}
		return v
	}
	return def
}

// cpuTime is the CPU time (user + system) of the process so far: what a
// benchmark costs on a loaded machine, where its wall time is mostly
// waiting.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSummaryBuilderDTMCold: BenchmarkSummaryBuilderDTM (200,000
// rows unless DTM_BENCH_ROWS says) with the caches emptied between two
// records, as in an ingest, where the converter and the Parquet writer
// run between two records: DTM_BENCH_EVICT bytes (8 MiB by default) are
// written before each Add. thread-cpu-ns/row counts the CPU time of the
// Add calls alone (the thread's, Linux; elsewhere their wall time).
// In a 10 M-row ingest on main c752f07 Add cost ~280 CPU ns a row against
// ~160 in BenchmarkSummaryBuilderDTM: its tables were out of the cache.
func BenchmarkSummaryBuilderDTMCold(b *testing.B) {
	n := benchRows(b, 200_000)
	evict := 8 << 20
	if s := os.Getenv("DTM_BENCH_EVICT"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("DTM_BENCH_EVICT: %v", err)
		}
		evict = v
	}
	recs, rows := dtmBenchRecords(b, n)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	junk := make([]byte, evict)
	var spent time.Duration
	for b.Loop() {
		sb := query.NewSummaryBuilder()
		for i, r := range recs {
			for j := 0; j < len(junk); j += 64 {
				junk[j] = byte(i + j)
			}
			t0 := threadTime()
			sb.Add(r)
			spent += threadTime() - t0
		}
		if sb.Err() != nil || sb.Rows() != rows {
			b.Fatalf("%d rows of %d, err %v", sb.Rows(), rows, sb.Err())
		}
	}
	b.ReportMetric(float64(spent.Nanoseconds())/float64(int64(b.N)*rows), "thread-cpu-ns/row")
}

// threadTime is the CPU time of the calling thread so far (Linux's
// RUSAGE_THREAD), or the wall time where there is none.
func threadTime() time.Duration {
	const rusageThread = 1
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return time.Duration(time.Now().UnixNano())
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
