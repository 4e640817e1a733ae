package xlsx

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/internal/testutil"
)

// readWith drains path with one engine, returning header, rows and error.
func readWith(path string, opts ingest.Options, useExcelize bool) (ingest.Header, []ingest.Row, error) {
	r, err := open(path, opts, useExcelize)
	if err != nil {
		return ingest.Header{}, nil, err
	}
	defer func() { _ = r.Close() }()
	rows, err := drain(r, 50)
	return r.Header(), rows, err
}

// TestEnginesAgree checks that the fast sheet scanner returns exactly what
// excelize's streaming reader returns, on every kind of fixture.
func TestEnginesAgree(t *testing.T) {
	dir := t.TempDir()
	paths := map[string]string{"multi": multiSheetBook(t), "bench": benchBook(t, 300)}
	for i, b := range handMadeBooks(t)[:2] { // the third has a bad index: excelize drops the cell, we fail
		p := filepath.Join(dir, "hand"+string(rune('a'+i))+".xlsx")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		paths[filepath.Base(p)] = p
	}
	paths["mixed"] = writeBook(t, testutil.Sheet{Name: "Data", Rows: [][]any{
		{"Title"}, nil,
		strs("a & b", "<c>", "d\ne", "  spaced  ", "_x000D_ literal?"),
		{1.5, -2, 1e21, 0.1, "x"}, nil, nil,
		{"last", nil, nil, nil, nil, nil, nil, "far"},
	}})
	for name, p := range paths {
		for _, sheet := range []string{"", "Summary", "Metadata"} {
			opts := ingest.Options{Sheet: sheet}
			h1, r1, e1 := readWith(p, opts, true)
			h2, r2, e2 := readWith(p, opts, false)
			if (e1 == nil) != (e2 == nil) {
				t.Errorf("%s/%s: excelize err %v, fast err %v", name, sheet, e1, e2)
				continue
			}
			if !reflect.DeepEqual(h1, h2) {
				t.Errorf("%s/%s: headers differ\nexcelize %+v\nfast     %+v", name, sheet, h1, h2)
			}
			if !reflect.DeepEqual(r1, r2) {
				t.Errorf("%s/%s: rows differ\nexcelize %+v\nfast     %+v", name, sheet, r1, r2)
			}
		}
	}
}
