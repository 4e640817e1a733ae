package xlsx

import (
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/internal/testutil"
)

// writeBook writes sheets to a fresh file and returns its path.
func writeBook(t testing.TB, sheets ...testutil.Sheet) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "book.xlsx")
	testutil.WriteXLSX(t, path, sheets)
	return path
}

// openAll opens path and drains it.
func openAll(t testing.TB, path string, opts ingest.Options) (ingest.Header, []ingest.Row) {
	t.Helper()
	r, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer func() {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	rows, err := drain(r, 7)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return r.Header(), rows
}

// drain reads every row in batches of n.
func drain(r ingest.Reader, n int) ([]ingest.Row, error) {
	var all []ingest.Row
	for {
		batch, err := r.Next(n)
		if errors.Is(err, io.EOF) {
			return all, nil
		}
		if err != nil {
			return all, err
		}
		if len(batch) == 0 || len(batch) > n {
			return all, errors.New("batch size out of range")
		}
		all = append(all, batch...)
	}
}

// lines returns the Line of each row.
func lines(rows []ingest.Row) []int {
	out := make([]int, len(rows))
	for i, r := range rows {
		out[i] = r.Line
	}
	return out
}

// strs builds a []any row from strings.
func strs(ss ...string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// stringsReader is strings.NewReader as an io.Reader.
func stringsReader(s string) io.Reader { return strings.NewReader(s) }
