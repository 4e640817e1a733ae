package sinks

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Dictionary-encoded list<string> columns (a site assessment's
// displacement_reasons: a few vocabulary values per row). pqarrow hands
// every element of such a column to the Parquet dictionary encoder, which
// hashes it in arrow-go's BinaryMemoTable and updates the page statistics
// value by value (1.86 of 67.6 CPU s of a 10 M-row site ingest, profiled).
// A listDictChunk numbers the elements itself, keeps the row group's
// definition and repetition levels (parquet_levels.go listLevels, as
// pqarrow computes them) and, when the row group closes, hands the encoder
// the finished dictionary and the elements' numbers (PutDictionary,
// WriteDictIndices), as dictChunk does for flat string columns: the
// dictionary (values in order of first appearance in the row group), the
// indices, the levels, the statistics and the stored Arrow schema are those
// pqarrow writes, so readers get the same lists.
//
// As for dictChunk: a row group whose dictionary reaches the dictionary
// page size limit, or a column the encoder does not dictionary-encode, is
// written from the values by pqarrow (falling back to plain as it does);
// a row group whose indices exceed the data page size may be cut into
// pages elsewhere than pqarrow's (readable alike).

// listDictChunk is one list<string> column of the open row group.
type listDictChunk struct {
	fl   fieldLeaves
	mem  memory.Allocator
	dict stringDict
	// rows holds one number per element slot of the row group (null for a
	// null element), def and rep the levels of every list and element.
	rows     rowNumbers
	def, rep []int16
	// nullable: some record's leaf held a null (pqarrow writes a leaf
	// without nulls as not nullable).
	nullable bool
	// last and lastID memoise the previous element (lists repeat).
	last    string
	lastID  int32
	scratch levelBuffers
}

// newListDictColumn is the dictionary column of fl, or nil when fl is not
// a list of strings (one leaf).
func newListDictColumn(mem memory.Allocator, fl fieldLeaves) dictColumn {
	if fl.shape != shapeList || fl.count != 1 {
		return nil
	}
	lt, ok := fl.field.Type.(*arrow.ListType)
	if !ok || lt.Elem().ID() != arrow.STRING {
		return nil
	}
	return &listDictChunk{fl: fl, mem: mem, dict: newStringDict(mem), rows: newRowNumbers(mem), lastID: -1}
}

func (d *listDictChunk) name() string { return d.fl.field.Name }

// add appends the lists of col (a list<string> array).
func (d *listDictChunk) add(col arrow.Array) error {
	list, ok := col.(*array.List)
	if !ok {
		return fmt.Errorf("%s, not a list", col.DataType())
	}
	lw, err := listLevels(d.fl, list, 0, &d.scratch)
	if err != nil {
		return err
	}
	defer lw.values.Release()
	vals, ok := lw.values.(*array.String)
	if !ok {
		return fmt.Errorf("list of %s, not of strings", lw.values.DataType())
	}
	d.def = append(d.def, lw.def...)
	d.rep = append(d.rep, lw.rep...)
	d.nullable = d.nullable || lw.nullable
	n := vals.Len()
	d.rows.reserve(n)
	for j := range n {
		if vals.IsNull(j) {
			d.rows.addNull()
			continue
		}
		v := vals.Value(j)
		if d.lastID < 0 || v != d.last {
			d.lastID = d.dict.number(v)
			d.last = d.dict.names[d.lastID] // not the record's memory
		}
		d.rows.add(d.lastID)
	}
	return nil
}

// write writes the row group's lists to cw and empties the chunk.
func (d *listDictChunk) write(ctx context.Context, cw file.ColumnChunkWriter, _ *levelBuffers) error {
	rows := d.rows.take()
	defer rows.Release()
	values, bytes := d.dict.take()
	defer values.Release()
	def, rep, nullable := d.def, d.rep, d.nullable
	defer func() {
		d.def, d.rep = d.def[:0], d.rep[:0]
	}()
	d.nullable = false
	d.last, d.lastID = "", -1
	if len(def) == 0 {
		return nil
	}
	enc := cw.CurrentEncoder()
	put, ok := enc.(dictPutter)
	// No value at all (null or empty lists only): pqarrow's own path, an
	// empty dictionary is not handed to the encoder.
	if !ok || enc.Encoding() != parquet.Encodings.PlainDict || put.NumEntries() != 0 || values.Len() == 0 ||
		bytes >= cw.Properties().DictionaryPageSizeLimit() {
		dense := takeStrings(d.mem, values, rows)
		defer dense.Release()
		return pqarrow.WriteArrowToColumn(ctx, cw, dense, def, rep, nullable)
	}
	// As pqarrow.WriteArrowToColumn does before writing a leaf: a column
	// whose nulls may come from a list (not only the leaf) computes the
	// values' validity from the levels, in a buffer it keeps.
	info := cw.LevelInfo()
	single := info.DefLevel == info.RepeatedAncestorDefLevel+1 && nullable
	if info.HasNullableValues() && !single && !cw.HasBitsBuffer() {
		buf := memory.NewResizableBuffer(cw.Properties().Allocator())
		buf.Resize(int(bitutil.BytesForBits(cw.Properties().WriteBatchSize())))
		cw.SetBitsBuffer(buf)
	}
	return writeStringDict(cw, put, values, rows, rawSize(values, rows), def, rep)
}

// release frees the chunk's buffers.
func (d *listDictChunk) release() {
	d.dict.release()
	d.rows.release()
}
