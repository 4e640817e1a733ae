package utils

// dtm patch: tests of PutBatchIndices and writeLiterals (rle.go), the only
// tests kept in this copy of arrow-go. Run them from dtm's root with the
// command in third_party/README.md.

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// indexRuns is n indices below 1<<width in runs of random lengths (1 to
// maxRun), as dictionary columns give.
func indexRuns(rng *rand.Rand, n, width, maxRun int) []int32 {
	out := make([]int32, 0, n)
	for len(out) < n {
		v := int32(rng.IntN(1 << width))
		for range min(1+rng.IntN(maxRun), n-len(out)) {
			out = append(out, v)
		}
	}
	return out
}

// encodeIndices RLE-encodes values with a Put each (batch false) or with
// PutBatchIndices in pieces of at most piece values.
func encodeIndices(t *testing.T, values []int32, width int, batch bool, piece int) []byte {
	buf := make([]byte, MaxRLEBufferSize(width, len(values))+16)
	enc := NewRleEncoder(NewWriterAtBuffer(buf), width)
	if batch {
		for len(values) > 0 {
			k := min(piece, len(values))
			if err := enc.PutBatchIndices(values[:k]); err != nil {
				t.Fatal(err)
			}
			values = values[k:]
		}
	} else {
		for _, v := range values {
			if err := enc.Put(uint64(v)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return buf[:enc.Flush()]
}

// TestPutBatchIndicesSameBytes: PutBatchIndices writes the bytes a Put of
// each index writes, and they decode to the indices.
func TestPutBatchIndicesSameBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 3000 {
		width := 1 + trial%20
		n := rng.IntN(3000)
		maxRun := []int{1, 2, 5, 9, 40, 1000}[trial%6]
		values := indexRuns(rng, n, width, maxRun)
		piece := []int{1, 3, 8, 1024, n + 1}[trial%5]
		want := encodeIndices(t, values, width, false, 0)
		got := encodeIndices(t, values, width, true, piece)
		if !bytes.Equal(got, want) {
			t.Fatalf("trial %d (width %d, %d values, runs up to %d, pieces of %d): batch bytes differ from Put's", trial, width, n, maxRun, piece)
		}
		dec := NewRleDecoder(bytes.NewReader(got), width)
		back := make([]uint64, n)
		if k, err := dec.GetBatch(back); err != nil || k != n {
			t.Fatalf("trial %d: decoded %d of %d (%v)", trial, k, n, err)
		}
		for i, v := range values {
			if back[i] != uint64(v) {
				t.Fatalf("trial %d: value %d decoded %d, want %d", trial, i, back[i], v)
			}
		}
	}
}

// TestWriteLiteralsPacked: a group of literals packed into words writes
// the bits a WriteValue of each value writes, at any bit offset.
func TestWriteLiteralsPacked(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 2000 {
		width := 1 + trial%24
		lead := uint(rng.IntN(64))
		group := make([]uint64, 8)
		for i := range group {
			group[i] = rng.Uint64N(1 << width)
		}
		want := make([]byte, 64)
		ref := NewBitWriter(NewWriterAtBuffer(want))
		ref.WriteValue(rng.Uint64N(1<<lead|1)&(1<<lead-1), lead)
		for _, v := range group {
			ref.WriteValue(v, uint(width))
		}
		ref.Flush(false)
		got := make([]byte, 64)
		enc := NewRleEncoder(NewWriterAtBuffer(got), width)
		enc.w.WriteValue(0, lead)
		enc.buffer = append(enc.buffer[:0], group...)
		if err := enc.writeLiterals(); err != nil {
			t.Fatal(err)
		}
		enc.w.Flush(false)
		// The leading bits: written as zeros here, masked out of want.
		for i := range want {
			keep := byte(0xff)
			if uint(8*i+8) <= lead {
				keep = 0
			} else if uint(8*i) < lead {
				keep = 0xff << (lead - uint(8*i))
			}
			want[i] &= keep
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("trial %d (width %d after %d bits): packed %x, want %x", trial, width, lead, got, want)
		}
	}
}
