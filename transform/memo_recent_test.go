package transform

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"

	"github.com/iom-dtm/dtm/transform/cast"
)

// hostileRounds are round labels that parse, do not parse, differ only
// by spaces or case, and are empty.
var hostileRounds = []string{"R38", "R38 ", " R38", "r38", "Round 38", "38", "R 38", "R3", "R", "", " ",
	"NA", "n/a", "12.5", "Round 3 (2024)", "R-1", "R٣", "R\u00a038", "x", "R38R39", "99999999999999999999"}

// TestRecentRoundsAreParseRound: convMemo.round (recent labels, then the
// map) answers ParseRound on hostile labels in runs, alternating between
// more labels than the recent list holds, and shuffled, with labels in
// reused buffers (a later label's bytes overwrite an earlier one's).
func TestRecentRoundsAreParseRound(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	var seqs [][]string
	var runs, alt, shuffled []string
	for i := range 400 {
		runs = append(runs, hostileRounds[(i/17)%len(hostileRounds)])
		alt = append(alt, hostileRounds[i%6])
		shuffled = append(shuffled, hostileRounds[rng.IntN(len(hostileRounds))])
	}
	seqs = append(seqs, runs, alt, shuffled)
	for si, seq := range seqs {
		var m convMemo
		buf := make([]byte, 64)
		for i, label := range seq {
			raw := string(append(buf[:0], label...)) // a copy: the memo must keep its own
			n, ok := m.round(raw)
			wn, wok := ParseRound(label)
			if n != wn || ok != wok {
				t.Fatalf("sequence %d, label %d %q: round = %d, %v, want %d, %v", si, i, label, n, ok, wn, wok)
			}
		}
	}
	var m convMemo // a label read through reused memory
	b := []byte("R38")
	unsafeLabel := func() string { return unsafe.String(&b[0], len(b)) }
	m.round(unsafeLabel())
	copy(b, "R39")
	if n, _ := m.round(unsafeLabel()); n != 39 {
		t.Fatalf("a label in reused memory answered %d, want 39: the memo kept the caller's bytes", n)
	}
}

// hostileDates are date cells of every shape applyDateEnd meets: ISO,
// day- and month-first, ranges, months, serials, empty and not dates.
var hostileDates = []string{"2025-09-14", "2025-09-14 ", " 2025-09-14", "14/09/2025", "09/14/2025", "03/04/2025",
	"16 - 23 Jan 2023", "16-23 Jan 2023", "Jan 2023", "January 2023", "2023", "45000", "45000.5", "",
	" ", "NA", "not a date", "2025-02-30", "31/12/1999", "1/2/03", "2025-09-14T10:00:00", "20250914",
	"12 - 11 Jan 2023", "1 Jan - 3 Feb 2024"}

// TestDateRangeIsParseDate: Converter.dateRange (the last cell, then the
// map) answers c.parseDate on hostile date cells in runs, alternating and
// shuffled, for each date order, switching orders on one converter (the
// memo starts again), and past its bound.
func TestDateRangeIsParseDate(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	c := &Converter{m: &Mapping{}}
	ref := &Converter{m: &Mapping{}}
	orders := []cast.DateOrder{cast.DateOrderAuto, cast.DateOrderDMY, cast.DateOrderMDY}
	for i := range 3000 {
		ord := orders[(i/500)%len(orders)]
		if i >= 1500 {
			ord = orders[rng.IntN(len(orders))]
		}
		var raw string
		switch {
		case i%500 < 200:
			raw = hostileDates[(i/7)%len(hostileDates)]
		case i%500 < 350:
			raw = hostileDates[i%5]
		default:
			raw = hostileDates[rng.IntN(len(hostileDates))]
		}
		raw = strings.Clone(raw)
		s, e, ok := c.dateRange(raw, ord)
		ws, we, wmissing, werr := ref.parseDate(raw, ord)
		wok := werr == nil && !wmissing
		if ok != wok || (ok && (!s.Equal(ws) || !e.Equal(we))) {
			t.Fatalf("cell %d %q order %v: dateRange = %v %v %v, parseDate = %v %v %v %v", i, raw, ord, s, e, ok, ws, we, wmissing, werr)
		}
	}
	for i := range convMemoMax + 5 {
		c.dateRange(strings.Repeat("1", 1+i%7)+string(rune('a'+i%26))+strings.Repeat("x", i/182), cast.DateOrderAuto)
	}
	if n := len(c.memo.dates.byCell); n > convMemoMax {
		t.Errorf("date memo holds %d cells, bound %d", n, convMemoMax)
	}
}
