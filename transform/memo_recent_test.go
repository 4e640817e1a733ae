package transform

import (
	"fmt"
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

// TestDateRangeIsParseDate: Converter.dateRange (a direct-mapped table)
// answers c.parseDate on hostile date cells in runs, alternating and
// shuffled, for each date order, switching orders on one converter (the
// memo starts again), and on cells that share a slot, in turn.
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
	// Cells that share a slot replace each other, and still answer.
	bySlot := map[uint64][]string{}
	for i := range 20_000 {
		raw := manyDate(i)
		k := cellSlot(raw) & (dateEndSlots - 1)
		if len(bySlot[k]) < 3 {
			bySlot[k] = append(bySlot[k], raw)
		}
	}
	for _, cells := range bySlot {
		if len(cells) < 2 {
			continue
		}
		for range 3 {
			for _, raw := range cells {
				s, e, ok := c.dateRange(raw, cast.DateOrderDMY)
				ws, we, wmissing, werr := ref.parseDate(raw, cast.DateOrderDMY)
				if ok != (werr == nil && !wmissing) || (ok && (!s.Equal(ws) || !e.Equal(we))) {
					t.Fatalf("colliding cell %q: dateRange = %v %v %v, parseDate = %v %v %v %v", raw, s, e, ok, ws, we, wmissing, werr)
				}
			}
		}
	}
}

// manyDate is the i-th of many distinct date cells (days, ranges, two
// orders of writing).
func manyDate(i int) string {
	d := 1 + i%28
	m := 1 + (i/28)%12
	y := 1990 + (i/336)%60
	switch i % 3 {
	case 0:
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	case 1:
		return fmt.Sprintf("%d/%d/%d", d, m, y)
	}
	return fmt.Sprintf("%d - %d %s %d", d, min(28, d+3), []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}[m-1], y)
}
