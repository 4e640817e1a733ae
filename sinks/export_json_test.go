package sinks

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"
)

type fakeDecimal struct{ s string }

func (d fakeDecimal) String() string   { return d.s }
func (d fakeDecimal) Float64() float64 { return 0 }

// TestWriteJSONNumbers checks sums (HUGEINT, *big.Int) and decimals stay
// JSON numbers, NaN becomes null, dates become strings, order is kept.
func TestWriteJSONNumbers(t *testing.T) {
	tbl := &Table{
		Columns: []string{"b", "a", "sum", "dec", "nan", "date", "list"},
		Rows: [][]any{{"x", int64(-1), big.NewInt(16801), fakeDecimal{"6.649"}, math.NaN(),
			time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), []any{"a", int64(2)}}},
	}
	for _, lines := range []bool{false, true} {
		var buf bytes.Buffer
		if err := WriteJSON(&buf, tbl, lines); err != nil {
			t.Fatal(err)
		}
		want := `{"b":"x","a":-1,"sum":16801,"dec":6.649,"nan":null,"date":"2025-03-01","list":["a",2]}`
		if !strings.Contains(buf.String(), want) {
			t.Errorf("lines=%v: got %s, want it to hold %s", lines, buf.String(), want)
		}
		if !lines {
			var v []map[string]any
			if err := json.Unmarshal(buf.Bytes(), &v); err != nil || len(v) != 1 {
				t.Errorf("array output does not parse: %v", err)
			}
		}
	}
}
