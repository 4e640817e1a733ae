package transform

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// strIndexPool returns hostile strings: every length from 0 to 40 bytes,
// strings that differ in one byte anywhere (first, middle, last, in and
// between strWords' words), NUL bytes, invalid UTF-8, equal words at
// different lengths (a prefix and a suffix of the same text), and DTM
// cells.
func strIndexPool(rnd *rand.Rand) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for n := range 41 {
		base := []byte(strings.Repeat("a", n))
		add(string(base))
		for i := range n {
			for _, c := range []byte{0, 'b', 0xff} {
				b := append([]byte(nil), base...)
				b[i] = c
				add(string(b))
			}
		}
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rnd.IntN(4)) // few byte values: many near misses
		}
		add(string(b))
		add(strings.Repeat("\x00", n))
	}
	for _, s := range []string{"SD020605", "SD0206", "2025-09-14", "14/09/2025", "South Darfur", "Central Darfur, block B site 1986",
		"North Darfur site 1986", "North Darfur site 1987", "Payam\u00a07", "قرية", "\xff\xfe", "12345678", "123456789", "1234567812345678"} {
		add(s)
		add(s + s)
		add(s[:len(s)/2])
	}
	return out
}

// TestStrIndexIsAMap: an index numbers and finds exactly what a map does,
// on hostile strings added in random order, looked up found and not found,
// across growths, until it is full.
func TestStrIndexIsAMap(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 5))
	pool := strIndexPool(rnd)
	for trial := range 4 {
		rnd.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
		var x strIndex
		ref := map[string]int32{}
		for i, s := range pool {
			if trial%2 == 1 && i%3 == 0 {
				s = string([]byte(s)) // another copy of the bytes
			}
			if got := x.find(s); got != -1 {
				t.Fatalf("trial %d: %q found as %d before it was added", trial, s, got)
			}
			id := x.add(s)
			if id != int32(len(ref)) {
				t.Fatalf("trial %d: %q numbered %d, want %d", trial, s, id, len(ref))
			}
			ref[s] = id
			if i%7 == 0 {
				for k, want := range ref {
					if got := x.find(string([]byte(k))); got != want {
						t.Fatalf("trial %d: find(%q) = %d, want %d", trial, k, got, want)
					}
				}
			}
		}
		for _, s := range pool {
			for _, probe := range []string{s + "x", "x" + s, s + "\x00"} {
				want, ok := ref[probe]
				if !ok {
					want = -1
				}
				if got := x.find(probe); got != want {
					t.Fatalf("trial %d: find(%q) = %d, want %d", trial, probe, got, want)
				}
			}
		}
		if len(x.keys) != len(ref) {
			t.Fatalf("trial %d: %d strings, want %d", trial, len(x.keys), len(ref))
		}
	}
}

// TestStrIndexFull: an index holds at most maxStrIndex strings; past
// that, add refuses and the strings held are still found.
func TestStrIndexFull(t *testing.T) {
	var x strIndex
	for i := range maxStrIndex + 10 {
		s := fmt.Sprintf("cell %d", i)
		id := x.add(s)
		if i < maxStrIndex && id != int32(i) || i >= maxStrIndex && id != -1 {
			t.Fatalf("add #%d = %d", i, id)
		}
	}
	for _, i := range []int{0, 1, 4095, maxStrIndex - 1} {
		if got := x.find(fmt.Sprintf("cell %d", i)); got != int32(i) {
			t.Errorf("find(cell %d) = %d", i, got)
		}
	}
	if got := x.find(fmt.Sprintf("cell %d", maxStrIndex)); got != -1 {
		t.Errorf("a refused string is found: %d", got)
	}
}
