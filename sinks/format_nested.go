package sinks

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// allScalar reports whether a list holds no maps, structs or lists: such a
// list is written as "a; b; c", any other as JSON.
func allScalar(list []any) bool {
	for _, e := range list {
		if e != nil && isNested(e) {
			return false
		}
	}
	return true
}

// isNested reports values that marshal themselves to JSON (DuckDB's
// OrderedMap), and maps, structs and lists that have no String method.
func isNested(v any) bool {
	if _, ok := v.(json.Marshaler); ok { // duckdb OrderedMap (a MAP)
		return true
	}
	if _, ok := v.(fmt.Stringer); ok { // duckdb UUID, Decimal, Interval print themselves
		return false
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Map, reflect.Struct, reflect.Slice, reflect.Array:
		return true
	}
	return false
}

// nestedJSON renders a nested value (the runs view's by_source and
// sources, a DuckDB MAP or STRUCT) as compact JSON, never Go's map[...]
// syntax; map keys of any type become their text.
func nestedJSON(v any) string {
	b, err := json.Marshal(jsonable(v))
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// jsonable converts maps with non-string keys (DuckDB's MAP is map[any]any)
// into map[string]any, recursively.
func jsonable(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonable(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonable(e)
		}
		return out
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Map {
		out := make(map[string]any, rv.Len())
		it := rv.MapRange()
		for it.Next() {
			out[FormatValue(it.Key().Interface())] = jsonable(it.Value().Interface())
		}
		return out
	}
	return v
}
