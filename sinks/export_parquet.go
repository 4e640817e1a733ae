package sinks

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// WriteParquetTable writes a small table (a figure's result) as one zstd
// Parquet file at path, replaced atomically. Column types follow the
// table's database type names: integers (also HUGEINT sums that fit) as
// int64, floating and DECIMAL values as float64, DATE as date32, TIMESTAMP
// as microseconds UTC, BOOLEAN as boolean, text as string; lists, structs
// and other values as their JSON text. With geo set, a WKB point column
// `geometry` and the GeoParquet `geo` metadata are added (the table must
// have the geo columns).
//
// mem allocates every Arrow buffer of the write (the record builder, the
// record and the Parquet encoders; nil: memory.DefaultAllocator); all of
// them are released when WriteParquetTable returns, on success or error.
func WriteParquetTable(path string, t *Table, geo *GeoColumns, mem memory.Allocator) (err error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	fields := make([]arrow.Field, len(t.Columns))
	for i, c := range t.Columns {
		fields[i] = arrow.Field{Name: c, Type: columnArrowType(t, i), Nullable: true}
	}
	lonIdx, latIdx := -1, -1
	if geo != nil {
		var ok bool
		if lonIdx, latIdx, ok = geo.Find(t); !ok {
			return fmt.Errorf("writing %s: the result has no %q and %q columns to place its rows", path, geo.Lon, geo.Lat)
		}
		fields = append(fields, arrow.Field{Name: GeometryColumn, Type: arrow.BinaryTypes.Binary, Nullable: true})
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	var box bbox
	for ri, r := range t.Rows {
		for ci := range t.Columns {
			if err := appendValue(b.Field(ci), cell(r, ci)); err != nil {
				return fmt.Errorf("writing %s: row %d, column %s: %w", path, ri+1, t.Columns[ci], err)
			}
		}
		if geo != nil {
			gb := b.Field(len(t.Columns)).(*array.BinaryBuilder)
			lon, lonOK := coordinate(cell(r, lonIdx), 180)
			lat, latOK := coordinate(cell(r, latIdx), 90)
			if lonOK && latOK {
				box.add(lon, lat)
				gb.Append(WKBPoint(lon, lat))
			} else {
				gb.AppendNull()
			}
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	w, err := newExportWriter(path, schema, mem)
	if err != nil {
		return err
	}
	if err := w.fw.Write(rec); err != nil {
		w.abort()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := w.finish(box, geo != nil); err != nil {
		w.abort()
		return err
	}
	return nil
}

// columnArrowType picks the Arrow type of a column from its database type
// name, checking that big integers fit in int64.
func columnArrowType(t *Table, i int) arrow.DataType {
	typ := ""
	if i < len(t.Types) {
		typ = strings.ToUpper(t.Types[i])
	}
	switch {
	case typ == "BOOLEAN":
		return arrow.FixedWidthTypes.Boolean
	case typ == "TINYINT" || typ == "SMALLINT" || typ == "INTEGER" || typ == "BIGINT" ||
		typ == "UTINYINT" || typ == "USMALLINT" || typ == "UINTEGER":
		return arrow.PrimitiveTypes.Int64
	case typ == "HUGEINT" || typ == "UBIGINT" || typ == "UHUGEINT":
		for _, r := range t.Rows {
			if _, ok := Int64Of(cell(r, i)); !ok && cell(r, i) != nil {
				return arrow.BinaryTypes.String
			}
		}
		return arrow.PrimitiveTypes.Int64
	case typ == "FLOAT" || typ == "DOUBLE" || strings.HasPrefix(typ, "DECIMAL"):
		return arrow.PrimitiveTypes.Float64
	case typ == "DATE":
		return arrow.FixedWidthTypes.Date32
	case strings.HasPrefix(typ, "TIMESTAMP"):
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	}
	return arrow.BinaryTypes.String
}

// Int64Of converts a database driver value of an integer type (signed,
// unsigned, or a HUGEINT's *big.Int) to int64; ok is false for NULL, any
// other type, or a value out of int64's range.
func Int64Of(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case int16:
		return int64(x), true
	case int8:
		return int64(x), true
	case int:
		return int64(x), true
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint64:
		if x <= 1<<63-1 {
			return int64(x), true
		}
	case *big.Int:
		if x != nil && x.IsInt64() {
			return x.Int64(), true
		}
	}
	return 0, false
}

// appendValue appends one driver value to a builder of the column's type.
func appendValue(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	switch bb := b.(type) {
	case *array.Int64Builder:
		n, ok := Int64Of(v)
		if !ok {
			return fmt.Errorf("%T is not a whole number", v)
		}
		bb.Append(n)
	case *array.Float64Builder:
		switch x := v.(type) {
		case float64:
			bb.Append(x)
		case float32:
			bb.Append(float64(x))
		case decimalValue:
			bb.Append(x.Float64())
		default:
			n, ok := Int64Of(v)
			if !ok {
				return fmt.Errorf("%T is not a number", v)
			}
			bb.Append(float64(n))
		}
	case *array.BooleanBuilder:
		x, ok := v.(bool)
		if !ok {
			return fmt.Errorf("%T is not a boolean", v)
		}
		bb.Append(x)
	case *array.Date32Builder:
		x, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("%T is not a date", v)
		}
		bb.Append(arrow.Date32FromTime(x))
	case *array.TimestampBuilder:
		x, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("%T is not a time", v)
		}
		bb.Append(arrow.Timestamp(x.UTC().UnixMicro()))
	case *array.StringBuilder:
		switch x := v.(type) {
		case []any, map[string]any:
			j, err := json.Marshal(jsonValue(x))
			if err != nil {
				return err
			}
			bb.Append(string(j))
		default:
			bb.Append(FormatValue(v))
		}
	default:
		return fmt.Errorf("unsupported column builder %T", b)
	}
	return nil
}
