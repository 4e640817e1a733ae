package dtmapi

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
)

func FuzzNewReader(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		``, `[]`, `{}`, `null`, `[{}]`, `{"result":null,"isSuccess":false}`,
		`{"result":[{"a":[[[{"b":1e999}]]]}],"totalRecordsCount":"x"}`,
		`[{"id":1.5e3,"admin2Pcode":"X"},{"id":-0.0,"new":{"k":[true,null]}}]`,
		"\xEF\xBB\xBF[{\"a\":\"\\u00e9\\ud800\"}]",
		`{"errorMessages":[{"m":1},"x"],"result":[{"a":1}],"isSuccess":"false"}`,
	} {
		f.Add([]byte(s))
	}
	lim := ingest.Limits{MaxFileBytes: 1 << 20, MaxCellBytes: 4096, MaxRowBytes: 16 << 10, MaxColumns: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, body := range []io.Reader{bytes.NewReader(data), onlyReader{bytes.NewReader(data)}} {
			r, err := NewReader("fuzz.json", body, ingest.Options{Limits: lim})
			if err != nil {
				continue
			}
			h := r.Header()
			if len(h.Columns) < len(KnownColumns()) {
				t.Fatalf("%d columns", len(h.Columns))
			}
			last := 0
			for {
				rows, err := r.Next(7)
				for _, row := range rows {
					if row.Line <= last {
						t.Fatalf("line %d after %d", row.Line, last)
					}
					last = row.Line
					if len(row.Cells) != len(h.Columns) {
						t.Fatalf("%d cells for %d columns", len(row.Cells), len(h.Columns))
					}
				}
				if err != nil {
					if !errors.Is(err, io.EOF) && len(rows) > 0 {
						t.Fatalf("rows returned with error %v", err)
					}
					break
				}
				if len(rows) == 0 {
					t.Fatal("no rows and no error")
				}
			}
			r.Close()
		}
	})
}
