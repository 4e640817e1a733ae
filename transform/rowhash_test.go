package transform

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestRowHashIsRowEquality: on random rows of a small alphabet (spaces,
// empty cells, multi-byte text, cells of 0 to 20 bytes so that words and
// tails both matter, then cells of 240 to 269 bytes), two rows have the same rowHash exactly when their
// trimmed cells are equal, trailing empty cells left out.
func TestRowHashIsRowEquality(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"a", "b", " ", "é", "0", "\t"}
	byKey := map[string]uint64{}
	byHash := map[uint64]string{}
	// check hashes row, whose trimmed cells without the trailing empty
	// ones are cells, and fails when an equal row hashed otherwise or
	// another row the same.
	check := func(row, cells []string) {
		t.Helper()
		key := strings.Join(cells, "\x00") + fmt.Sprint("|", len(cells))
		h := rowHash(row)
		if prev, ok := byKey[key]; ok && prev != h {
			t.Fatalf("row %q: hash %x, an equal row hashed %x", row, h, prev)
		}
		if prev, ok := byHash[h]; ok && prev != key {
			t.Fatalf("rows %q and %q share hash %x", prev, key, h)
		}
		byKey[key], byHash[h] = h, key
	}
	for range 200_000 {
		row := randomRow(rng, alphabet, 5, 21)
		trimmed := make([]string, len(row))
		for i, c := range row {
			trimmed[i] = strings.TrimSpace(c)
		}
		for len(trimmed) > 0 && trimmed[len(trimmed)-1] == "" {
			trimmed = trimmed[:len(trimmed)-1]
		}
		check(row, trimmed)
	}
	// Cells around rowHashLongCell bytes (their first word holds their
	// length or not), in rows of one to three cells of "a" and "b".
	for range 50_000 {
		row := make([]string, 1+rng.IntN(3))
		for i := range row {
			b := make([]byte, 240+rng.IntN(30))
			for j := range b {
				b[j] = "ab"[rng.IntN(2)]
			}
			row[i] = string(b)
		}
		check(row, row)
	}
	if rowHash([]string{"ab", "c"}) == rowHash([]string{"a", "bc"}) {
		t.Error("cell boundaries are not hashed")
	}
	if rowHash([]string{" x ", "", " "}) != rowHash([]string{"x"}) {
		t.Error("trimmed cells and trailing empty cells are not ignored")
	}
}

// rowHashRef is rowHash written plainly: every cell trimmed by
// strings.TrimSpace, its words gathered a byte at a time, then mixed into
// two lanes by their parity.
func rowHashRef(cells []string) uint64 {
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	word := func(b []byte) uint64 {
		var w uint64
		for i, c := range b {
			w |= uint64(c) << (8 * i)
		}
		return w
	}
	var words []uint64
	for _, s := range cells[:n] {
		b := []byte(strings.TrimSpace(s))
		switch {
		case len(b) < 8:
			words = append(words, uint64(len(b))<<56|word(b))
			continue
		case len(b) < 255:
			words = append(words, uint64(len(b))<<56|word(b[:7]))
			b = b[7:]
		default:
			words = append(words, 255<<56, uint64(len(b)))
		}
		for len(b) >= 8 {
			words = append(words, word(b[:8]))
			b = b[8:]
		}
		if len(b) > 0 {
			words = append(words, word(b))
		}
	}
	lanes := [2]uint64{0x9e3779b97f4a7c15, 0x6a09e667f3bcc909}
	for i, w := range words {
		lanes[i%2] = hashMix(lanes[i%2], w)
	}
	last := len(words) % 2 // the lane the next word would go to
	return fmix64(hashMix(lanes[last], lanes[1-last]) ^ uint64(n))
}

// TestRowHashIsReference: rowHash (trim skipped on printable ends, short
// cells and tails read as overlapping words) equals the reference on hostile cells: every
// length 0 to 24, Unicode spaces at either end (NBSP, NEL, ideographic
// space, U+2028), control bytes, invalid UTF-8, a space inside, 0x7f and
// high bytes at the ends.
func TestRowHashIsReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"a", "Z", "0", " ", "\t", "\n", "\r", "\v", "\f", "\x00", "\x7f", "\u00a0", "\u0085",
		"\u3000", "\u2028", "é", "\xff", "\xc3", "~", "!", "中"}
	for range 300_000 {
		row := randomRow(rng, pieces, 6, 25)
		if got, want := rowHash(row), rowHashRef(row); got != want {
			t.Fatalf("row %q: rowHash %x, reference %x", row, got, want)
		}
	}
	lengths := []int{}
	for n := range 25 {
		lengths = append(lengths, n)
	}
	for n := 245; n < 265; n++ { // around rowHashLongCell
		lengths = append(lengths, n)
	}
	for _, n := range lengths { // every tail length, every byte value at the ends
		for _, c := range []byte{0, ' ', '!', 0x7e, 0x7f, 0x80, 0xa0, 0xff} {
			s := strings.Repeat("x", n) + string([]byte{c})
			row := []string{s, string([]byte{c}) + s, "y"}
			if got, want := rowHash(row), rowHashRef(row); got != want {
				t.Fatalf("row %q: rowHash %x, reference %x", row, got, want)
			}
		}
	}
}

// randomRow returns a row of fewer than maxCells cells, each made of fewer
// than maxPieces pieces drawn from pieces.
func randomRow(rng *rand.Rand, pieces []string, maxCells, maxPieces int) []string {
	row := make([]string, rng.IntN(maxCells))
	for i := range row {
		var sb strings.Builder
		for range rng.IntN(maxPieces) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		row[i] = sb.String()
	}
	return row
}

// BenchmarkRowHash hashes 4 Ki rows shaped as the bench's site CSV (20
// cells: codes, names, coordinates, dates, counts, a few quoted with
// commas, an empty cell now and then); cpu-ns/op is a row's CPU time.
func BenchmarkRowHash(b *testing.B) {
	rng := rand.New(rand.NewPCG(11, 12))
	rows := make([][]string, 4096) // a chunk: its text in the caches, as after parsing
	for i := range rows {
		n := func(lo, hi int) string { return fmt.Sprint(lo + rng.IntN(hi-lo)) }
		rows[i] = []string{"SDN", "West Darfur", "SD0" + n(1, 9), "County " + n(1, 13), "SD03" + n(10, 99),
			"Payam " + n(1, 9), "SD0309" + n(10, 99), fmt.Sprintf("SDN-%07d", i), "West Darfur site " + n(1, 99999),
			[]string{"Camp", "Displacement site", "Collective Centre"}[rng.IntN(3)],
			fmt.Sprintf("%.5f", 5+10*rng.Float64()), fmt.Sprintf("%.5f", 20+10*rng.Float64()),
			[]string{"SA", "ETT"}[rng.IntN(2)], "R3" + n(0, 9), fmt.Sprintf("2025-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28)),
			n(10, 2000), []string{n(100, 999), n(1, 9) + "," + n(100, 999)}[rng.IntN(2)], n(100, 4000), n(100, 4000),
			[]string{"Conflict", "Conflict; Flood", "", "Natural disaster"}[rng.IntN(4)]}
	}
	var text strings.Builder // the cells in one block, as the CSV reader gives them
	for _, r := range rows {
		for _, c := range r {
			text.WriteString(c)
		}
	}
	all := text.String()
	for _, r := range rows {
		for j, c := range r {
			r[j], all = all[:len(c)], all[len(c):]
		}
	}
	var sum uint64
	cpu := cpuTime()
	for b.Loop() {
		for _, r := range rows {
			sum += rowHash(r)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/float64(len(rows)), "cpu-ns/row")
	if sum == 42 {
		b.Log(sum)
	}
}
