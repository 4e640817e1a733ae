package report

import (
	"fmt"
	"math"
	"math/big"
	"strconv"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/sinks"
)

// frame reads a query result by column name. A column the report needs
// but the result lacks is an error (a figure changed shape), found once when
// the frame is made, not as silent blanks in the report.
type frame struct {
	res *query.Result
	col map[string]int
}

// newFrame wraps res and checks that it has every column in need.
func newFrame(what string, res *query.Result, need ...string) (*frame, error) {
	f := &frame{res: res, col: make(map[string]int, len(res.Columns))}
	for i, c := range res.Columns {
		f.col[c] = i
	}
	for _, c := range need {
		if _, ok := f.col[c]; !ok {
			return nil, fmt.Errorf("%s: no column %q in the result (columns %v)", what, c, res.Columns)
		}
	}
	return f, nil
}

// len is the number of rows.
func (f *frame) len() int { return len(f.res.Rows) }

// value is the raw driver value of row r, column c (nil for a missing column).
func (f *frame) value(r int, c string) any {
	i, ok := f.col[c]
	if !ok {
		return nil
	}
	return f.res.Rows[r][i]
}

// str is the value as text ("" for NULL), formatted as exports format it.
func (f *frame) str(r int, c string) string { return sinks.FormatValue(f.value(r, c)) }

// int is the value as a whole number; ok is false for NULL or a value that
// is not a whole number.
func (f *frame) int(r int, c string) (int64, bool) { return toInt(f.value(r, c)) }

// float is the value as a float; ok is false for NULL or a non-number.
func (f *frame) float(r int, c string) (float64, bool) { return toFloat(f.value(r, c)) }

// toInt converts a driver value to int64: any integer type (HUGEINT sums
// come as *big.Int, see sinks.Int64Of), a float that is a whole number, or
// a decimal string.
func toInt(v any) (int64, bool) {
	if n, ok := sinks.Int64Of(v); ok {
		return n, true
	}
	switch x := v.(type) {
	case float64:
		if x != math.Trunc(x) || math.IsInf(x, 0) || math.Abs(x) > 1<<53 {
			return 0, false
		}
		return int64(x), true
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}

// toFloat converts a driver value to float64.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	case float32:
		f := float64(x)
		return f, !math.IsNaN(f) && !math.IsInf(f, 0)
	case *big.Int:
		if x == nil {
			return 0, false
		}
		f, _ := new(big.Float).SetInt(x).Float64()
		return f, true
	case interface{ Float64() float64 }: // duckdb.Decimal
		f := x.Float64()
		return f, !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	if n, ok := toInt(v); ok {
		return float64(n), true
	}
	return 0, false
}
