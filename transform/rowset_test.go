package transform

import (
	"math/rand/v2"
	"testing"
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

// TestRowSetSpillFails: without a usable temporary directory, the recent
// table grows in memory past its bound, the answers stay exact, and the
// error is given once.
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
	if s.takeErr() != nil {
		t.Fatal("the error is given twice")
	}
}

// TestRowFilter: no false negatives, and about the false positives the
// doc comment states at 3/4 full.
func TestRowFilter(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var f rowFilter
	const n = 3 << 16 // 3/4 of 256 Ki slots
	f.reset(n)
	if len(f.fps) != 1<<18 {
		t.Fatalf("%d slots for %d keys", len(f.fps), n)
	}
	in := make([]uint64, n)
	for i := range in {
		in[i] = rng.Uint64()
		f.add(in[i])
	}
	for _, h := range in {
		if !f.mayHold(h) {
			t.Fatalf("%x added but not held", h)
		}
	}
	fp := 0
	const tries = 1 << 20
	for range tries {
		if f.mayHold(rng.Uint64()) {
			fp++
		}
	}
	if rate := float64(fp) / tries; rate > 3e-4 {
		t.Fatalf("false positives %.2g at 3/4 full (doc: about 1.3e-4)", rate)
	}
}

// BenchmarkRowSet measures the duplicate check's set on 1 M distinct rows.
func BenchmarkRowSet(b *testing.B) {
	hs := make([]uint64, 1<<20)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range hs {
		hs[i] = rng.Uint64()
	}
	for b.Loop() {
		var s rowSet
		for i, h := range hs {
			s.firstOrAdd(h, i+1)
		}
	}
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
