package main

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseSizes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []int
		ok   bool
	}{
		{"100000", []int{100000}, true},
		{"100_000, 1000000", []int{100000, 1000000}, true},
		{"", nil, false},
		{"0", nil, false},
		{"-5", nil, false},
		{"1e6", nil, false},
	} {
		got, err := parseSizes(tc.in)
		if (err == nil) != tc.ok || !slices.Equal(got, tc.want) {
			t.Errorf("parseSizes(%q) = %v, %v", tc.in, got, err)
		}
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestEnsureReusesCompleteInputs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inputs", "x.csv")
	calls := 0
	gen := func(tmp string) error {
		calls++
		return os.WriteFile(tmp, []byte("a\n"), 0o644)
	}
	for range 2 {
		if _, err := ensure(path, gen); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 1 {
		t.Fatalf("generated %d times, want 1", calls)
	}
	// A failed generation leaves nothing that looks complete.
	bad := filepath.Join(filepath.Dir(path), "y.csv")
	if _, err := ensure(bad, func(tmp string) error {
		os.WriteFile(tmp, []byte("partial"), 0o644)
		return errors.New("disk full")
	}); err == nil {
		t.Fatal("want an error")
	}
	if _, err := os.Stat(bad + ".ok"); err == nil {
		t.Fatal("marker written for a failed input")
	}
	if _, err := os.Stat(bad); err == nil {
		t.Fatal("partial input left in place")
	}
}

// TestReportTimingStatesLoad: the report timing carries the load average
// (the column that explains inflated wall times), also when it fails.
func TestReportTimingStatesLoad(t *testing.T) {
	if _, err := os.Stat("/proc/loadavg"); err != nil {
		t.Skip("no /proc/loadavg")
	}
	cfg := config{reps: 1, out: t.TempDir(), dtm: filepath.Join(t.TempDir(), "no-such-dtm")}
	rt := timeReport(t.Context(), cfg, t.TempDir(), 42)
	if rt.err == "" || rt.load == "" || rt.rows != 42 {
		t.Fatalf("timing = %+v, want an error, the load average and 42 rows", rt)
	}
	var b strings.Builder
	printReports(&b, []reportTime{rt})
	if !strings.Contains(b.String(), "| 42 | error: ") || !strings.Contains(b.String(), rt.load+" |") {
		t.Errorf("table:\n%s", b.String())
	}
}
