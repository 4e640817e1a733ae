package cast

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitMulti(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  ", nil},
		{"n/a", nil},
		{"Not available", nil},
		{"Communal clashes ", []string{"Communal clashes"}},
		{"Armed attacks; Floods", []string{"Armed attacks", "Floods"}},
		{"Armed attacks;Floods;", []string{"Armed attacks", "Floods"}},
		{"Armed attacks | Floods", []string{"Armed attacks", "Floods"}},
		{"Armed attacks\nFloods\r\nDrought", []string{"Armed attacks", "Floods", "Drought"}},
		{"Floods; floods; Floods", []string{"Floods", "floods"}},
		{"Conflict; Not available; ; n/a", []string{"Conflict"}},
		{"climate_floods armed_conflict", []string{"climate_floods", "armed_conflict"}},
		{"climate_floods  armed_conflict climate_floods", []string{"climate_floods", "armed_conflict"}},
		{"conflict other1", []string{"conflict", "other1"}},
		{"climate_floods", []string{"climate_floods"}},
		{"Armed conflict", []string{"Armed conflict"}},
		{"Inondation, conflit", []string{"Inondation, conflit"}},
		{"Attaques armées", []string{"Attaques armées"}},
		{"armed_conflict Floods", []string{"armed_conflict Floods"}},
		{"\u00a0Inondation\u00a0; Sécheresse ", []string{"Inondation", "Sécheresse"}},
		{"Communal   clashes", []string{"Communal clashes"}},
		{"a-b c", []string{"a-b c"}},
	}
	for _, c := range cases {
		if got := SplitMulti(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("SplitMulti(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzSplitMulti(f *testing.F) {
	for _, s := range []string{"a; b", "climate_floods armed_conflict", "Communal clashes ", "", ";;",
		"a|b\nc", "x x x", "n/a; -", "\u00a0;\u00a0", "a;  b  c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items := SplitMulti(s)
		if items != nil && len(items) == 0 {
			t.Fatalf("SplitMulti(%q) returned an empty non-nil slice", s)
		}
		seen := map[string]bool{}
		for _, it := range items {
			if it == "" || it != Trim(it) || IsMissing(it) {
				t.Fatalf("SplitMulti(%q): bad item %q", s, it)
			}
			if strings.ContainsAny(it, ";|\n\r") {
				t.Fatalf("SplitMulti(%q): item %q holds a separator", s, it)
			}
			if seen[it] {
				t.Fatalf("SplitMulti(%q): duplicate %q", s, it)
			}
			seen[it] = true
		}
	})
}
