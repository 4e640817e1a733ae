package sinks

import (
	"fmt"
	"math/big"
	"strconv"
	"time"
)

// Table is a small in-memory result to export.
type Table struct {
	Columns []string
	Types   []string // database type names, informative
	Rows    [][]any
	// HXL, when set, holds one HXL tag per column (may be "").
	HXL []string
}

// FormatValue renders a value as text for CSV and terminal tables: dates as
// YYYY-MM-DD, timestamps in RFC 3339, floats without exponent where
// reasonable, lists as "; "-joined, null as "".
func FormatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int8, int16, int32, int64, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x)
	case *big.Int:
		return x.String()
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.UTC().Format(time.RFC3339)
	case []any:
		if !allScalar(x) {
			return nestedJSON(x)
		}
		s := ""
		for i, e := range x {
			if i > 0 {
				s += "; "
			}
			s += FormatValue(e)
		}
		return s
	default:
		if isNested(x) {
			return nestedJSON(x)
		}
		return fmt.Sprint(x)
	}
}
