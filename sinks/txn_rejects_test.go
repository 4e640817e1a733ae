package sinks

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/iom-dtm/dtm/schemas"
)

// TestRejectsPlainColumns: a staged rejects file writes the rejects
// dataset's row, value and message columns without a dictionary (a
// message names its row: as many distinct messages as rejects) and keeps
// one for the others (file, code, severity repeat).
func TestRejectsPlainColumns(t *testing.T) {
	txn, err := Begin(t.TempDir(), "r1")
	if err != nil {
		t.Fatal(err)
	}
	defer txn.Abort()
	ds := schemas.RejectsDataset()
	fields := make([]arrow.Field, len(ds.Fields)) // as pipeline.RejectsSchema
	for i, f := range ds.Fields {
		fields[i] = arrow.Field{Name: f.Name, Type: f.Kind.ArrowType(), Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	pf, rel, err := txn.CreateRejects(schema, "k:a")
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i := range 100 {
		for c, f := range schema.Fields() {
			switch fb := b.Field(c).(type) {
			case *array.StringBuilder:
				fb.Append(f.Name + " " + string(rune('a'+i%3)))
			case *array.Int64Builder:
				fb.Append(int64(i))
			default:
				t.Fatalf("column %s: builder %T", f.Name, fb)
			}
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	if err := pf.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := txn.CloseStaged(); err != nil {
		t.Fatal(err)
	}
	rd, err := file.OpenParquetFile(txn.stagingPath(rel), false)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	md := rd.MetaData()
	rg := md.RowGroup(0)
	seen := 0
	for i := range rg.NumColumns() {
		cc, err := rg.ColumnChunk(i)
		if err != nil {
			t.Fatal(err)
		}
		name := md.Schema.Column(i).Path()
		want := name != "row" && name != "value" && name != "message"
		if got := cc.HasDictionaryPage(); got != want {
			t.Errorf("rejects column %s: dictionary page %v, want %v", name, got, want)
		}
		seen++
	}
	if seen != len(schema.Fields()) {
		t.Errorf("%d columns in the file, want %d", seen, len(schema.Fields()))
	}
}
