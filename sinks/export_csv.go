package sinks

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// WriteCSV writes a table as RFC 4180 CSV with a header row and, when
// withHXL and t.HXL are set, an HXL tag row under it. Text cells that a
// spreadsheet would run as a formula (starting with = + - @ tab or CR) are
// prefixed with a single quote; numeric columns are left alone.
func WriteCSV(w io.Writer, t *Table, withHXL bool) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Columns); err != nil {
		return fmt.Errorf("writing csv: %w", err)
	}
	if withHXL && len(t.HXL) > 0 {
		row := make([]string, len(t.Columns))
		copy(row, t.HXL)
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
			if _, isText := textual(v); isText {
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

// textual reports whether a value is text (as opposed to a number, date or bool).
func textual(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	case []any:
		return "", true
	}
	return "", false
}
