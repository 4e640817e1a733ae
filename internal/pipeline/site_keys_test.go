package pipeline

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"syscall"
	"testing"

	"github.com/iom-dtm/dtm/internal/bench/synth"
)

// TestSiteKeysBlocks: keys spread over many key and entry blocks, some
// longer than a block, are found with their first row and sheet, listed
// in the order first seen, and the set stops at maxSiteKeys.
func TestSiteKeysBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	k := &siteKeys{}
	type first struct {
		sheet string
		row   int64
	}
	want := map[string]first{}
	var order []string
	for i := range 3 * siteEntryBlock {
		n := 1 + r.IntN(80)
		if i%1000 == 7 {
			n = siteKeyBlock + r.IntN(3*siteKeyBlock) // longer than a block
		}
		key := fmt.Sprintf("%d|%s", r.IntN(2*siteEntryBlock), strings.Repeat(string(rune('a'+i%26)), n))
		if i%3 == 0 && len(order) > 0 {
			key = order[r.IntN(len(order))] // seen before: keeps its first row
		}
		sheet := fmt.Sprintf("s%d", i%3)
		if !k.insert([]byte(key), sheet, int64(i+2)) {
			t.Fatalf("insert %d refused", i)
		}
		if _, ok := want[key]; !ok {
			want[key] = first{sheet, int64(i + 2)}
			order = append(order, key)
		}
	}
	if k.size() != len(want) || len(k.blocks) < 2 || len(k.entries) < 2 {
		t.Fatalf("size %d (want %d), %d key blocks, %d entry blocks", k.size(), len(want), len(k.blocks), len(k.entries))
	}
	for key, w := range want {
		got, ok := k.lookup(key)
		if !ok || got.sheet != w.sheet || got.row != w.row {
			t.Fatalf("lookup(%.40q) = %+v %v, want %+v", key, got, ok, w)
		}
	}
	if _, ok := k.lookup("absent"); ok {
		t.Fatal("an absent key is found")
	}
	i := 0
	k.each(func(key string, r siteRow) {
		if key != order[i] || r.row != want[key].row {
			t.Fatalf("each: key %d is %.40q row %d, want %.40q", i, key, r.row, order[i])
		}
		i++
	})
	if i != len(order) {
		t.Fatalf("each listed %d keys of %d", i, len(order))
	}

	full := &siteKeys{}
	for i := range maxSiteKeys {
		if !full.insert([]byte(fmt.Sprint("k", i)), "", int64(i)) {
			t.Fatalf("insert %d refused", i)
		}
	}
	if full.insert([]byte("one more"), "", 1) || !full.insert([]byte("k7"), "", 1) {
		t.Fatal("a new key past the bound is taken, or a known one refused")
	}
	if r, ok := full.lookup("k199999"); !ok || r.row != 199999 {
		t.Fatalf("last key: %+v %v", r, ok)
	}
}

// BenchmarkSiteKeys: what the writer of an ingest pays to remember its
// site-rounds (siteKeys.add), on the records of 250 k rows of the bench's
// synthetic CSV (every row a new site: the set fills to maxSiteKeys and
// stops).
func BenchmarkSiteKeys(b *testing.B) {
	const n = 250_000
	recs, err := synth.SiteRecords(n)
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	var ru0, ru1 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	for b.Loop() {
		k := &siteKeys{}
		for _, r := range recs {
			k.add(r)
		}
		if k.size() != maxSiteKeys || !k.truncated {
			b.Fatalf("%d keys, truncated %v", k.size(), k.truncated)
		}
	}
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*maxSiteKeys), "ns/key")
	b.ReportMetric(float64(cpu)/float64(b.N*maxSiteKeys), "cpu-ns/key")
}
