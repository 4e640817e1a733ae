package transform

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/iom-dtm/dtm/schemas"
)

// BenchmarkCellMemoSite measures the memo hits of the cell memos of the
// bench's site file, per row: one lookup in each of nine memos of the
// file's cardinalities (2 to 1,512 different cells; one a date column),
// rows in no order of place ("random") or in runs of equal cells ("runs",
// a file grouped by place), each row's cells copied into one reused
// buffer as a reader's are; with "stream", each row also writes 2 KiB of a
// 64 MiB ring, as the reader and the column buffers of an ingest stream
// through the caches.
func BenchmarkCellMemoSite(b *testing.B) {
	const rows = 1 << 16
	sizes := []int{14, 14, 12, 168, 9, 1512, 7, 3, 336}
	rnd := rand.New(rand.NewPCG(1, 2))
	memos := make([]*cellMemo, len(sizes))
	pools := make([][]string, len(sizes))
	for k, n := range sizes {
		f := schemas.Field{Name: "f", Kind: schemas.String, Vocabulary: []string{"x"}}
		if k == len(sizes)-1 {
			f = schemas.Field{Name: "d", Kind: schemas.Date}
		}
		memos[k] = newCellMemo(&f, k, false)
		pools[k] = make([]string, n)
		for i := range pools[k] {
			pools[k][i] = fmt.Sprintf("SD%02d%04d", k, i)
			if f.Kind == schemas.Date {
				pools[k][i] = time.Date(2025, 1, 1+i, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
			}
			v := value{set: true, s: pools[k][i], d: time.Date(2025, 1, 1+i, 0, 0, 0, 0, time.UTC)}
			memos[k].put(pools[k][i], &v, nil)
		}
	}
	random := make([][]int32, rows)
	runs := make([][]int32, rows) // a file grouped by place: runs of equal cells
	for r := range random {
		random[r] = make([]int32, len(sizes))
		runs[r] = make([]int32, len(sizes))
		for k, n := range sizes {
			random[r][k] = int32(rnd.IntN(n))
			runs[r][k] = int32((r / (3 + 64/n)) % n)
		}
	}
	for _, bc := range []struct {
		name   string
		pick   [][]int32
		stream bool
	}{{"random", random, false}, {"random-stream", random, true}, {"runs", runs, false}} {
		pick, stream := bc.pick, bc.stream
		b.Run(bc.name, func(b *testing.B) {
			ring := make([]byte, 64<<20)
			at := 0
			buf := make([]byte, 0, 256)
			cells := make([]string, len(sizes))
			vals := make([]value, len(sizes))
			cpu := memoBenchCPU()
			for i := 0; b.Loop(); i++ {
				p := pick[i%rows]
				buf = buf[:0]
				for k := range sizes {
					buf = append(buf, pools[k][p[k]]...)
				}
				off := 0
				for k := range sizes {
					n := len(pools[k][p[k]])
					cells[k] = unsafe.String(&buf[off], n)
					off += n
				}
				if stream {
					w := ring[at : at+2048]
					for j := 0; j < len(w); j += 64 {
						w[j]++
					}
					if at += 2048; at == len(ring) {
						at = 0
					}
				}
				for k, m := range memos {
					vals[k].reset()
					if !m.get(cells[k], &vals[k]) {
						b.Fatal("a cell put is not found")
					}
				}
			}
			b.ReportMetric(float64(memoBenchCPU()-cpu)/float64(b.N), "cpu-ns/row")
		})
	}
}

// memoBenchCPU is the CPU time of the process so far (as processCPU of
// the external tests): on a shared machine it varies far less than wall
// time.
func memoBenchCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
