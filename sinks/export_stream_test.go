package sinks

import (
	"bytes"
	"math"
	"math/big"
	"testing"
	"time"
)

// TestRowWriterMatchesTableWriters checks that streaming rows gives the same
// bytes as writing the whole table, in every format, for empty and
// non-empty tables with awkward values.
func TestRowWriterMatchesTableWriters(t *testing.T) {
	cols := []string{"site_name", "=hdr", "latitude", "longitude", "n", "d", "list"}
	hxl := []string{"#loc+name", "", "#geo+lat", "#geo+lon", "#affected", "#date", ""}
	day := time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)
	rows := [][]any{
		{"=HYPERLINK(\"x\")", "a,b", 4.85, 31.6, int64(-5), day, []any{"x", "y"}},
		{"Camp \"A\"\nline", nil, math.NaN(), 200.0, big.NewInt(12345678901), nil, nil},
		{"-Host", "é ü 中", nil, nil, 3.5, day.Add(90 * time.Minute), []any{}},
	}
	for _, n := range []int{0, 1, 3} {
		tab := &Table{Columns: cols, HXL: hxl, Rows: rows[:n]}
		for _, f := range []string{StreamCSV, StreamHXL, StreamJSON, StreamJSONL, StreamGeoJSON} {
			var want, got bytes.Buffer
			var err error
			switch f {
			case StreamCSV, StreamHXL:
				err = WriteCSV(&want, tab, f == StreamHXL)
			case StreamJSON, StreamJSONL:
				err = WriteJSON(&want, tab, f == StreamJSONL)
			case StreamGeoJSON:
				err = WriteGeoJSON(&want, tab, DefaultGeoColumns)
			}
			if err != nil {
				t.Fatal(err)
			}
			rw, err := NewRowWriter(&got, f, cols, hxl)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range tab.Rows {
				if err := rw.WriteRow(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := rw.Close(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%s, %d rows: streamed\n%q\nwant\n%q", f, n, got.String(), want.String())
			}
		}
	}
	if _, err := NewRowWriter(&bytes.Buffer{}, StreamGeoJSON, []string{"a"}, nil); err == nil {
		t.Error("geojson without coordinate columns accepted")
	}
	if _, err := NewRowWriter(&bytes.Buffer{}, "xml", cols, nil); err == nil {
		t.Error("unknown format accepted")
	}
}
