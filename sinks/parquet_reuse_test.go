package sinks

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/iom-dtm/dtm/schemas"
)

// TestParquetRoundTripAfterBufferReuse: arrow-go's Parquet writer, as
// patched in third_party/arrow-go, keeps the page buffers of finished
// column writers and encoders for the next ones (free lists that survive
// garbage collections, instead of fresh buffers and a sync.Pool). Files of
// different sizes and page sizes are written one after another, as staged
// files are, so later files get buffers earlier ones used and gave back;
// each is read back and must hold the values written. A kept buffer
// handed out dirty, too short or still in use would show as a wrong value
// or an unreadable file.
func TestParquetRoundTripAfterBufferReuse(t *testing.T) {
	dir := t.TempDir()
	plain := schemas.SiteAssessment().PlainEncoded
	for i, tc := range []struct {
		rows int
		opts []parquet.WriterProperty
	}{
		{9000, nil},
		{300, []parquet.WriterProperty{parquet.WithDataPageSize(2048)}},
		{12000, []parquet.WriterProperty{parquet.WithDataPageSize(16 << 10), parquet.WithDictionaryPageSizeLimit(8 << 10)}},
		{1, nil},
		{7000, []parquet.WriterProperty{parquet.WithDataPageSize(4096)}},
		{9000, nil},
	} {
		recs := encodingRecords(t, tc.rows)
		path := filepath.Join(dir, fmt.Sprintf("f%d.parquet", i))
		writePropsWith(t, path, recs, parquetWriterProperties(recs[0].Schema(), plain, tc.opts...), true)
		want := columnStrings(recs)
		for _, r := range recs {
			r.Release()
		}
		got := readColumnStrings(t, path)
		if len(got) != len(want) {
			t.Fatalf("file %d: %d columns read back, %d written", i, len(got), len(want))
		}
		for c := range want {
			if !slices.Equal(got[c], want[c]) {
				t.Fatalf("file %d (%d rows), column %d: the values read back differ from those written", i, tc.rows, c)
			}
		}
	}
}

// columnStrings is the text of every value of recs, by column.
func columnStrings(recs []arrow.RecordBatch) [][]string {
	out := make([][]string, recs[0].NumCols())
	for _, r := range recs {
		s := stringColumns(r) // dictionary columns as the file stores them
		for c := range out {
			col := s.Column(c)
			for j := range col.Len() {
				out[c] = append(out[c], col.ValueStr(j))
			}
		}
		s.Release()
	}
	return out
}

// readColumnStrings reads the Parquet file at path with pqarrow (readBack)
// and returns the text of every value, by column.
func readColumnStrings(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tbl := readBack(t, b)
	defer tbl.Release()
	out := make([][]string, tbl.NumCols())
	for c := range out {
		for _, ch := range tbl.Column(c).Data().Chunks() {
			for j := range ch.Len() {
				out[c] = append(out[c], ch.ValueStr(j))
			}
		}
	}
	return out
}
