package sinks

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
)

// WriteCSV writes a table as RFC 4180 CSV with a header row and, when
// withHXL and t.HXL are set, an HXL tag row under it. Text cells that a
// spreadsheet would run as a formula (starting with = + - @ tab or CR) are
// prefixed with a single quote, in the header as in the body; numbers,
// dates and booleans are left alone (a negative number stays -5).
func WriteCSV(w io.Writer, t *Table, withHXL bool) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = NeutralizeFormula(c)
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("writing csv: %w", err)
	}
	if withHXL && len(t.HXL) > 0 {
		row := make([]string, len(t.Columns))
		copy(row, t.HXL)
		for i := range row {
			row[i] = NeutralizeFormula(row[i])
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("writing csv: %w", err)
		}
	}
	rec := make([]string, len(t.Columns))
	for _, r := range t.Rows {
		for i := range rec {
			var v any
			if i < len(r) {
				v = r[i]
			}
			s := FormatValue(v)
			if !numeric(v) {
				s = NeutralizeFormula(s)
			}
			rec[i] = s
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("writing csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing csv: %w", err)
	}
	return nil
}

// NeutralizeFormula prefixes text that spreadsheets would evaluate.
func NeutralizeFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	// Full-width equals and similar tricks.
	if strings.HasPrefix(s, "＝") {
		return "'" + s
	}
	return s
}

// numeric reports whether a value is a number, date, time or boolean,
// which a spreadsheet shows as data whatever its first character; any other
// value (text, lists, unknown driver types) is treated as text.
func numeric(v any) bool {
	switch v.(type) {
	case nil, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64,
		float32, float64, *big.Int, time.Time, decimalValue:
		return true
	}
	return false
}
