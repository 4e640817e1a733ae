package cast

import (
	"strings"
	"testing"
)

// TestParseIntRealWorldForms: the number forms of real files besides
// ASCII digits: minus signs of every kind and accounting parentheses
// (negative counts the converter then refuses as negative, not as "not a
// number"), digits of other scripts, space and apostrophe thousands.
func TestParseIntRealWorldForms(t *testing.T) {
	ok := []struct {
		in   string
		want int64
	}{
		{"−2", -2}, {"\u22122", -2}, {"–2", -2}, {"- 2", -2}, {"− 2", -2}, {"‐7", -7}, {"－7", -7},
		{"(3)", -3}, {"( 3 )", -3}, {"（7）", -7}, {"(1,234)", -1234}, {"(1 234)", -1234}, {"(0)", 0},
		{"١٢٣", 123}, {"۱۲۳", 123}, {"١٬٢٣٤", 1234}, {"۱٬۲۳۴٬۵۶۷", 1234567}, {"١٢٫٠", 12},
		{"\u200f١٢٣\u200f", 123}, {"−١٢", -12}, {"١,٢٣٤", 1234},
		{"１２", 12}, {"１，２３４", 1234}, {"＋５", 5}, {"৪৫", 45}, {"४५", 45}, {"၁၂", 12},
		{"1\u00a0234", 1234}, {"1\u202f234", 1234}, {"12\u202f345\u202f678", 12345678},
		{"1'234", 1234}, {"1’234", 1234}, {"+ 5", 5},
	}
	for _, c := range ok {
		v, missing, err := ParseInt(c.in)
		if err != nil || missing || v != c.want {
			t.Errorf("ParseInt(%q) = %d, %v, %v; want %d", c.in, v, missing, err, c.want)
		}
	}
	for _, s := range []string{"–", "—", "−", " – "} {
		if v, missing, err := ParseInt(s); !missing || err != nil || v != 0 {
			t.Errorf("ParseInt(%q) = %d, %v, %v; want missing", s, v, missing, err)
		}
	}
	bad := []struct{ in, msg string }{
		{"(-3)", "not a number"}, {"-(3)", "not a number"}, {"(3", "not a number"}, {"3)", "not a number"},
		{"()", "not a number"}, {"( )", "not a number"}, {"--3", "not a number"}, {"−−3", "not a number"},
		{"1–2", "not a number"}, {"12%", "percentage"}, {"(12%)", "not a number"}, {"12 %", "percentage"},
		{"١٫٢٣٤", "not a whole number"}, {"١٢٫٥", "not a whole number"}, {"١٫٢٫٣", "not a number"},
		{"- -3", "not a number"}, {"(+3)", "not a number"},
	}
	for _, c := range bad {
		v, missing, err := ParseInt(c.in)
		if err == nil || missing || v != 0 {
			t.Errorf("ParseInt(%q) = %d, %v, %v; want error", c.in, v, missing, err)
			continue
		}
		if !strings.Contains(err.Error(), c.msg) {
			t.Errorf("ParseInt(%q) error %q, want it to contain %q", c.in, err, c.msg)
		}
	}
}

func TestParseFloatRealWorldForms(t *testing.T) {
	ok := []struct {
		in   string
		want float64
	}{
		{"−4,5", -4.5}, {"–4.5", -4.5}, {"(2.5)", -2.5}, {"١٢٫٥", 12.5}, {"۳۴٫۵۶۷", 34.567},
		{"１２．５", 12.5}, {"- 13.25", -13.25},
	}
	for _, c := range ok {
		v, missing, err := ParseFloat(c.in)
		if err != nil || missing || v != c.want {
			t.Errorf("ParseFloat(%q) = %v, %v, %v; want %v", c.in, v, missing, err, c.want)
		}
	}
	for _, s := range []string{"45%", "(-2.5)", "1–2"} {
		if _, _, err := ParseFloat(s); err == nil {
			t.Errorf("ParseFloat(%q) is no error", s)
		}
	}
}

func TestParseCount(t *testing.T) {
	ok := []struct {
		in   string
		want int64
		unit CountUnit
	}{
		{"12", 12, UnitNone}, {"12 HH", 12, UnitHouseholds}, {"12HH", 12, UnitHouseholds},
		{"12 hh", 12, UnitHouseholds}, {"7 ménages", 7, UnitHouseholds}, {"1 234 Households", 1234, UnitHouseholds},
		{"30 familles", 30, UnitHouseholds}, {"5 hogares", 5, UnitHouseholds}, {"250 ind.", 250, UnitPersons},
		{"1,250 individuals", 1250, UnitPersons}, {"40 personnes", 40, UnitPersons}, {"9 pers.", 9, UnitPersons},
		{"(3) HH", -3, UnitHouseholds}, {"١٢ HH", 12, UnitHouseholds}, {"3 people", 3, UnitPersons},
	}
	for _, c := range ok {
		v, unit, missing, err := ParseCount(c.in)
		if err != nil || missing || v != c.want || unit != c.unit {
			t.Errorf("ParseCount(%q) = %d, %v, %v, %v; want %d %v", c.in, v, unit, missing, err, c.want, c.unit)
		}
	}
	for _, s := range []string{"", "n/a", "-"} {
		if _, _, missing, err := ParseCount(s); !missing || err != nil {
			t.Errorf("ParseCount(%q) not missing (%v)", s, err)
		}
	}
	for _, s := range []string{"HH", "12 apples", "12.5 HH", "abc", "12 HH 3", "HH 12", "12 %", "12 .", "n/a HH"} {
		v, unit, missing, err := ParseCount(s)
		if err == nil || missing || v != 0 || unit != UnitNone {
			t.Errorf("ParseCount(%q) = %d, %v, %v, %v; want error", s, v, unit, missing, err)
		}
	}
}

func FuzzFoldNumber(f *testing.F) {
	for _, s := range []string{"(3)", "−2", "١٬٢٣٤", "۱۲٫۵", "12%", "１２", "- 2", "(", ")", "(-)", "12 HH"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, missing, err := ParseInt(s)
		if (err != nil || missing) && v != 0 {
			t.Fatalf("ParseInt(%q) = %d with err %v, missing %v", s, v, err, missing)
		}
		c, _, cmissing, cerr := ParseCount(s)
		if err == nil && (cerr != nil || c != v || cmissing != missing) {
			t.Fatalf("ParseCount(%q) = %d, %v; ParseInt %d", s, c, cerr, v)
		}
		if x, _, ferr := ParseFloat(s); ferr == nil && (x != x) {
			t.Fatalf("ParseFloat(%q) NaN", s)
		}
	})
}
