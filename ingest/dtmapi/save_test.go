package dtmapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileName(t *testing.T) {
	tests := []struct {
		q    Query
		want string
	}{
		{Query{AdminLevel: 1, Admin0Pcode: "SSD", FromReportingDate: "2024-01-01", ToReportingDate: "2024-12-31"}, "admin1_SSD_2024-01-01_2024-12-31.json"},
		{Query{AdminLevel: 0, Admin0Pcode: "NGA"}, "admin0_NGA_any_any.json"},
		{Query{AdminLevel: 2, Admin0Pcode: "SSD", FromRound: 3, ToRound: 5}, "admin2_SSD_any_any_r3-5.json"},
		{Query{AdminLevel: 2, Admin0Pcode: "SSD", Admin1Pcode: "SS01"}, "admin2_SSD_SS01_any_any.json"},
	}
	for _, tc := range tests {
		if got := FileName(tc.q); got != tc.want {
			t.Errorf("FileName(%+v) = %q, want %q", tc.q, got, tc.want)
		}
	}
	// Lossy parts get a digest; names stay safe and distinct.
	a := FileName(Query{CountryName: "South Sudan"})
	b := FileName(Query{CountryName: "South-Sudan"})
	c := FileName(Query{Operation: "../../etc/passwd"})
	if a == b || !strings.HasPrefix(a, "admin0_South-Sudan_any_any_") || b != "admin0_South-Sudan_any_any.json" {
		t.Errorf("names %q %q", a, b)
	}
	for _, n := range []string{a, b, c} {
		if strings.ContainsAny(n, `/\ `) || strings.Contains(n, "..") || filepath.Base(n) != n {
			t.Errorf("unsafe name %q", n)
		}
	}
	// Deterministic: two equal queries built separately get one name, and a
	// query differing only in a lossy part gets another.
	q1 := Query{Operation: "Flooding (2022)", FromRound: 1}
	q2 := Query{Operation: "Flooding (2022)", FromRound: 1}
	q3 := Query{Operation: "Flooding [2022]", FromRound: 1}
	if n1, n2 := FileName(q1), FileName(q2); n1 != n2 {
		t.Errorf("names not deterministic: %q, %q", n1, n2)
	}
	if FileName(q1) == FileName(q3) {
		t.Errorf("distinct operations share the name %q", FileName(q1))
	}
}

func TestSaveResponse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "raw", "dtmapi")
	q := Query{AdminLevel: 1, Admin0Pcode: "SSD"}
	path, err := SaveResponse(dir, q, []byte(`{"result":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "admin1_SSD_any_any.json") {
		t.Errorf("path %q", path)
	}
	// Saving again replaces the file.
	if _, err := SaveResponse(dir, q, []byte(`[]`)); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "[]" {
		t.Errorf("content %q, %v", got, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("dir holds %d entries (temporary files left?)", len(entries))
	}
	// An unwritable target fails cleanly.
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := SaveResponse(filepath.Join(blocker, "sub"), q, []byte("[]")); err == nil {
		t.Error("no error for a directory under a file")
	}
}
