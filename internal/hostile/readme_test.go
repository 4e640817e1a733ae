package hostile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readme renders testdata/hostile/README.md from the corpus.
func readme() string {
	var b strings.Builder
	b.WriteString(`# Hostile and broken inputs

Every case below is ingested by ` + "`make test`" + ` (internal/hostile, TestCorpus)
through ` + "`pipeline.Run`" + ` into a fresh warehouse, with a deadline. For every case:
no panic, no hang, rows_in = rows_written + rows_rejected, a failed input
commits nothing (no Parquet file, no manifest entry), nothing is written
outside the warehouse, and formula payloads come back verbatim from DuckDB and
neutralised (prefixed with ` + "`'`" + `) by the CSV export.

**fail**: the input fails as a whole; its error names the file (and the sheet,
row and column where they apply) and must contain the listed text.
**commit**: the input is committed, with at least the listed reject codes.

Files marked *generated* are written by internal/hostile (gen_*.go) into a
temporary directory at test time (large ones are streamed to disk).
Regenerate this table with ` + "`DTM_HOSTILE_README=1 go test ./internal/hostile -run TestReadme`" + `.

| case | file | kind | limits | outcome | must contain / codes | what |
|---|---|---|---|---|---|---|
`)
	for _, c := range Cases() {
		file := "`" + c.File + "`"
		if c.Gen != nil {
			file = "*generated* `" + c.GenName + "`"
		}
		lim := []string{}
		l := c.Limits
		for _, kv := range []struct {
			k string
			v int64
		}{{"max_file_bytes", l.MaxFileBytes}, {"max_decompressed_bytes", l.MaxDecompressedBytes}, {"max_columns", int64(l.MaxColumns)},
			{"max_cell_bytes", int64(l.MaxCellBytes)}, {"max_row_bytes", int64(l.MaxRowBytes)}, {"max_header_scan", int64(l.MaxHeaderScan)}} {
			if kv.v != 0 {
				lim = append(lim, fmt.Sprintf("%s: %d", kv.k, kv.v))
			}
		}
		want := append([]string{}, c.ErrHas...)
		if c.Want == Commit {
			want = append([]string{}, c.Codes...)
			if c.MinWritten > 0 {
				want = append(want, fmt.Sprintf("≥ %d rows written", c.MinWritten))
			}
		}
		for i, w := range want {
			want[i] = strings.ReplaceAll(w, "|", `\|`)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s |\n", c.Name, file, c.Kind, strings.Join(lim, ", "),
			c.Want, strings.Join(want, "; "), strings.ReplaceAll(c.Why, "|", `\|`))
	}
	return b.String()
}

func TestReadme(t *testing.T) {
	p := filepath.Join("..", "..", "testdata", "hostile", "README.md")
	if os.Getenv("DTM_HOSTILE_README") != "" {
		if err := os.WriteFile(p, []byte(readme()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != readme() {
		t.Errorf("%s is out of date: regenerate it with DTM_HOSTILE_README=1 go test ./internal/hostile -run TestReadme", p)
	}
}
