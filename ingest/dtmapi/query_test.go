package dtmapi

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestQueryValidate(t *testing.T) {
	tests := []struct {
		name string
		q    Query
		ok   bool
	}{
		{"pcode", Query{AdminLevel: 0, Admin0Pcode: "SSD"}, true},
		{"country", Query{AdminLevel: 2, CountryName: "South Sudan"}, true},
		{"operation", Query{AdminLevel: 1, Operation: "Mobility Tracking"}, true},
		{"dates", Query{Admin0Pcode: "SSD", FromReportingDate: "2023-01-01", ToReportingDate: "2023-12-31"}, true},
		{"same date", Query{Admin0Pcode: "SSD", FromReportingDate: "2023-01-01", ToReportingDate: "2023-01-01"}, true},
		{"rounds", Query{Admin0Pcode: "SSD", FromRound: 3, ToRound: 3}, true},
		{"no selector", Query{AdminLevel: 1}, false},
		{"blank selector", Query{CountryName: "  "}, false},
		{"level 3", Query{AdminLevel: 3, Admin0Pcode: "SSD"}, false},
		{"level -1", Query{AdminLevel: -1, Admin0Pcode: "SSD"}, false},
		{"bad date", Query{Admin0Pcode: "SSD", FromReportingDate: "30/06/2023"}, false},
		{"datetime", Query{Admin0Pcode: "SSD", ToReportingDate: "2023-06-30T00:00:00"}, false},
		{"dates reversed", Query{Admin0Pcode: "SSD", FromReportingDate: "2024-01-01", ToReportingDate: "2023-01-01"}, false},
		{"rounds reversed", Query{Admin0Pcode: "SSD", FromRound: 5, ToRound: 4}, false},
		{"negative round", Query{Admin0Pcode: "SSD", ToRound: -1}, false},
	}
	for _, tc := range tests {
		err := tc.q.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v", tc.name, err)
		}
		if err != nil && !errors.Is(err, ErrQuery) {
			t.Errorf("%s: err %v does not wrap ErrQuery", tc.name, err)
		}
	}
}

func TestQueryValues(t *testing.T) {
	q := Query{AdminLevel: 2, CountryName: "South Sudan", Admin0Pcode: "SSD", Admin1Pcode: "SS01", Operation: "Mobility Tracking",
		FromReportingDate: "2023-01-01", ToReportingDate: "2023-12-31", FromRound: 1, ToRound: 14}
	want := "Admin0Pcode=SSD&Admin1Pcode=SS01&CountryName=South+Sudan&FromReportingDate=2023-01-01&FromRoundNumber=1&Operation=Mobility+Tracking&ToReportingDate=2023-12-31&ToRoundNumber=14"
	if got := q.Values().Encode(); got != want {
		t.Errorf("values\n got %s\nwant %s", got, want)
	}
	if got := q.Path(); got != "/v3/displacement/admin2" {
		t.Errorf("path %s", got)
	}
	if got := (Query{Admin0Pcode: "SSD"}).Values().Encode(); got != "Admin0Pcode=SSD" {
		t.Errorf("minimal values %s", got)
	}
}

func TestBackoff(t *testing.T) {
	half := func() float64 { return 0.5 }
	tests := []struct {
		n    int
		rnd  func() float64
		want time.Duration
	}{
		{0, half, 750 * time.Millisecond},
		{1, half, 1500 * time.Millisecond},
		{2, half, 3 * time.Second},
		{10, half, 45 * time.Second}, // capped at 60 s
		{100, half, 45 * time.Second},
		{0, func() float64 { return 0 }, 500 * time.Millisecond},
		{0, func() float64 { return 0.999 }, 999500 * time.Microsecond},
		{0, func() float64 { return 7 }, 750 * time.Millisecond}, // out of range -> 0.5
	}
	for _, tc := range tests {
		if got := backoff(tc.n, time.Second, time.Minute, tc.rnd); got != tc.want {
			t.Errorf("backoff(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"7", 7 * time.Second, true},
		{" 0 ", 0, true},
		{"-3", 0, false},
		{"soon", 0, false},
		{"Wed, 01 May 2024 12:00:30 GMT", 30 * time.Second, true},
		{"Wed, 01 May 2024 11:00:00 GMT", 0, true},
	}
	for _, tc := range tests {
		h := http.Header{}
		if tc.v != "" {
			h.Set("Retry-After", tc.v)
		}
		got, ok := retryAfter(h, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tc.v, got, ok, tc.want, tc.ok)
		}
	}
}
