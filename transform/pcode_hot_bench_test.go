package transform

import (
	"testing"

	"fmt"
	"math/rand/v2"
	"syscall"
	"time"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// pcodeBenchSiteRows returns n rows of the synthetic site file's first 8
// columns (internal/bench/synth, which this package's tests cannot
// import): 3 countries, 14 admin 1, 168 admin 2 and 1,512 admin 3 codes,
// rows in no order of place.
func pcodeBenchSiteRows(n int) (cols []string, rows []ingest.Row) {
	cols = []string{"Country Code", "State", "State Pcode", "County", "County Pcode", "Payam", "Payam Pcode", "Site ID"}
	countries := []struct {
		iso, prefix string
		admin1      []string
	}{
		{"SDN", "SD", []string{"North Darfur", "South Darfur", "West Darfur", "Central Darfur", "East Darfur"}},
		{"SSD", "SS", []string{"Central Equatoria", "Jonglei", "Unity", "Upper Nile", "Warrap"}},
		{"NGA", "NG", []string{"Borno", "Adamawa", "Yobe", "Gombe"}},
	}
	rng := rand.New(rand.NewPCG(42, uint64(n)))
	rows = make([]ingest.Row, n)
	for i := range rows {
		c := countries[rng.IntN(len(countries))]
		a1, a2, a3 := rng.IntN(len(c.admin1))+1, rng.IntN(12)+1, rng.IntN(9)+1
		p1 := fmt.Sprintf("%s%02d", c.prefix, a1)
		p2 := fmt.Sprintf("%s%02d", p1, a2)
		rows[i] = ingest.Row{Line: i + 3, Cells: []string{c.iso, c.admin1[a1-1], p1, fmt.Sprintf("County %d", a2), p2,
			fmt.Sprintf("Payam %d", a3), fmt.Sprintf("%s%02d", p2, a3), fmt.Sprintf("%s-%07d", c.iso, i+1)}}
	}
	return cols, rows
}

// BenchmarkPcodeChecksHot measures the p-code checks alone, without the
// conversion of the rows: a worker's checkPcodeLevels on the synthetic
// site rows (3 countries, 1,512 places in no order), their p-code cells
// set as the worker's conversion set them, a takeChunk every 4 Ki rows
// merged into the table's checks as Absorb does, and Finish's judgement.
// "start" runs 100,000 rows from fresh checks (a file's first rows: names
// listing their rows); "steady" runs them on checks that carry on from
// op to op, after pcodeBenchWarm passes (the rows of a long file, past
// the 1,000 rows every name lists).
func BenchmarkPcodeChecksHot(b *testing.B) {
	const n, chunk = 100_000, 4 * 1024
	cols, rows := pcodeBenchSiteRows(n + chunk)
	m, err := Map(ingest.Header{File: "bench.csv", Columns: cols}, schemas.SiteAssessment(), MapOptions{})
	if err != nil {
		b.Fatal(err)
	}
	c := NewConverter(m, Provenance{File: "bench.csv", RunID: "r"}, Options{})
	defer c.Release()
	if rj := c.Convert(rows[:chunk]); len(rj) > 0 {
		b.Fatalf("unexpected reject: %+v", rj[0])
	}
	w := c.Fork()
	defer w.Release()
	w.Convert(rows[chunk : chunk+1]) // the worker's plan
	// The p-code cells of each row, as the worker's conversion sets them.
	pls := w.pcodeLevelsOf(siteLevels[:])
	slots := []int{w.ref("country_iso3").slot}
	for _, pl := range pls {
		slots = append(slots, pl.slot, pl.nameSlot)
	}
	type cell struct {
		s   string
		sid int32
		set bool
	}
	snap := make([]cell, 0, n*len(slots))
	var rc rowContext
	for _, r := range rows[chunk:] {
		rc = rowContext{file: "bench.csv", line: r.Line}
		w.convertRow(r, &rc)
		if len(rc.rejects) > 0 {
			b.Fatalf("unexpected reject: %+v", rc.rejects[0])
		}
		for _, s := range slots {
			if s < 0 {
				snap = append(snap, cell{})
				continue
			}
			v := &w.vals[s]
			if !v.set && s != pls[3].slot && s != pls[3].nameSlot {
				b.Fatalf("row %d: slot %d not set", r.Line, s)
			}
			snap = append(snap, cell{v.s, v.sid, v.set})
		}
	}
	for i := range w.vals {
		w.vals[i].reset()
	}
	run := func(b *testing.B, fresh bool) {
		var parent pcodeFileChecks
		line := 0
		reset := func() {
			w.memo = convMemo{}
			w.pcodeFile = pcodeFileChecks{gen: 1}
			parent = pcodeFileChecks{}
		}
		reset()
		pass := func() {
			for i := range n {
				line++
				for k, s := range slots {
					if s >= 0 {
						cl := &snap[i*len(slots)+k]
						v := &w.vals[s]
						v.s, v.sid, v.set = cl.s, cl.sid, cl.set
					}
				}
				rc = rowContext{file: "bench.csv", line: line, rejects: rc.rejects[:0]}
				w.checkPcodeLevels(ingest.Row{Line: line}, &rc, pls)
				if len(rc.rejects) > 0 {
					b.Fatalf("unexpected finding: %+v", rc.rejects[0])
				}
				if line%chunk == 0 {
					ch := w.pcodeFile.takeChunk()
					parent.merge(&ch)
				}
			}
		}
		if !fresh {
			for range pcodeBenchWarm {
				pass()
			}
		}
		cpu := pcodeBenchCPU()
		for b.Loop() {
			if fresh {
				reset()
				line = 0
			}
			pass()
			if fresh {
				ch := w.pcodeFile.takeChunk()
				parent.merge(&ch)
				if out, _ := parent.finish("bench.csv", ""); len(out) > 0 {
					b.Fatalf("unexpected finding: %+v", out[0])
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/row")
		b.ReportMetric(float64(pcodeBenchCPU()-cpu)/float64(b.N*n), "cpu-ns/row")
	}
	b.Run("start", func(b *testing.B) { run(b, true) })
	b.Run("steady", func(b *testing.B) { run(b, false) })
}

// pcodeBenchWarm is the passes over the rows before "steady" is timed:
// 2 M rows, each admin 3 name on 1,300 of them.
const pcodeBenchWarm = 20

// pcodeBenchCPU is the process's CPU time so far (less bent than the
// elapsed time on a machine that other work shares).
func pcodeBenchCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
