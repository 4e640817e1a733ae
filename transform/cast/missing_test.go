package cast

import (
	"errors"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/schemas"
)

func TestIsMissing(t *testing.T) {
	missing := []string{
		"", " ", "\t", "\u00a0", " \u202f ", "\ufeff", "n/a", "N/A", "NA", "na", "nan", "NaN",
		"NAN", "NULL", "null", "Null", "NaT", "nat", "-", "--", "Not available", "not available",
		"NOT AVAILABLE", "#N/A", "#n/a", "none", "None", "NONE", "  n/a  ", "\u00a0NULL\u00a0", " - ",
	}
	for _, s := range missing {
		if !IsMissing(s) {
			t.Errorf("IsMissing(%q) = false, want true", s)
		}
	}
	present := []string{
		"0", "1", "a", "no", "non", "N", "Nab", "Namibia", "nana", "-1", "---x", "Not", "available",
		"Not available yet", "n/a/b", "NULLS", "#N/A!", "none of these", "—x", "Rural",
	}
	for _, s := range present {
		if IsMissing(s) {
			t.Errorf("IsMissing(%q) = true, want false", s)
		}
	}
}

func TestIsMissingNoAlloc(t *testing.T) {
	for _, s := range []string{"", "1234", "n/a", " Not available ", "Rural"} {
		if n := testing.AllocsPerRun(100, func() { IsMissing(s) }); n != 0 {
			t.Errorf("IsMissing(%q) allocates %v times", s, n)
		}
	}
}

func TestCastTrim(t *testing.T) {
	cases := map[string]string{
		"abc":                "abc",
		" abc ":              "abc",
		"\u00a0abc\u202f":    "abc",
		"\ufeffabc\u200b":    "abc",
		"\t a b \n":          "a b",
		"":                   "",
		"\u00a0":             "",
		"é":                  "é",
		" Communal clashes ": "Communal clashes",
	}
	for in, want := range cases {
		if got := Trim(in); got != want {
			t.Errorf("Trim(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCastErrorCode(t *testing.T) {
	var c interface{ Code() string }
	_, _, err := ParseInt("abc")
	if !errors.As(err, &c) || c.Code() != schemas.CodeTypeError {
		t.Fatalf("ParseInt error %v: want a type-error code", err)
	}
	_, _, _, err = ParseDate("30/03/9999")
	if !errors.As(err, &c) || c.Code() != schemas.CodeConstraintError {
		t.Fatalf("ParseDate error %v: want a constraint-error code", err)
	}
}

func TestCastQuoteShortens(t *testing.T) {
	long := strings.Repeat("é", 100)
	q := Quote(long)
	if n := len([]rune(q)); n > 45 {
		t.Fatalf("Quote gave %d runes: %s", n, q)
	}
	if Quote("12.5") != `"12.5"` {
		t.Fatalf("Quote(12.5) = %s", Quote("12.5"))
	}
}
