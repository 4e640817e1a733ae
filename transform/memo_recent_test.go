package transform

import (
	"math/rand/v2"
	"testing"
	"unsafe"
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
