package sinks

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// ParquetFile streams Arrow records of one schema into one zstd Parquet
// file. The schema's metadata (dataset name and version) becomes Parquet
// key-value metadata.
type ParquetFile struct {
	path string
	f    *os.File
	w    *pqarrow.FileWriter
	rows int64
}

// CreateParquet creates path (and its directory) for writing.
func CreateParquet(path string, schema *arrow.Schema) (*ParquetFile, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("creating directory for %s: %w", path, err)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", path, err)
	}
	props := parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithDictionaryDefault(true),
		parquet.WithMaxRowGroupLength(1<<20),
		parquet.WithCreatedBy("dtm"),
	)
	w, err := pqarrow.NewFileWriter(schema, syncOnClose{f}, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("starting parquet %s: %w", path, err)
	}
	if md := schema.Metadata(); md.Len() > 0 {
		for i, k := range md.Keys() {
			if err := w.AppendKeyValueMetadata(k, md.Values()[i]); err != nil {
				f.Close()
				return nil, fmt.Errorf("parquet metadata %s: %w", path, err)
			}
		}
	}
	return &ParquetFile{path: path, f: f, w: w}, nil
}

// Write appends a record (the caller keeps ownership).
func (p *ParquetFile) Write(rec arrow.RecordBatch) error {
	if err := p.w.Write(rec); err != nil {
		return fmt.Errorf("writing %s: %w", p.path, err)
	}
	p.rows += rec.NumRows()
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

// syncOnClose fsyncs the file when the Parquet writer closes it.
type syncOnClose struct{ *os.File }

func (s syncOnClose) Close() error {
	if err := s.File.Sync(); err != nil {
		s.File.Close()
		return err
	}
	return s.File.Close()
}

// Abort closes and removes a file that will not be committed.
func (p *ParquetFile) Abort() {
	p.w.Close()
	p.f.Close()
	os.Remove(p.path)
}
