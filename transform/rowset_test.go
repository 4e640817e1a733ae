package transform

import (
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"slices"
	"syscall"
	"testing"
	"time"
)

// TestRowSetIsAMap checks rowSet against a map over random hashes with
// repeats, across several growths, and its edge cases: hash 0, row numbers
// out of range.
func TestRowSetIsAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var s rowSet
	want := map[uint64]int{}
	var keys []uint64
	for line := 1; line <= 200_000; line++ {
		var h uint64
		if len(keys) > 0 && rng.IntN(5) == 0 {
			h = keys[rng.IntN(len(keys))]
		} else {
			h = rng.Uint64() &^ 0xff // low bits alike: the home must spread them
			keys = append(keys, h)
		}
		got := s.firstOrAdd(h, line)
		first, ok := want[h]
		if !ok {
			want[h] = line
		}
		if got != first {
			t.Fatalf("line %d, hash %x: got first row %d, want %d", line, h, got, first)
		}
	}
	if s.len() != len(want) {
		t.Fatalf("len %d, want %d", s.len(), len(want))
	}
	if 4*s.n > 3*len(s.hashes) {
		t.Fatalf("%d keys in %d slots: over 3/4", s.n, len(s.hashes))
	}
	if s.spill != nil {
		t.Fatalf("200 k keys spilled (the recent table holds %d)", 3*rowSetRecentSlots/4)
	}
	var z rowSet
	if z.firstOrAdd(0, 5) != 0 || z.firstOrAdd(0, 9) != 5 {
		t.Error("hash 0 is not recorded")
	}
	if z.firstOrAdd(42, 0) != 0 || z.firstOrAdd(42, 1<<32) != 0 || z.firstOrAdd(42, 3) != 0 || z.firstOrAdd(42, 4) != 3 {
		t.Error("row numbers out of range are recorded")
	}
}

// TestRowSetSpillsIsAMap is TestRowSetIsAMap with a recent table of 1 Ki
// slots: the keys go to many runs on disk, the filter grows several times,
// repeats hit the recent table, the runs and the hot map, and the answers
// are still those of a map (the first occurrence wins).
func TestRowSetSpillsIsAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	s := rowSet{maxSlots: 1024}
	want := map[uint64]int{}
	var keys []uint64
	for line := 1; line <= 100_000; line++ {
		var h uint64
		switch r := rng.IntN(10); {
		case len(keys) > 0 && r == 0: // a repeat of any earlier row
			h = keys[rng.IntN(len(keys))]
		case len(keys) > 0 && r == 1: // a repeat of one of the first rows (hot)
			h = keys[rng.IntN(min(len(keys), 50))]
		case r == 2:
			h = uint64(rng.IntN(1 << 16)) // small hashes (and 0)
			keys = append(keys, h)
		default:
			h = rng.Uint64() &^ 0xff
			keys = append(keys, h)
		}
		got := s.firstOrAdd(h, line)
		first, ok := want[h]
		if !ok {
			want[h] = line
		}
		if h == 0 || h == 1 { // stored alike
			if f1, ok1 := want[1^h]; ok1 && (first == 0 || f1 < first) {
				first = f1
			}
		}
		if got != first {
			t.Fatalf("line %d, hash %x: got first row %d, want %d", line, h, got, first)
		}
	}
	if s.spill == nil || len(s.spill.runs) < 50 {
		t.Fatalf("expected many runs on disk, got %+v", s.spill)
	}
	if s.spill.keys+s.n != s.len() {
		t.Fatalf("keys: %d spilled + %d recent != %d", s.spill.keys, s.n, s.len())
	}
	if len(s.hashes) != 1024 {
		t.Fatalf("the recent table grew to %d slots past its bound of 1024", len(s.hashes))
	}
	if err := s.takeErr(); err != nil {
		t.Fatal(err)
	}
}

// TestRowSetAllIsFirstOrAdd: firstOrAddAll, fed groups of 1 to 1,000
// keys, answers as firstOrAdd (and a map) does, with a recent table of
// 1 Ki slots that spills every 768 keys, so many spills happen inside a
// group: a key recorded in the recent table before such a spill and
// repeated after it in the same group is in the filter only, which the
// group's answers asked before the spill did not know.
func TestRowSetAllIsFirstOrAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	one, all := rowSet{maxSlots: 1024}, rowSet{maxSlots: 1024}
	want := map[uint64]int{}
	var keys []uint64
	const rows = 60_000
	hs, lines := make([]uint64, rows), make([]int, rows)
	for i := range hs {
		var h uint64
		switch r := rng.IntN(10); {
		case len(keys) > 0 && r <= 1: // a repeat of one of the last 300 rows
			h = keys[max(0, len(keys)-1-rng.IntN(300))]
		case len(keys) > 0 && r == 2:
			h = keys[rng.IntN(len(keys))]
		case r == 3:
			h = uint64(rng.IntN(4)) // 0 and 1 are held alike
		default:
			h = rng.Uint64()
		}
		keys = append(keys, h)
		hs[i], lines[i] = h, i+1
		if rng.IntN(500) == 0 {
			lines[i] = -1 // not recorded
		}
	}
	firsts := make([]int, rows)
	for at := 0; at < rows; {
		n := min(rows-at, 1+rng.IntN(1000))
		all.firstOrAddAll(hs[at:at+n], lines[at:at+n], firsts[at:at+n])
		at += n
	}
	for i, h := range hs {
		got := one.firstOrAdd(h, lines[i])
		k := max(h, 1)
		first, ok := want[k]
		if !ok && lines[i] > 0 {
			want[k] = lines[i]
		}
		if lines[i] <= 0 {
			first = 0
		}
		if got != first || firsts[i] != first {
			t.Fatalf("row %d, hash %x: firstOrAdd %d, firstOrAddAll %d, want %d", i+1, h, got, firsts[i], first)
		}
	}
	if all.spill == nil || len(all.spill.runs) < 40 || all.len() != one.len() {
		t.Fatalf("%d keys, want %d, in many runs", all.len(), one.len())
	}
	for _, s := range []*rowSet{&one, &all} {
		if err := s.takeErr(); err != nil {
			t.Fatal(err)
		}
	}

	// The smallest case: the recent table full, a group of a new key (the
	// spill) and a repeat of the first key, spilled by it.
	s := rowSet{maxSlots: 1024}
	for line := 1; line <= 768; line++ {
		s.firstOrAdd(uint64(line)*0x9e3779b97f4a7c15, line)
	}
	got := make([]int, 2)
	s.firstOrAddAll([]uint64{12345, 0x9e3779b97f4a7c15}, []int{769, 770}, got)
	if s.spill == nil || len(s.spill.runs) != 1 || got[0] != 0 || got[1] != 1 {
		t.Fatalf("a key spilled inside the group: got %v, want [0 1]", got)
	}
}

// TestRowSetSpillFails: without a usable temporary directory, the recent
// table grows in memory past its bound, the answers stay exact, and the
// error is given once, with the row at which it was met.
func TestRowSetSpillFails(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()+"/missing")
	s := rowSet{maxSlots: 1024}
	for line := 1; line <= 5000; line++ {
		if got := s.firstOrAdd(uint64(line)*0x9e3779b97f4a7c15, line); got != 0 {
			t.Fatalf("line %d: a new key found at %d", line, got)
		}
	}
	for line := 1; line <= 5000; line++ {
		if got := s.firstOrAdd(uint64(line)*0x9e3779b97f4a7c15, 5000+line); got != line {
			t.Fatalf("repeat of line %d: got %d", line, got)
		}
	}
	if len(s.hashes) <= 1024 {
		t.Fatalf("the recent table did not grow past its bound: %d slots", len(s.hashes))
	}
	if s.takeErr() == nil {
		t.Fatal("no error for the failed temporary file")
	}
	if s.errLine != 769 { // the row whose key found the table full
		t.Fatalf("the error is of row %d, want 769", s.errLine)
	}
	if s.takeErr() != nil {
		t.Fatal("the error is given twice")
	}
}

// TestRowFilter: no false negatives over keys added in several runs (pages
// rebuilt with old and new keys), 2 bytes a key, about the false positives
// the doc comment states, and a page too full to hold its keys reports
// every key it covers.
func TestRowFilter(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var f rowFilter
	if f.mayHold(42) {
		t.Fatal("an empty filter holds a key")
	}
	const runs, perRun = 4, 1 << 18 // 1 Mi keys
	var in []uint64
	for range runs {
		run := make([]uint64, 4*perRun/3) // a recent table's image, 1/4 empty
		for i := range perRun {
			run[i] = rng.Uint64() | 1
		}
		for _, h := range run {
			if h != 0 {
				in = append(in, h)
			}
		}
		f.addRun(run, nil)
	}
	if f.keys != len(in) {
		t.Fatalf("%d keys counted, %d added", f.keys, len(in))
	}
	for _, h := range in {
		if !f.mayHold(h) {
			t.Fatalf("%x added but not held", h)
		}
	}
	fps := 0
	for _, p := range f.pages {
		fps += len(p.fps)
		if len(p.ends) != rowFilterSegs {
			t.Fatalf("a page of %d segments", len(p.ends))
		}
	}
	if fps != len(in) {
		t.Fatalf("%d fingerprints for %d keys: not 2 bytes a key", fps, len(in))
	}
	fp := 0
	const tries = 1 << 20
	probe := make([]uint64, tries)
	for i := range probe {
		probe[i] = rng.Uint64()
		if f.mayHold(probe[i]) {
			fp++
		}
	}
	probe = append(probe, in[:1000]...)
	checkMayHoldAll(t, &f, probe)
	// ~1 M keys in 512 Ki segments: about 2/65536 = 3·10⁻⁵.
	if rate := float64(fp) / tries; rate > 1e-4 {
		t.Fatalf("false positives %.2g at 1 M keys (doc: about 3e-5)", rate)
	}

	// A page past 65,535 fingerprints is full: it holds every key of its
	// range, and no fingerprints.
	var g rowFilter
	g.addRun([]uint64{in[0]}, nil)
	pg, _, _ := rowFilterPlace(rowFilterMix(in[0]))
	g.addPage(pg, make([]uint32, rowFilterPageMax), make([]uint32, rowFilterPageMax))
	if !g.pages[pg].full || g.pages[pg].fps != nil {
		t.Fatal("a page of 65,536 fingerprints is not full")
	}
	other := 0
	for range 1000 {
		h := rng.Uint64()
		p, _, _ := rowFilterPlace(rowFilterMix(h))
		if p == pg && !g.mayHold(h) {
			t.Fatal("a full page does not report a key of its range")
		}
		if p != pg && g.mayHold(h) {
			other++
		}
	}
	if other > 0 {
		t.Fatalf("%d keys of other pages reported", other)
	}
	checkMayHoldAll(t, &g, probe[:100_000])
	checkMayHoldAll(t, &rowFilter{}, probe[:1000])
}

// TestRowFilterPageLayout: after each run, every page holds its keys'
// fingerprints segment after segment, each segment's in the order added
// (older runs first), with its ends, as a page rebuilt from scratch would;
// runs of 1 to 300,000 keys, so that pages get no key, one, or many, and
// their slices are reallocated or merged into in place.
func TestRowFilterPageLayout(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var f rowFilter
	want := make([][rowFilterSegs][]uint16, 1<<rowFilterPageBits)
	for r, size := range []int{1, 3000, 300_000, 20, 70_000, 150_000, 1, 300_000, 5000} {
		run := make([]uint64, 4*size/3+1)
		for range size {
			run[rng.IntN(len(run))] = rng.Uint64() | 1 // collisions leave fewer keys, and zeros
		}
		for _, h := range run {
			if h != 0 {
				pg, seg, fp := rowFilterPlace(rowFilterMix(h))
				want[pg][seg] = append(want[pg][seg], fp)
			}
		}
		var scratch []uint32
		if r%2 == 1 {
			scratch = make([]uint32, len(run))
		}
		f.addRun(run, scratch)
		for pg := range f.pages {
			p := &f.pages[pg]
			var fps []uint16
			for seg := range rowFilterSegs {
				fps = append(fps, want[pg][seg]...)
				if p.ends != nil && int(p.ends[seg]) != len(fps) {
					t.Fatalf("run %d, page %d: segment %d ends at %d, want %d", r, pg, seg, p.ends[seg], len(fps))
				}
			}
			if p.ends == nil && len(fps) > 0 {
				t.Fatalf("run %d, page %d: %d keys and no ends", r, pg, len(fps))
			}
			if !slices.Equal(p.fps, fps) {
				t.Fatalf("run %d, page %d: fingerprints\n%v\nwant\n%v", r, pg, p.fps, fps)
			}
		}
	}
}

// checkMayHoldAll checks that f.mayHoldAll answers as f.mayHold for each
// key of probe (given in groups of 1 to 2,000).
func checkMayHoldAll(t *testing.T, f *rowFilter, probe []uint64) {
	t.Helper()
	maybe := make([]bool, len(probe))
	for at, n := 0, 1; at < len(probe); at, n = at+n, n%2000+7 {
		n = min(n, len(probe)-at)
		f.mayHoldAll(probe[at:at+n], maybe[at:at+n])
	}
	for i, h := range probe {
		if maybe[i] != f.mayHold(h) {
			t.Fatalf("key %d (%x): mayHoldAll %v, mayHold %v", i, h, maybe[i], !maybe[i])
		}
	}
}

// cpuTime is the process's CPU time (user + system) so far: on a shared
// machine it varies far less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRowSet measures the duplicate check's set on 1 M distinct rows.
func BenchmarkRowSet(b *testing.B) {
	hs := make([]uint64, 1<<20)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range hs {
		hs[i] = rng.Uint64()
	}
	cpu := cpuTime()
	for b.Loop() {
		var s rowSet
		for i, h := range hs {
			s.firstOrAdd(h, i+1)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkRowSetSpill is BenchmarkRowSet on 4 M distinct rows with a
// recent table of 256 Ki slots: 21 runs on disk, the filter looked up by
// every row.
func BenchmarkRowSetSpill(b *testing.B) {
	hs := make([]uint64, 4<<20)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range hs {
		hs[i] = rng.Uint64()
	}
	for b.Loop() {
		s := rowSet{maxSlots: 1 << 18}
		for i, h := range hs {
			s.firstOrAdd(h, i+1)
		}
	}
}

// BenchmarkRowSetMap is BenchmarkRowSet with the map the set replaced.
func BenchmarkRowSetMap(b *testing.B) {
	hs := make([]uint64, 1<<20)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range hs {
		hs[i] = rng.Uint64()
	}
	for b.Loop() {
		s := map[uint64]int{}
		for i, h := range hs {
			if _, ok := s[h]; !ok {
				s[h] = i + 1
			}
		}
	}
}

// BenchmarkRowSet10M is BenchmarkRowSet on 10 M distinct rows with the
// default recent table, as a 10 M-row ingest checks them: 25 runs on disk,
// a filter of 20 MB looked up by every row (run with -benchtime 1x). The
// rows come in chunks of 4 Ki, and 4 MiB of other memory is written
// between chunks (not timed), as converting a chunk's rows evicts the
// set's lines from the caches. "one" calls firstOrAdd for each row, "all"
// firstOrAddAll for each chunk (Absorb). cpu-ns/op counts the set's calls.
func BenchmarkRowSet10M(b *testing.B) {
	hs := make([]uint64, 10_000_000)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range hs {
		hs[i] = rng.Uint64()
	}
	const chunk = 4096
	lines, firsts := make([]int, chunk), make([]int, chunk)
	other := make([]uint64, 4<<20/8)
	for _, all := range []bool{false, true} {
		b.Run(map[bool]string{false: "one", true: "all"}[all], func(b *testing.B) {
			var cpu time.Duration
			for b.Loop() {
				var s rowSet
				for at := 0; at < len(hs); at += chunk {
					for i := range other {
						other[i] += uint64(i)
					}
					n := min(chunk, len(hs)-at)
					for i := range n {
						lines[i] = at + i + 1
					}
					c := cpuTime()
					if all {
						s.firstOrAddAll(hs[at:at+n], lines[:n], firsts[:n])
					} else {
						for i, h := range hs[at : at+n] {
							firsts[i] = s.firstOrAdd(h, lines[i])
						}
					}
					cpu += cpuTime() - c
				}
			}
			b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkRowFilterAddRun measures the filter's side of the spills of a
// 10 M-row table: 25 runs of a full recent table's image (393,216 keys in
// 512 Ki slots) added one after the other; cpu-ns/op is the CPU time of
// the 25 (process-wide: the garbage collector's and the page faults'
// included). "ingest-heap" runs them as in a 10 M-row ingest: about 120 MB
// of other live heap (the runs' 100 MiB and 16 MiB of small objects for
// the collector to mark) under dtm's memory limit of 192 MiB, so that the
// filter's garbage costs collections and the memory the scavenger returns
// costs page faults.
func BenchmarkRowFilterAddRun(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	runs := make([][]uint64, 25)
	for r := range runs {
		runs[r] = make([]uint64, rowSetRecentSlots)
		for i := range 3 * rowSetRecentSlots / 4 {
			runs[r][i] = rng.Uint64() | 1
		}
	}
	lines := make([]uint32, rowSetRecentSlots) // the run's row numbers, as rowSpill.add passes them
	for _, heap := range []bool{false, true} {
		b.Run(map[bool]string{false: "alone", true: "ingest-heap"}[heap], func(b *testing.B) {
			var objs []*[8]int
			if heap {
				objs = make([]*[8]int, 256<<10)
				for i := range objs {
					objs[i] = new([8]int)
				}
				defer debug.SetMemoryLimit(debug.SetMemoryLimit(192 << 20))
				runtime.GC()
			}
			cpu := cpuTime()
			for b.Loop() {
				var f rowFilter
				for _, run := range runs {
					f.addRun(run, lines)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
			runtime.KeepAlive(objs)
		})
	}
}

// BenchmarkRowFilterMayHoldAll asks a filter of 9.8 M keys (25 runs, as
// after a 10 M-row table's spills) about chunks of 4 Ki new keys, in
// groups of rowSetAhead as firstOrAddAll does, 4 MiB of other memory
// written between chunks (not timed) as converting a chunk's rows evicts
// the filter's lines; cpu-ns/op is a key's CPU time.
func BenchmarkRowFilterMayHoldAll(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	var f rowFilter
	run := make([]uint64, rowSetRecentSlots)
	for range 25 {
		clear(run)
		for i := range 3 * rowSetRecentSlots / 4 {
			run[i] = rng.Uint64() | 1
		}
		f.addRun(run, nil)
	}
	probe := make([]uint64, 1<<20)
	for i := range probe {
		probe[i] = rng.Uint64()
	}
	const chunk = 4096
	other := make([]uint64, 4<<20/8)
	var maybe [rowSetAhead]bool
	var cpu time.Duration
	keys := 0
	for b.Loop() {
		for at := 0; at < len(probe); at += chunk {
			for i := range other {
				other[i] += uint64(i)
			}
			c := cpuTime()
			for g := at; g < at+chunk; g += rowSetAhead {
				f.mayHoldAll(probe[g:g+rowSetAhead], maybe[:])
			}
			cpu += cpuTime() - c
		}
		keys += len(probe)
	}
	b.ReportMetric(float64(cpu)/float64(keys), "cpu-ns/key")
}
