package cast

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestParseInt(t *testing.T) {
	ok := []struct {
		in   string
		want int64
	}{
		{"0", 0}, {"7", 7}, {"1234", 1234}, {"007", 7}, {" 42 ", 42}, {"+5", 5}, {"-3", -3},
		{"-0", 0}, {"1,234", 1234}, {"12,345,678", 12345678}, {"1 234", 1234},
		{"1\u00a0234", 1234}, {"1\u202f234\u202f567", 1234567}, {"1\u2009234", 1234},
		{"1.234", 1234}, {"1.234.567", 1234567}, {"12.000", 12000}, {"1'234", 1234},
		{"1’234’567", 1234567}, {"12.0", 12}, {"12,0", 12}, {"12.00", 12}, {"1,234.00", 1234},
		{"1.234,0", 1234}, {"1 234,0", 1234}, {"1 234.00", 1234}, {"0.0", 0}, {"0,000", 0},
		{"\u00a012\u00a0", 12}, {"12.", 12}, {"−8", -8}, {"12,34,567", 1234567},
		{"9223372036854775807", math.MaxInt64}, {"-9223372036854775808", math.MinInt64},
		{"9,223,372,036,854,775,807", math.MaxInt64}, {"123456789012345678", 123456789012345678},
	}
	for _, c := range ok {
		v, missing, err := ParseInt(c.in)
		if err != nil || missing || v != c.want {
			t.Errorf("ParseInt(%q) = %d, %v, %v; want %d", c.in, v, missing, err, c.want)
		}
	}
	for _, s := range []string{"", " ", "n/a", "NA", "NaN", "nan", "NULL", "-", "--", "Not available", "#N/A", "none"} {
		v, missing, err := ParseInt(s)
		if err != nil || !missing || v != 0 {
			t.Errorf("ParseInt(%q) = %d, %v, %v; want missing", s, v, missing, err)
		}
	}
	bad := []struct{ in, msg string }{
		{"12.5", `"12.5" is not a whole number`},
		{"1,5", `"1,5" is not a whole number`},
		{"0,500", "not a whole number"},
		{"1.2345", "not a whole number"},
		{"1.234,5", "not a whole number"},
		{"9223372036854775808", "too large"},
		{"-9223372036854775809", "too large"},
		{"99999999999999999999999", "too large"},
		{"1e308", "not a whole number"},
		{"1E5", "not a whole number"},
		{"Inf", "not a number"},
		{"-inf", "not a number"},
		{"Infinity", "not a number"},
		{"abc", `"abc" is not a number`},
		{"yes", "not a number"},
		{"12abc", "not a number"},
		{"1,2,3", "not a number"},
		{"12 34", "not a number"},
		{"1,234,5", "not a number"},
		{"1.234 567", "not a number"},
		{"1,,234", "not a number"},
		{",234", "not a number"},
		{".", "not a number"},
		{".5", "not a number"},
		{"+", "not a number"},
		{"--5", "not a number"},
		{"+-5", "not a number"},
		{"0x10", "not a number"},
		{"1_000", "not a number"},
		{"12%", "not a number"},
		{"1.234.56", "not a number"},
		{"1 234 56", "not a number"},
		{"1234,567,890", "not a number"},
		{"1,234.5.6", "not a number"},
		{strings.Repeat("1,", 40) + "1", "not a number"},
		{strings.Repeat("1 000 ", 40), "not a number"},
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

func TestParseIntFastPathNoAlloc(t *testing.T) {
	for _, s := range []string{"0", "1234", "-17", "123456789012345678", " 42 "} {
		if n := testing.AllocsPerRun(100, func() { _, _, _ = ParseInt(s) }); n != 0 {
			t.Errorf("ParseInt(%q) allocates %v times", s, n)
		}
	}
}

func TestParseFloat(t *testing.T) {
	ok := []struct {
		in   string
		want float64
	}{
		{"12.5", 12.5}, {"12,5", 12.5}, {"-4.123456", -4.123456}, {"1,234.5", 1234.5},
		{"1.234,5", 1234.5}, {"1 234,5", 1234.5}, {"1\u00a0234,5", 1234.5}, {"1'234.5", 1234.5},
		{"1.5e3", 1500}, {"1,5E-2", 0.015}, {"2E+2", 200}, {"0", 0}, {"42", 42}, {"+3.25", 3.25},
		{".5", 0.5}, {"-.5", -0.5}, {"1.234.567", 1234567}, {"1,234", 1.234}, {"1 234", 1234},
		{"12.0", 12}, {" 13.45 ", 13.45}, {"−2,5", -2.5}, {"1e308", 1e308}, {"1e-400", 0},
		{"1.234.567,89", 1234567.89}, {"5.", 5}, {"1 234.", 1234}, {"1,234,567.89", 1234567.89},
	}
	for _, c := range ok {
		v, missing, err := ParseFloat(c.in)
		if err != nil || missing || math.Abs(v-c.want) > 1e-12*math.Max(1, math.Abs(c.want)) {
			t.Errorf("ParseFloat(%q) = %v, %v, %v; want %v", c.in, v, missing, err, c.want)
		}
	}
	for _, s := range []string{"", "nan", "NaN", "n/a", "NULL", "-", "Not available"} {
		v, missing, err := ParseFloat(s)
		if err != nil || !missing || v != 0 {
			t.Errorf("ParseFloat(%q) = %v, %v, %v; want missing", s, v, missing, err)
		}
	}
	bad := []string{"Inf", "+Inf", "-Infinity", "infinity", "1e309", "-1e400000", "1e99999",
		"abc", strings.Repeat("1.", 33), strings.Repeat("9", 400), "12.5.6,7", "1,2,3", "1.2.3", "0x1p3", "1_0", "12..5", "1e", "e5", "1e+",
		"1,5,5", ".", ",", "12 3", "4°", "1.234,5,6"}
	for _, s := range bad {
		v, missing, err := ParseFloat(s)
		if err == nil || missing || v != 0 {
			t.Errorf("ParseFloat(%q) = %v, %v, %v; want error", s, v, missing, err)
		}
	}
	if _, _, err := ParseFloat("1e309"); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("ParseFloat(1e309) error %v, want too large", err)
	}
}

func TestParseFloatPlainNoAlloc(t *testing.T) {
	for _, s := range []string{"12.5", "-4.123456", "0", "1e3"} {
		if n := testing.AllocsPerRun(100, func() { _, _, _ = ParseFloat(s) }); n != 0 {
			t.Errorf("ParseFloat(%q) allocates %v times", s, n)
		}
	}
}

func FuzzParseInt(f *testing.F) {
	for _, s := range []string{"0", "1234", "-5", "+5", "1,234", "1 234", "1\u00a0234", "1.234.567",
		"1'234", "12.0", "12,0", "12.5", "1,5", "1e308", "NaN", "Inf", "", "n/a", "9223372036854775808",
		"-9223372036854775808", "12,34,567", "−8", "1,234.00", ",", ".", "1..2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, missing, err := ParseInt(s)
		if missing && (v != 0 || err != nil) {
			t.Fatalf("ParseInt(%q) missing with v=%d err=%v", s, v, err)
		}
		if err != nil && v != 0 {
			t.Fatalf("ParseInt(%q) error %v with v=%d", s, err, v)
		}
		if missing != IsMissing(s) {
			t.Fatalf("ParseInt(%q) missing=%v, IsMissing=%v", s, missing, IsMissing(s))
		}
		// Plain decimal integers agree with strconv.
		if want, serr := strconv.ParseInt(s, 10, 64); serr == nil && !strings.HasPrefix(s, "+") {
			if err != nil || v != want {
				t.Fatalf("ParseInt(%q) = %d, %v; strconv says %d", s, v, err, want)
			}
		}
		if err == nil && !missing {
			// A whole number reads back the same through ParseFloat when no
			// lone separator is ambiguous between the two.
			if fv, _, ferr := ParseFloat(s); ferr == nil && fv == math.Trunc(fv) && math.Abs(fv) < 1<<52 &&
				!strings.ContainsAny(s, ".,") && fv != float64(v) {
				t.Fatalf("ParseInt(%q)=%d but ParseFloat=%v", s, v, fv)
			}
		}
	})
}

func FuzzParseFloat(f *testing.F) {
	for _, s := range []string{"12.5", "12,5", "-4.123456", "1,234.5", "1.234,5", "1 234,5", "1.5e3",
		"NaN", "Inf", "1e309", "", "-", ".5", "1'234.5", "1.234.567", "1e-400", "0x1p3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, missing, err := ParseFloat(s)
		if missing && (v != 0 || err != nil) {
			t.Fatalf("ParseFloat(%q) missing with v=%v err=%v", s, v, err)
		}
		if err != nil && v != 0 {
			t.Fatalf("ParseFloat(%q) error %v with v=%v", s, err, v)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("ParseFloat(%q) = %v", s, v)
		}
	})
}

func BenchmarkParseInt(b *testing.B) {
	inputs := []string{"1234", "0", "56789", "12", "-3", "100000"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, _, _ = ParseInt(inputs[i%len(inputs)])
	}
}

func BenchmarkParseIntSeparators(b *testing.B) {
	inputs := []string{"1,234", "1 234", "12.0", "n/a", ""}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, _, _ = ParseInt(inputs[i%len(inputs)])
	}
}
