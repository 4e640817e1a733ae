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
	if 4*s.len() > 3*len(s.hashes) {
		t.Fatalf("%d keys in %d slots: over 3/4", s.len(), len(s.hashes))
	}
	var z rowSet
	if z.firstOrAdd(0, 5) != 0 || z.firstOrAdd(0, 9) != 5 {
		t.Error("hash 0 is not recorded")
	}
	if z.firstOrAdd(42, 0) != 0 || z.firstOrAdd(42, 1<<32) != 0 || z.firstOrAdd(42, 3) != 0 || z.firstOrAdd(42, 4) != 3 {
		t.Error("row numbers out of range are recorded")
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
