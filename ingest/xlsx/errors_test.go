package xlsx

import (
	"archive/zip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/internal/testutil"
)

// smallBook writes a valid two-row workbook.
func smallBook(t testing.TB) string {
	return writeBook(t, testutil.Sheet{Name: "Data", Rows: [][]any{strs("Site", "IDPs"), {"A", 1}}})
}

// bombZip writes a zip whose one entry declares a huge uncompressed size.
func bombZip(t testing.TB) string {
	path := filepath.Join(t.TempDir(), "bomb.xlsx")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(fh)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Store,
		CompressedSize64: 4, UncompressedSize64: 50 << 30})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("<x/>")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notZip := filepath.Join(dir, "sites.xlsx")
	if err := os.WriteFile(notZip, []byte("State,LGA\nBorno,Bama\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ole := filepath.Join(dir, "old.xls")
	if err := os.WriteFile(ole, append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.xlsx")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.xlsx")
	good, err := os.ReadFile(smallBook(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(truncated, good[:len(good)*2/3], 0o600); err != nil {
		t.Fatal(err)
	}
	wide := writeBook(t, testutil.Sheet{Name: "Wide", Rows: [][]any{
		strs("a", "b"), strs("1", "2", "3", "4", "5", "6")}})
	big := writeBook(t, testutil.Sheet{Name: "Big", Rows: [][]any{
		strs("a", "b"), strs("x", strings.Repeat("y", 300))}})

	cases := []struct {
		name, path string
		lim        ingest.Limits
		sentinel   error
		want       []string
	}{
		{"not a zip", notZip, ingest.Limits{}, ErrNotXLSX, []string{"sites.xlsx", "not a zip"}},
		{"legacy xls", ole, ingest.Limits{}, ErrNotXLSX, []string{"old.xls", ".xls"}},
		{"empty file", empty, ingest.Limits{}, ErrNotXLSX, []string{"empty.xlsx"}},
		{"truncated", truncated, ingest.Limits{}, ErrCorrupt, []string{"truncated.xlsx", "truncated"}},
		{"missing", filepath.Join(dir, "nope.xlsx"), ingest.Limits{}, os.ErrNotExist, []string{"nope.xlsx"}},
		{"directory", dir, ingest.Limits{}, ErrNotXLSX, []string{"directory"}},
		{"zip bomb", bombZip(t), ingest.Limits{}, ingest.ErrLimit, []string{"bomb.xlsx", "uncompressed"}},
		{"file size", smallBook(t), ingest.Limits{MaxFileBytes: 100}, ingest.ErrLimit, []string{"book.xlsx", "bytes"}},
		{"decompressed size", smallBook(t), ingest.Limits{MaxDecompressedBytes: 1000}, ingest.ErrLimit, []string{"book.xlsx"}},
		{"max columns", wide, ingest.Limits{MaxColumns: 4}, ingest.ErrLimit,
			[]string{`sheet "Wide"`, "book.xlsx", "row 2", "column E", "columns, limit 4"}},
		{"max cell bytes", big, ingest.Limits{MaxCellBytes: 200}, ingest.ErrLimit,
			[]string{`sheet "Big"`, "row 2", "column B", "300 bytes"}},
		{"max row bytes", big, ingest.Limits{MaxRowBytes: 250}, ingest.ErrLimit, []string{`sheet "Big"`, "row 2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := openAndDrain(c.path, ingest.Options{Limits: c.lim})
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, c.sentinel) {
				t.Errorf("error %q does not wrap %v", err, c.sentinel)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if _, err := Sheets(c.path, ingest.Options{Limits: c.lim, Sheet: "Wide"}); err == nil && c.sentinel != ingest.ErrLimit {
				t.Errorf("Sheets accepted a bad file")
			}
		})
	}
}

// openAndDrain opens path and reads every row, returning the first error.
func openAndDrain(path string, opts ingest.Options) error {
	r, err := Open(path, opts)
	if err != nil {
		return err
	}
	_, err = drain(r, 100)
	if cerr := r.Close(); err == nil {
		err = cerr
	}
	return err
}

func TestColumnName(t *testing.T) {
	for col, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 703: "AAA", 16384: "XFD", 0: "?"} {
		if got := columnName(col); got != want {
			t.Errorf("columnName(%d) = %q, want %q", col, got, want)
		}
	}
}
