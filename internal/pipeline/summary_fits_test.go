package pipeline

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/sinks"
)

// TestBuiltSummaryFits: a summary built in Go is written only for the
// rows this run wrote, all of them, and only when the builder kept every
// group; else the summary is read back from the files.
func TestBuiltSummaryFits(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{{Name: "round", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	rec := func(typ arrow.DataType) arrow.RecordBatch {
		rb := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema([]arrow.Field{{Name: "round", Type: typ, Nullable: true}}, nil))
		defer rb.Release()
		rb.Field(0).AppendNull()
		rb.Field(0).AppendNull()
		return rb.NewRecordBatch()
	}
	good := query.NewSummaryBuilder()
	r := rec(schema.Field(0).Type)
	good.Add(r)
	r.Release()
	bad := query.NewSummaryBuilder()
	r = rec(arrow.BinaryTypes.String) // a round of another type: the builder gives up
	bad.Add(r)
	r.Release()
	todo := sinks.SummaryTodo{Key: "k", RunID: "run", RowsWritten: 2}
	for _, tc := range []struct {
		name string
		b    *query.SummaryBuilder
		todo sinks.SummaryTodo
		want bool
	}{
		{"fits", good, todo, true},
		{"none built", nil, todo, false},
		{"an earlier run's rows", good, sinks.SummaryTodo{Key: "k", RunID: "earlier", RowsWritten: 2}, false},
		{"other rows than summarised", good, sinks.SummaryTodo{Key: "k", RunID: "run", RowsWritten: 3}, false},
		{"builder gave up", bad, todo, false},
	} {
		ok, why := builtSummaryFits(tc.b, tc.todo, "run")
		if ok != tc.want || (!ok && tc.b != nil && why == "") {
			t.Errorf("%s: fits %v (%q), want %v", tc.name, ok, why, tc.want)
		}
	}
}
