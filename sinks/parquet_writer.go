package sinks

import (
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/iom-dtm/dtm/schemas"
)

// ParquetFile streams Arrow records of one schema into one zstd Parquet
// file. The schema's metadata (dataset name and version) becomes Parquet
// key-value metadata, once (both writers store it, with the Arrow schema).
type ParquetFile struct {
	path string
	f    StagedFile
	w    recordWriter
	// cols is w when the columns are encoded by columnsWriter (every
	// schema of the canonical datasets), nil when by pqarrow.
	cols *columnsWriter
	rows int64
	// groupRows is the number of rows in the open buffered row group
	// (WriteBuffered).
	groupRows int64
}

// CreateParquet creates path (and its directory) for writing on the local
// disk. ds gives the columns' encoding hints (schemas.Field.Encoding); nil
// dictionary-encodes every column.
func CreateParquet(path string, schema *arrow.Schema, ds *schemas.Dataset) (*ParquetFile, error) {
	return createParquet(OSFileSystem{}, nil, path, schema, ds.PlainEncoded)
}

// createParquet creates path through fs (the transaction's seam), encoding
// with mem (nil: memory.DefaultAllocator) and writing plain the columns
// plain reports (nil: none).
func createParquet(fs FileSystem, mem memory.Allocator, path string, schema *arrow.Schema, plain func(string) bool) (*ParquetFile, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	f, err := fs.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", path, err)
	}
	props := parquetWriterProperties(schema, plain, parquet.WithAllocator(mem))
	arrProps := pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(mem))
	cols, ok, err := newColumnsWriter(syncOnClose{f}, schema, props, arrProps, 1)
	var w recordWriter = cols
	if err == nil && ok {
		cols.useIntDictionaries()
	}
	if err == nil && !ok {
		w, err = newParquetWriter(syncOnClose{f}, schema, props, pqarrow.WithAllocator(mem))
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("starting parquet %s: %w", path, err)
	}
	return &ParquetFile{path: path, f: f, w: w, cols: cols}, nil
}

// recordWriter is what ParquetFile needs of a Parquet writer: pqarrow's
// FileWriter or columnsWriter.
type recordWriter interface {
	Write(arrow.RecordBatch) error
	WriteBuffered(arrow.RecordBatch) error
	NewBufferedRowGroupChecked() error
	AppendKeyValueMetadata(key, value string) error
	Close() error
}

// SetEncoders sets the number of goroutines encoding the columns of each
// record (and building their last pages when a row group ends): 1, the
// default, encodes on the calling goroutine. The file's bytes are the same
// for any number. A schema whose shapes columnsWriter does not handle is
// always encoded serially.
func (p *ParquetFile) SetEncoders(n int) {
	if p.cols != nil {
		p.cols.setWorkers(n)
	}
}

// Write appends a record (the caller keeps ownership).
func (p *ParquetFile) Write(rec arrow.RecordBatch) error {
	if err := p.w.Write(rec); err != nil {
		return fmt.Errorf("writing %s: %w", p.path, err)
	}
	p.rows += rec.NumRows()
	return nil
}

// WriteBuffered appends a record to the open row group, which is kept
// (encoded and compressed, column by column) in memory until the caller
// starts the next one: with newGroup set, the open row group, if it holds
// rows, is first closed (written to the file, its buffers freed) and rec
// starts a new one. It lets many small records (the chunks of a parallel
// ingest) make row groups of the size one large record would, and lets the
// caller bound the rows buffered across files. A file is written either
// with Write or with WriteBuffered, not both. The caller keeps ownership of
// rec.
func (p *ParquetFile) WriteBuffered(rec arrow.RecordBatch, newGroup bool) error {
	if rec.NumRows() == 0 {
		return nil
	}
	if newGroup && p.groupRows > 0 {
		if err := p.w.NewBufferedRowGroupChecked(); err != nil {
			return fmt.Errorf("writing %s: %w", p.path, err)
		}
		p.groupRows = 0
	}
	if err := p.w.WriteBuffered(rec); err != nil {
		return fmt.Errorf("writing %s: %w", p.path, err)
	}
	p.rows += rec.NumRows()
	p.groupRows += rec.NumRows()
	return nil
}

// Rows is the number of rows written so far.
func (p *ParquetFile) Rows() int64 { return p.rows }

// Close finishes the file and fsyncs it.
func (p *ParquetFile) Close() error {
	if err := p.w.Close(); err != nil { // also syncs and closes the file
		return fmt.Errorf("closing %s: %w", p.path, err)
	}
	return nil
}

// parquetWriterProperties are the writer settings of every Parquet file:
// zstd, row groups of up to 1 Mi rows, and dictionary encoding except for
// the top-level columns plain reports (nearly unique values, where a
// dictionary costs CPU and saves nothing).
func parquetWriterProperties(schema *arrow.Schema, plain func(string) bool, extra ...parquet.WriterProperty) *parquet.WriterProperties {
	opts := []parquet.WriterProperty{
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithDictionaryDefault(true),
		parquet.WithMaxRowGroupLength(1 << 20),
		parquet.WithCreatedBy("dtm"),
	}
	opts = append(opts, extra...)
	for _, f := range schema.Fields() {
		if plain != nil && plain(f.Name) && parquetIsLeaf(f.Type) {
			opts = append(opts, parquet.WithDictionaryFor(f.Name, false))
			if enc, ok := plainColumnEncoding(f.Type); ok {
				opts = append(opts, parquet.WithEncodingFor(f.Name, enc))
			}
		}
	}
	return parquet.NewWriterProperties(opts...)
}

// plainColumnEncoding is the encoding of a column of type t written
// without a dictionary, when not PLAIN:
//   - 32- and 64-bit integers (counts, row numbers): DELTA_BINARY_PACKED.
//     Their plain pages are mostly zero bytes (8 bytes for a count of
//     hundreds), which zstd shrinks slowly (about 200 MB/s, a fifth of the
//     page compression of a 1 M-row ingest); the bit-packed deltas are a
//     fraction of that before zstd sees them.
//   - floats (latitude, longitude): BYTE_STREAM_SPLIT. zstd finds many
//     short, useless matches in plain doubles: the 2 M coordinates of the
//     1 M-row bench input took 180 ms to encode and compress, their bytes
//     split by position 49 ms (one goroutine); in the ingest's warehouse
//     they take 13.37 MB instead of 13.60 MB.
//
// Both are read by DuckDB and every Parquet reader (format 2.0 and 2.8).
func plainColumnEncoding(t arrow.DataType) (parquet.Encoding, bool) {
	switch t.ID() {
	case arrow.INT32, arrow.INT64:
		return parquet.Encodings.DeltaBinaryPacked, true
	case arrow.FLOAT32, arrow.FLOAT64:
		return parquet.Encodings.ByteStreamSplit, true
	}
	return parquet.Encodings.Plain, false
}

// newParquetWriter starts a Parquet stream of schema on out (closed with
// the writer), storing the Arrow schema.
func newParquetWriter(out io.Writer, schema *arrow.Schema, props *parquet.WriterProperties, opts ...pqarrow.WriterOption) (*pqarrow.FileWriter, error) {
	return pqarrow.NewFileWriter(schema, out, props, pqarrow.NewArrowWriterProperties(append([]pqarrow.WriterOption{pqarrow.WithStoreSchema()}, opts...)...))
}

// parquetIsLeaf reports a type stored as one Parquet column named as the
// field (not a list, struct or map).
func parquetIsLeaf(t arrow.DataType) bool {
	_, nested := t.(arrow.NestedType)
	return !nested
}

// syncOnClose fsyncs the file when the Parquet writer closes it.
type syncOnClose struct{ StagedFile }

func (s syncOnClose) Close() error {
	if err := s.StagedFile.Sync(); err != nil {
		s.StagedFile.Close()
		return err
	}
	return s.StagedFile.Close()
}

// Abort closes and removes a file that will not be committed.
func (p *ParquetFile) Abort() {
	p.w.Close()
	p.f.Close()
	os.Remove(p.path)
}
