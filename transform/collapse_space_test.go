package transform

import (
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
