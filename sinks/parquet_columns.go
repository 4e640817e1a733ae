package sinks

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/iom-dtm/dtm/schemas"
)

// columnsWriter writes Arrow records to a Parquet file as pqarrow's
// FileWriter does (same schema, metadata, row groups, pages and bytes), but
// encodes the columns of each record on up to `workers` goroutines: in a
// buffered row group (file.BufferedRowGroupWriter) each column has its own
// encoder, dictionary, statistics and page buffer, so columns can be
// written at once; only closing a row group, which appends the column
// chunks to the file one after the other, is serial. Each column's last
// page (most of a 32 Ki-row group's pages: a page holds up to 1 MiB) is
// also built and compressed in parallel, just before that close.
//
// The columns of a record are handed to the goroutines in turn (an atomic
// counter), so a slow column (site names) does not hold up the others. The
// levels are computed in parquet_levels.go; a schema it does not handle
// is written by pqarrow (createParquet decides).
type columnsWriter struct {
	w       *file.Writer
	fields  []fieldLeaves
	workers int
	props   pqarrow.ArrowWriterProperties
	rgw     file.BufferedRowGroupWriter
	// ctxs and bufs are each goroutine's pqarrow write context (its
	// scratch buffer must not be shared) and level buffers.
	ctxs []context.Context
	bufs []levelBuffers
	// dicts are the open row group's columns numbered by the writer, by
	// leaf column (nil for the others): dictionary string columns
	// (parquet_dict.go) and, once useIntDictionaries is called, integer
	// columns (parquet_intdict.go).
	dicts []dictColumn
	// groupRows is the number of rows of the open row group.
	groupRows int64
}

// newColumnsWriter starts a Parquet stream of schema on out (closed with
// the writer) as pqarrow.NewFileWriter with WithStoreSchema does: the
// schema's metadata and the Arrow schema (base64 IPC, list elements named
// "element") as key-value metadata. It reports false (and writes nothing)
// when a field has a shape parquet_levels.go does not handle.
func newColumnsWriter(out io.Writer, schema *arrow.Schema, props *parquet.WriterProperties, arrProps pqarrow.ArrowWriterProperties, workers int) (*columnsWriter, bool, error) {
	fields, ok := planLeaves(schema)
	if !ok {
		return nil, false, nil
	}
	schema = schemas.WithPlainStrings(schema) // what the file stores (parquet_dict.go)
	pqschema, err := pqarrow.ToParquet(schema, props, arrProps)
	if err != nil {
		return nil, true, err
	}
	meta := make(metadata.KeyValueMetadata, 0)
	md := schema.Metadata()
	for i := range md.Len() {
		meta.Append(md.Keys()[i], md.Values()[i])
	}
	stored := flight.SerializeSchema(arrow.NewSchema(storedFields(schema.Fields()), &md), props.Allocator())
	meta.Append("ARROW:schema", base64.StdEncoding.EncodeToString(stored))
	w, err := file.NewParquetWriterWithError(out, pqschema.Root(), file.WithWriterProps(props), file.WithWriteMetadata(meta))
	if err != nil {
		return nil, true, err
	}
	cw := &columnsWriter{w: w, fields: fields, props: arrProps, dicts: make([]dictColumn, pqschema.NumColumns())}
	for _, fl := range fields {
		if schemas.IsDictionaryOfStrings(fl.field.Type) {
			cw.dicts[fl.first] = newDictChunk(props.Allocator(), fl.field)
		}
	}
	cw.setWorkers(workers)
	return cw, true, nil
}

// useIntDictionaries makes the writer number the values of its flat
// integer columns (int64, int32, date32) and of its list<string> columns
// that the properties dictionary-encode itself (parquet_intdict.go,
// parquet_listdict.go) instead of pqarrow's encoder hashing every value.
// Call it before the first write.
func (c *columnsWriter) useIntDictionaries() {
	props := c.w.Properties()
	for _, fl := range c.fields {
		if c.dicts[fl.first] != nil || !props.DictionaryEnabledFor(c.w.Schema.Column(fl.first).ColumnPath().String()) {
			continue
		}
		var d dictColumn
		switch fl.shape {
		case shapeFlat:
			d = newIntDictColumn(props.Allocator(), fl.field)
		case shapeList:
			d = newListDictColumn(props.Allocator(), fl)
		}
		if d != nil {
			c.dicts[fl.first] = d
		}
	}
}

// storedFields are the fields as pqarrow stores them in the file's Arrow
// schema: list elements named "element", as the Parquet groups are.
func storedFields(fields []arrow.Field) []arrow.Field {
	out := make([]arrow.Field, len(fields))
	for i, f := range fields {
		switch t := f.Type.(type) {
		case *arrow.ListType:
			elem := storedFields([]arrow.Field{t.ElemField()})[0]
			elem.Name = "element"
			f = arrow.Field{Name: f.Name, Type: arrow.ListOfField(elem), Nullable: f.Nullable, Metadata: f.Metadata}
		case *arrow.StructType:
			f = arrow.Field{Name: f.Name, Type: arrow.StructOf(storedFields(t.Fields())...), Nullable: f.Nullable, Metadata: f.Metadata}
		}
		out[i] = f
	}
	return out
}

// AppendKeyValueMetadata appends a key/value pair to the file's metadata.
func (c *columnsWriter) AppendKeyValueMetadata(key, value string) error {
	return c.w.AppendKeyValueMetadata(key, value)
}

// newRowGroup closes the open row group, if any, and starts a buffered one.
func (c *columnsWriter) newRowGroup() error {
	if err := c.closeRowGroup(); err != nil {
		return err
	}
	rgw, err := c.w.AppendBufferedRowGroupChecked()
	if err != nil {
		return err
	}
	c.rgw = rgw
	c.groupRows = 0
	return nil
}

// closeRowGroup writes the dictionary string columns, builds and
// compresses each column's last page in parallel, then closes the row
// group (its column chunks are written in order).
func (c *columnsWriter) closeRowGroup() error {
	if c.rgw == nil {
		return nil
	}
	rgw := c.rgw
	c.rgw = nil
	err := c.each(rgw.NumColumns(), func(g int, i int) error {
		cw, err := rgw.Column(i)
		if err != nil {
			return err
		}
		if d := c.dicts[i]; d != nil {
			if err := d.write(c.ctxs[g], cw, &c.bufs[g]); err != nil {
				return fmt.Errorf("column %s: %w", d.name(), err)
			}
		}
		return flushLastPage(cw)
	})
	if err != nil {
		return err
	}
	return rgw.Close()
}

// pageFlusher is what the typed column writers of package file implement
// (columnWriter.FlushCurrentPage, promoted).
type pageFlusher interface{ FlushCurrentPage() error }

// flushLastPage builds the page of the values a column writer has not put
// in a page yet, if it holds any, as its Close would, so that Close (serial)
// finds it done. A writer whose buffered levels have no value (a page of
// nulls) or of booleans is left to Close: cheap, and only values tell from
// outside that the page is not empty.
func flushLastPage(cw file.ColumnChunkWriter) error {
	f, ok := cw.(pageFlusher)
	if !ok || cw.Type() == parquet.Types.Boolean {
		return nil
	}
	enc := cw.CurrentEncoder()
	if enc == nil {
		return nil
	}
	var pending bool
	if d, ok := enc.(interface{ ObservedRawSize() int64 }); ok {
		pending = d.ObservedRawSize() > 0 // a dictionary encoder: raw bytes since the last page
	} else if enc.Encoding() == parquet.Encodings.DeltaBinaryPacked {
		// Its size estimate still counts the last page after that page is
		// flushed (until the next value): the page statistics, reset with
		// each page, count the values since.
		st := cw.PageStatistics()
		pending = st != nil && st.NumValues() > 0
	} else {
		pending = enc.EstimatedDataEncodedSize() > 0 // a plain encoder: its buffer
	}
	if !pending {
		return nil
	}
	return f.FlushCurrentPage()
}

// Write writes rec as its own row groups (of up to MaxRowGroupLength rows),
// as pqarrow's FileWriter.Write.
func (c *columnsWriter) Write(rec arrow.RecordBatch) error {
	maxRows := c.w.Properties().MaxRowGroupLength()
	for off := int64(0); off == 0 || off < rec.NumRows(); off += maxRows {
		if err := c.newRowGroup(); err != nil {
			return err
		}
		if err := c.writeRange(rec, off, min(maxRows, rec.NumRows()-off)); err != nil {
			return err
		}
		if err := c.closeRowGroup(); err != nil {
			return err
		}
	}
	return nil
}

// WriteBuffered appends rec to the open buffered row group (starting one if
// none is open), starting new ones at MaxRowGroupLength rows, as pqarrow's
// FileWriter.WriteBuffered.
func (c *columnsWriter) WriteBuffered(rec arrow.RecordBatch) error {
	maxRows := c.w.Properties().MaxRowGroupLength()
	if c.rgw == nil {
		if err := c.newRowGroup(); err != nil {
			return err
		}
	}
	for off := int64(0); off < rec.NumRows(); {
		cur := c.groupRows
		if cur >= maxRows {
			if err := c.newRowGroup(); err != nil {
				return err
			}
			cur = 0
		}
		n := min(maxRows-cur, rec.NumRows()-off)
		if err := c.writeRange(rec, off, n); err != nil {
			return err
		}
		off += n
	}
	return nil
}

// NewBufferedRowGroupChecked closes the open row group and starts a new one.
func (c *columnsWriter) NewBufferedRowGroupChecked() error { return c.newRowGroup() }

// setWorkers sets the number of goroutines encoding the columns (at least
// 1); the row groups written are the same for any number.
func (c *columnsWriter) setWorkers(n int) {
	n = max(n, 1)
	for len(c.ctxs) < n {
		c.ctxs = append(c.ctxs, pqarrow.NewArrowWriteContext(context.Background(), &c.props))
		c.bufs = append(c.bufs, levelBuffers{})
	}
	c.workers = n
}

// writeRange writes rows [off, off+n) of rec to the open row group, the
// columns on the writer's goroutines.
func (c *columnsWriter) writeRange(rec arrow.RecordBatch, off, n int64) error {
	if n == 0 {
		return nil
	}
	if off != 0 || n != rec.NumRows() {
		rec = rec.NewSlice(off, off+n)
		defer rec.Release()
	}
	rgw := c.rgw
	c.groupRows += n
	return c.each(len(c.fields), func(g, i int) error {
		return c.writeField(g, rgw, c.fields[i], rec.Column(i))
	})
}

// writeField writes one Arrow column to its leaf columns on goroutine g.
func (c *columnsWriter) writeField(g int, rgw file.BufferedRowGroupWriter, fl fieldLeaves, col arrow.Array) error {
	if d := c.dicts[fl.first]; d != nil {
		if err := d.add(col); err != nil {
			return fmt.Errorf("column %s: %w", fl.field.Name, err)
		}
		return nil
	}
	for leaf := range fl.count {
		var lw leafWrite
		if fl.shape == shapeFlat {
			lw = flatLevels(col, fl.field.Nullable, &c.bufs[g])
		} else {
			var err error
			if lw, err = listLevels(fl, col.(*array.List), leaf, &c.bufs[g]); err != nil {
				return fmt.Errorf("column %s: %w", fl.field.Name, err)
			}
		}
		cw, err := rgw.Column(fl.first + leaf)
		if err != nil {
			lw.values.Release()
			return err
		}
		err = pqarrow.WriteArrowToColumn(c.ctxs[g], cw, lw.values, lw.def, lw.rep, lw.nullable)
		lw.values.Release()
		if err != nil {
			return fmt.Errorf("column %s: %w", fl.field.Name, err)
		}
	}
	return nil
}

// each runs fn(g, i) for i in [0, n) on up to c.workers goroutines (g is
// the goroutine's number, for its scratch state), the items taken in turn,
// and returns the first error; a panic becomes an error. With one worker,
// or one item, it runs on the calling goroutine.
func (c *columnsWriter) each(n int, fn func(g, i int) error) error {
	workers := min(c.workers, n)
	if workers <= 1 {
		for i := range n {
			if err := safeCall(func() error { return fn(0, i) }); err != nil {
				return err
			}
		}
		return nil
	}
	var next atomic.Int64
	var failed atomic.Bool
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := safeCall(func() error { return fn(g, i) }); err != nil {
					errs[g] = err
					failed.Store(true)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// safeCall calls fn, turning a panic into an error (a panic on an encoding
// goroutine would otherwise end the process).
func safeCall(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error while encoding: %v", p)
		}
	}()
	return fn()
}

// Close closes the open row group and finishes the file (footer, then the
// output is closed).
func (c *columnsWriter) Close() error {
	err := c.closeRowGroup()
	for _, d := range c.dicts {
		if d != nil {
			d.release()
		}
	}
	c.dicts = nil
	if err != nil {
		c.w.Close()
		return err
	}
	return c.w.Close()
}
