package pipeline

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/schemas"
)

// withFileID returns rec with id as the source_file_id of every row (nulls
// stay null), for an input whose hash was not known when its converters
// started (hash_later.go). The column is a dictionary (transform's
// dictionary string columns): its indices are kept and only its dictionary
// (one entry: an input's rows share their file) is replaced, so a record
// costs the same whatever its rows. A plain string column is rebuilt.
// The caller releases both records; rec itself is returned when it has no
// such column.
func withFileID(rec arrow.RecordBatch, id string, mem memory.Allocator) (arrow.RecordBatch, error) {
	idx := rec.Schema().FieldIndices(schemas.ColSourceFileID)
	if len(idx) == 0 {
		return rec, nil
	}
	col := rec.Column(idx[0])
	var with arrow.Array
	switch c := col.(type) {
	case *array.Dictionary:
		dict := repeatString(mem, id, c.Dictionary().Len(), c.Dictionary())
		defer dict.Release()
		with = array.NewDictionaryArray(c.DataType(), c.Indices(), dict)
	case *array.String:
		with = repeatString(mem, id, c.Len(), c)
	default:
		return nil, fmt.Errorf("%s is a column of %s, not of strings", schemas.ColSourceFileID, col.DataType())
	}
	defer with.Release()
	cols := make([]arrow.Array, rec.NumCols())
	copy(cols, rec.Columns())
	cols[idx[0]] = with
	return array.NewRecordBatch(rec.Schema(), cols, rec.NumRows()), nil
}

// repeatString returns a string array of n times s, null where like is.
func repeatString(mem memory.Allocator, s string, n int, like arrow.Array) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(n)
	b.ReserveData(n * len(s))
	for i := range n {
		if like.IsNull(i) {
			b.AppendNull()
			continue
		}
		b.Append(s)
	}
	return b.NewArray()
}
