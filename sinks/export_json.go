package sinks

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"time"
)

// WriteJSON writes a table as a JSON array of objects (lines=false) or as
// one object per line (lines=true). Dates become "YYYY-MM-DD" strings.
func WriteJSON(w io.Writer, t *Table, lines bool) error {
	enc := json.NewEncoder(w)
	if !lines {
		if _, err := io.WriteString(w, "["); err != nil {
			return fmt.Errorf("writing json: %w", err)
		}
	}
	for i, r := range t.Rows {
		obj := make(orderedObject, len(t.Columns))
		for j, c := range t.Columns {
			var v any
			if j < len(r) {
				v = r[j]
			}
			obj[j] = kv{c, jsonValue(v)}
		}
		if lines {
			if err := enc.Encode(obj); err != nil {
				return fmt.Errorf("writing json: %w", err)
			}
			continue
		}
		b, err := json.Marshal(obj)
		if err != nil {
			return fmt.Errorf("writing json: %w", err)
		}
		sep := ",\n"
		if i == 0 {
			sep = "\n"
		}
		if _, err := io.WriteString(w, sep+string(b)); err != nil {
			return fmt.Errorf("writing json: %w", err)
		}
	}
	if !lines {
		if _, err := io.WriteString(w, "\n]\n"); err != nil {
			return fmt.Errorf("writing json: %w", err)
		}
	}
	return nil
}

// jsonValue converts a driver value to what encoding/json writes: big
// integers (HUGEINT, e.g. a sum) and decimals stay JSON numbers, NaN and
// infinities (not representable in JSON) become null.
func jsonValue(v any) any {
	switch x := v.(type) {
	case *big.Int:
		if x == nil {
			return nil
		}
		return json.Number(x.String())
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	case float32:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil
		}
		return x
	case decimalValue:
		s := x.String()
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return json.Number(s)
		}
		return s
	case time.Time:
		return FormatValue(x)
	case []byte:
		return string(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = jsonValue(e)
		}
		return out
	}
	if s := FormatValue(v); s != "" {
		if _, ok := v.(fmt.Stringer); ok {
			return s
		}
	}
	return v
}

// decimalValue is a DECIMAL as the DuckDB driver returns it (exact text
// and a float approximation).
type decimalValue interface {
	Float64() float64
	String() string
}

type kv struct {
	k string
	v any
}

// orderedObject marshals as a JSON object keeping column order.
type orderedObject []kv

func (o orderedObject) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, e := range o {
		if i > 0 {
			b = append(b, ',')
		}
		k, err := json.Marshal(e.k)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(e.v)
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}
