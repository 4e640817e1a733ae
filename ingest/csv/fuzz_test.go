package csv

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/iom-dtm/dtm/ingest"
)

// FuzzReader feeds arbitrary bytes to the reader: it must never panic, data
// rows must lie below the header (and HXL row) with strictly increasing line
// numbers, and every cell must be valid UTF-8 without NUL.
func FuzzReader(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("a,\"b\r\n\"\"c\"\r\n\r1,2\x00,\xff\n"))
	f.Add([]byte("\xff\xfe\x00"))
	opts := ingest.Options{Limits: ingest.Limits{MaxColumns: 64, MaxCellBytes: 1 << 10, MaxRowBytes: 4 << 10, MaxHeaderScan: 8}}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader("fuzz.csv", bytes.NewReader(data), opts)
		if err != nil {
			if !strings.Contains(err.Error(), `"fuzz.csv"`) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		defer r.Close()
		h := r.Header()
		checkText(t, h.Columns)
		checkText(t, h.HXL)
		last := max(h.HeaderLine, h.SubHeaderLine, h.UnitsLine, h.HXLLine)
		// An HXL row with nothing above it is its own header (HXLLine ==
		// HeaderLine); the other rows lie under the header.
		if h.HeaderLine < 1 || (h.HXLLine != 0 && h.HXLLine < h.HeaderLine) ||
			(h.SubHeaderLine != 0 && h.SubHeaderLine <= h.HeaderLine) || (h.UnitsLine != 0 && h.UnitsLine <= h.HeaderLine) {
			t.Fatalf("HeaderLine %d, SubHeaderLine %d, UnitsLine %d, HXLLine %d", h.HeaderLine, h.SubHeaderLine, h.UnitsLine, h.HXLLine)
		}
		for {
			rows, err := r.Next(7)
			for _, row := range rows {
				if row.Line <= last {
					t.Fatalf("row line %d after line %d (header %d)", row.Line, last, h.HeaderLine)
				}
				last = row.Line
				if len(row.Cells) < len(h.Columns) {
					t.Fatalf("row %d has %d cells, header %d", row.Line, len(row.Cells), len(h.Columns))
				}
				checkText(t, row.Cells)
			}
			if err == io.EOF {
				return
			}
			if err != nil {
				if !strings.Contains(err.Error(), `"fuzz.csv"`) {
					t.Fatalf("error does not name the file: %v", err)
				}
				return
			}
		}
	})
}

func checkText(t *testing.T, cells []string) {
	t.Helper()
	for _, c := range cells {
		if !utf8.ValidString(c) || strings.IndexByte(c, 0) >= 0 {
			t.Fatalf("cell %q is not clean UTF-8", c)
		}
	}
}
