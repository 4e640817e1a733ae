package sinks

import (
	"bytes"
	"encoding/csv"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestNeutralizeFormula(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Juba", "Juba"},
		{"=1+2", "'=1+2"},
		{"+SUM(A1)", "'+SUM(A1)"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=cmd", "'\t=cmd"},
		{"\r=cmd", "'\r=cmd"},
		{"＝1+2", "'＝1+2"},
		{"a=b", "a=b"},
		{"'quoted", "'quoted"},
		{"#adm1+name", "#adm1+name"},
	}
	for _, tc := range tests {
		if got := NeutralizeFormula(tc.in); got != tc.want {
			t.Errorf("NeutralizeFormula(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestWriteCSVNeutralisesFormulas shows formula-looking text is prefixed
// in every text cell (body, header) while numbers, dates and booleans,
// negative or not, are written untouched.
func TestWriteCSVNeutralisesFormulas(t *testing.T) {
	tbl := &Table{
		Columns: []string{"site_name", "=evil()", "idp_individuals", "change", "share", "big", "date", "ok", "reasons"},
		HXL:     []string{"#loc+name", "", "#affected+idps+ind", "", "", "", "#date", "", "#cause+type"},
		Rows: [][]any{
			{`=HYPERLINK("http://x","click")`, "+1", int64(-60), int64(-5), -20.5, big.NewInt(-123456789012), time.Date(2025, 4, 10, 0, 0, 0, 0, time.UTC), true, []any{"-Flood", "Conflict"}},
			{"@SUM(A1:A9)", "\tx", int64(5), int64(0), 1e-7, big.NewInt(7), nil, false, nil},
			{"-Host N2", "\r", int64(0), nil, nil, nil, nil, nil, []any{}},
			{"Juba", "plain", int64(1), int64(1), 3.0, nil, nil, nil, nil},
		},
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tbl, true); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("reading back: %v", err)
	}
	want := [][]string{
		{"site_name", "'=evil()", "idp_individuals", "change", "share", "big", "date", "ok", "reasons"},
		{"#loc+name", "", "#affected+idps+ind", "", "", "", "#date", "", "#cause+type"},
		{`'=HYPERLINK("http://x","click")`, "'+1", "-60", "-5", "-20.5", "-123456789012", "2025-04-10", "true", "'-Flood; Conflict"},
		{"'@SUM(A1:A9)", "'\tx", "5", "0", "0.0000001", "7", "", "false", ""},
		{"'-Host N2", "'\r", "0", "", "", "", "", "", ""},
		{"Juba", "plain", "1", "1", "3", "", "", "", ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d: %q", len(rows), len(want), rows)
	}
	for i := range want {
		for j := range want[i] {
			if rows[i][j] != want[i][j] {
				t.Errorf("row %d col %d = %q, want %q", i, j, rows[i][j], want[i][j])
			}
		}
	}
}

func TestWriteCSVWithoutHXL(t *testing.T) {
	tbl := &Table{Columns: []string{"a"}, HXL: []string{"#x"}, Rows: [][]any{{int64(1)}}}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tbl, false); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "a\n1\n" {
		t.Errorf("got %q", got)
	}
}

// FuzzWriteCSV checks that no text cell of a CSV export, read back, starts
// with a character a spreadsheet would evaluate, and that numbers survive.
func FuzzWriteCSV(f *testing.F) {
	for _, s := range []string{"=1+1", "-", "+x", "@a", "\tb", "\rc", "＝x", "plain", "", "a,b\"c\nd", "'"} {
		f.Add(s, int64(-5))
	}
	f.Fuzz(func(t *testing.T, s string, n int64) {
		tbl := &Table{Columns: []string{s, "n"}, Rows: [][]any{{s, n}, {[]any{s, s}, nil}}}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, tbl, false); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			return // encoding/csv cannot read back some control characters; not our concern
		}
		for _, r := range rows {
			for j, c := range r {
				if r[0] == "n" || (j == 1 && c != "n") {
					continue
				}
				if c != "" && strings.ContainsAny(c[:1], "=+-@\t\r") {
					t.Fatalf("cell %q starts with a formula character", c)
				}
			}
		}
		if len(rows) == 3 && rows[1][1] != strconv.FormatInt(n, 10) {
			t.Fatalf("number %d written as %q", n, rows[1][1])
		}
	})
}
