package transform

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestCollapseSpace(t *testing.T) {
	for _, s := range []string{"", " ", "a", "Juba site 1", " a", "a ", "a  b", "a\tb", "a\u00a0b", "é  x", "  ", "a b c", "x\n", "Collective Centre",
		"Total général", "Goz Beïda", "ኢትዮጵያ ሶማሌ", "a\u2003b", "a\u0085", "\u00a0a", "\xffa b", "a\xff", "\xe2\x80", "é", "a é"} {
		want := strings.Join(strings.Fields(s), " ")
		if got := collapseSpace(s); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzCollapseSpace(f *testing.F) {
	for _, s := range []string{"", "a  b", " x ", "\u2003y", "Juba site 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestCollapseSpaceWords: random texts of 0 to 40 bytes from pieces that
// put spaces, pairs of spaces, control bytes, 0x7f and multi-byte spaces
// and letters on either side of every 8-byte word boundary give
// strings.Fields' answer.
func TestCollapseSpaceWords(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", "b", "a", "Z", " ", " ", "\t", "\x7f", "\x1f", "é", "\u00a0", "\u2003", "~"}
	for range 300_000 {
		var sb strings.Builder
		for n := rng.IntN(40); sb.Len() < n; {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := sb.String()
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

// BenchmarkCollapseSpace collapses clean site ids and names (the common
// case: nothing to collapse).
func BenchmarkCollapseSpace(b *testing.B) {
	cells := []string{"SDN-0000001", "West Darfur site 1", "Upper Nile site 998", "SSD-0001003", "Camp Kalma", "Displacement site"}
	n := 0
	for b.Loop() {
		for _, s := range cells {
			n += len(collapseSpace(s))
		}
	}
	_ = n
}
