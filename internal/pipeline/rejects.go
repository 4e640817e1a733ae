package pipeline

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// rejectFlushRows is how many rejects are buffered before being written.
const rejectFlushRows = 32 * 1024

// rejectWriter streams the rejects of one input to its staged rejects file
// and counts them by code.
type rejectWriter struct {
	txn *sinks.Txn
	mem memory.Allocator
	key string
	pf  *sinks.ParquetFile
	rel string
	buf []schemas.Reject
	// codes counts the error-severity rejects by code, warnCodes the
	// warning-severity ones (cells emptied, file-level remarks: the row is
	// kept), warnings all of the latter.
	codes, warnCodes map[string]int
	warnings         int64
	sampled          map[string]int
	// samples keeps the first rejects of each code for reports.
	samples []schemas.Reject
	// dryRun keeps counts and samples only.
	dryRun bool
}

// samplesPerCode is how many rejects of each code reports show.
const samplesPerCode = 5

// RejectsSchema is the Arrow schema of the rejects files (the `rejects` view).
func RejectsSchema() *arrow.Schema {
	ds := schemas.RejectsDataset()
	fs := make([]arrow.Field, len(ds.Fields))
	for i, f := range ds.Fields {
		fs[i] = arrow.Field{Name: f.Name, Type: f.Kind.ArrowType(), Nullable: true}
	}
	md := arrow.NewMetadata([]string{"dtm.dataset", "dtm.schema_version"}, []string{ds.Name, ds.Version})
	return arrow.NewSchema(fs, &md)
}

func (w *rejectWriter) addAll(rs []schemas.Reject) error {
	if w.sampled == nil {
		w.sampled = map[string]int{}
	}
	for i := range rs {
		// The value may point into the reader's recycled rows (chunk_rows.go):
		// rejects are kept past the chunk (buffered, sampled), so they copy it.
		rs[i].Value = strings.Clone(rs[i].Value)
		r := rs[i]
		if r.Severity == schemas.SeverityWarning {
			if w.warnCodes == nil {
				w.warnCodes = map[string]int{}
			}
			w.warnCodes[r.Code]++
			w.warnings++
		} else {
			w.codes[r.Code]++
		}
		w.sampled[r.Code]++
		if w.sampled[r.Code] <= samplesPerCode {
			w.samples = append(w.samples, r)
		}
	}
	if w.dryRun {
		return nil
	}
	w.buf = append(w.buf, rs...)
	if len(w.buf) >= rejectFlushRows {
		return w.flush()
	}
	return nil
}

func (w *rejectWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	schema := RejectsSchema()
	if w.pf == nil {
		pf, rel, err := w.txn.CreateRejects(schema, w.key)
		if err != nil {
			return err
		}
		w.pf, w.rel = pf, rel
	}
	b := array.NewRecordBuilder(w.mem, schema)
	defer b.Release()
	reserveRejects(b, w.buf)
	for _, r := range w.buf {
		b.Field(0).(*array.StringBuilder).Append(r.File)
		b.Field(1).(*array.StringBuilder).Append(r.Sheet)
		b.Field(2).(*array.Int64Builder).Append(int64(r.Row))
		b.Field(3).(*array.StringBuilder).Append(r.Column)
		b.Field(4).(*array.StringBuilder).Append(r.Value)
		b.Field(5).(*array.StringBuilder).Append(r.Code)
		b.Field(6).(*array.StringBuilder).Append(string(r.Severity))
		b.Field(7).(*array.StringBuilder).Append(r.Message)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	w.buf = w.buf[:0]
	return w.pf.Write(rec)
}

// reserveRejects sizes the builders of b (RejectsSchema's columns, in
// order) for rs, so that no column grows by doubling (reallocating and
// copying its strings) while the rejects are appended.
func reserveRejects(b *array.RecordBuilder, rs []schemas.Reject) {
	b.Reserve(len(rs))
	var size [8]int
	for _, r := range rs {
		size[0] += len(r.File)
		size[1] += len(r.Sheet)
		size[3] += len(r.Column)
		size[4] += len(r.Value)
		size[5] += len(r.Code)
		size[6] += len(r.Severity)
		size[7] += len(r.Message)
	}
	for i, n := range size {
		if sb, ok := b.Field(i).(*array.StringBuilder); ok {
			sb.ReserveData(n)
		}
	}
}

// finish writes what is buffered and returns the rejects file ("" if none).
func (w *rejectWriter) finish() (string, error) {
	if err := w.flush(); err != nil {
		return "", err
	}
	return w.rel, nil
}

func (w *rejectWriter) discard() {
	if w.rel != "" {
		w.txn.Discard(w.rel)
	}
	w.pf, w.rel, w.buf = nil, "", nil
}
