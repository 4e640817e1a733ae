package sinks

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/iom-dtm/dtm/schemas"
)

// BenchmarkParquetEncoders measures the encode stage as the chunked ingest
// runs it: canonical site records cut into 4 Ki-row chunks appended to
// 32 Ki-row buffered row groups, written by pqarrow's FileWriter (the
// writer before issue 15, string columns as strings) and by columnsWriter
// with 1 and 2 encoding goroutines (the converter's records: dictionary
// arrays), and as ingest writes (ingest: one goroutine, integer and list
// columns numbered by the writer). ns/op is the wall time of one 100 k-row
// file, cpu-ms/op the process's CPU time for it (all goroutines).
func BenchmarkParquetEncoders(b *testing.B) {
	const n = 100_000
	recs := encodingRecords(b, n)
	var chunks, strChunks []arrow.RecordBatch
	for _, r := range recs {
		for off := int64(0); off < r.NumRows(); off += 4096 {
			c := r.NewSlice(off, min(r.NumRows(), off+4096))
			chunks = append(chunks, c)
			strChunks = append(strChunks, stringColumns(c))
		}
	}
	defer func() {
		for _, r := range append(append(recs, chunks...), strChunks...) {
			r.Release()
		}
	}()
	schema := recs[0].Schema()
	plain := schemas.SiteAssessment().PlainEncoded
	dir := b.TempDir()
	write := func(b *testing.B, w recordWriter, chunks []arrow.RecordBatch) {
		var group int64
		for _, r := range chunks {
			if group >= 32*1024 {
				if err := w.NewBufferedRowGroupChecked(); err != nil {
					b.Fatal(err)
				}
				group = 0
			}
			group += r.NumRows()
			if err := w.WriteBuffered(r); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
	create := func(b *testing.B) *os.File {
		f, err := os.Create(filepath.Join(dir, "part.parquet"))
		if err != nil {
			b.Fatal(err)
		}
		return f
	}
	b.Run("pqarrow", func(b *testing.B) {
		cpu := startCPU()
		for b.Loop() {
			w, err := newParquetWriter(create(b), strChunks[0].Schema(), parquetWriterProperties(schema, plain))
			if err != nil {
				b.Fatal(err)
			}
			write(b, w, strChunks)
		}
		cpu.report(b)
	})
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("encoders=%d", workers), func(b *testing.B) {
			cpu := startCPU()
			for b.Loop() {
				props := parquetWriterProperties(schema, plain)
				w, ok, err := newColumnsWriter(create(b), schema, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()), workers)
				if err != nil || !ok {
					b.Fatal(ok, err)
				}
				write(b, w, chunks)
			}
			cpu.report(b)
		})
	}
	// "ingest": one encoder, the integer and list columns numbered by the
	// writer too (useIntDictionaries), as createParquet writes staged files.
	b.Run("ingest", func(b *testing.B) {
		cpu := startCPU()
		for b.Loop() {
			props := parquetWriterProperties(schema, plain)
			w, ok, err := newColumnsWriter(create(b), schema, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()), 1)
			if err != nil || !ok {
				b.Fatal(ok, err)
			}
			w.useIntDictionaries()
			write(b, w, chunks)
		}
		cpu.report(b)
	})
}
