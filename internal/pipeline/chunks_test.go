package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/iom-dtm/dtm/internal/bench/synth"
	"github.com/iom-dtm/dtm/schemas"
)

// awkwardSiteCSV is a site assessment CSV of about n rows built from the
// synthetic rows, with what makes the reader and the converter work: quoted
// cells holding commas, quotes and line breaks, accented names, blank lines,
// short and long (ragged) rows, repeated rows (near and far apart), cells a
// rule empties (not a number, negative, not a date, a p-code of the wrong
// shape), a row without its required values, and a totals row at the end.
// The same seed gives the same text.
func awkwardSiteCSV(n int, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 7))
	rows := synth.SiteRows(n)
	var b strings.Builder
	line := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(c, ",\"\n\r") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteByte('\n')
	}
	line(synth.SiteHeader)
	line(synth.SiteHXL)
	names := []string{"Camp de réfugiés", "Site \"Nord\", zone B", "Kadugli\nannex", "Déplacés, \"Gare\"\r\nligne 2", "Ñame", "École"}
	for i, r := range rows {
		r = append([]string(nil), r...)
		switch k := rng.IntN(40); {
		case k == 0:
			b.WriteString("\n") // a blank line
		case k == 1:
			b.WriteString(",,,,\n") // a blank row
		case k == 2 && i > 10:
			line(rows[rng.IntN(i)]) // repeats an earlier row
		case k == 3:
			r = r[:len(r)-3] // short row
		case k == 4:
			r = append(r, "extra", "cells") // long row
		case k == 5:
			r[16] = "n/a" // not a count
		case k == 6:
			r[17] = "-4"
		case k == 7:
			r[14] = "31/31/2025" // not a date
		case k == 8:
			r[2] = "??"
		case k == 9:
			r[0], r[13] = "", "" // no country, no round
		case k == 10:
			r[15], r[16] = "", "" // no figure
		}
		if rng.IntN(8) == 0 {
			r[8] = names[rng.IntN(len(names))]
		}
		line(r)
	}
	total := make([]string, len(synth.SiteHeader))
	total[1], total[16] = "Total", "123456"
	line(total)
	return b.String()
}

// encodings are the text encodings the CSV reader accepts, with how to
// write a text in each (mixed: UTF-8 with one cell in Windows-1252 far
// into the file).
var encodings = map[string]func(t *testing.T, s string) []byte{
	"utf-8": func(t *testing.T, s string) []byte { return []byte(s) },
	"utf-8 bom": func(t *testing.T, s string) []byte {
		return append([]byte("\xef\xbb\xbf"), s...)
	},
	"utf-16le": func(t *testing.T, s string) []byte {
		return encodeWith(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), s)
	},
	"utf-16be": func(t *testing.T, s string) []byte {
		return encodeWith(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), s)
	},
	"windows-1252": func(t *testing.T, s string) []byte {
		return encodeWith(t, charmap.Windows1252, strings.ReplaceAll(s, "Ñame", "Name"))
	},
	"mixed": func(t *testing.T, s string) []byte {
		b := []byte(s)
		at := bytes.LastIndex(b, []byte("École"))
		if at < len(b)/2 {
			t.Fatal("no accented name in the second half")
		}
		return append(append(b[:at:at], 0xC9), b[at+len("É"):]...) // É in Windows-1252
	},
}

func encodeWith(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	out, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// warehouseContents reads every Parquet file of a warehouse (data and
// rejects) as rows of text, by path: what a run wrote, row by row.
func warehouseContents(t *testing.T, wh string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir(wh, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".parquet") {
			return err
		}
		pf, err := file.OpenParquetFile(p, false)
		if err != nil {
			return err
		}
		defer pf.Close()
		fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		if err != nil {
			return err
		}
		tbl, err := fr.ReadTable(context.Background())
		if err != nil {
			return err
		}
		defer tbl.Release()
		rel, _ := filepath.Rel(wh, p)
		rows := make([]string, tbl.NumRows())
		for c := 0; c < int(tbl.NumCols()); c++ {
			name := tbl.Schema().Field(c).Name
			i := 0
			for _, ch := range tbl.Column(c).Data().Chunks() {
				for j := 0; j < ch.Len(); j++ {
					rows[i] += name + "=" + ch.ValueStr(j) + "|"
					i++
				}
			}
		}
		out[rel] = rows
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// forEachEncoding runs f as a subtest per encoding of encodings (in name
// order), with text written in that encoding to sites.csv in a fresh
// directory dir.
func forEachEncoding(t *testing.T, text string, f func(t *testing.T, dir, path string)) {
	encs := make([]string, 0, len(encodings))
	for e := range encodings {
		encs = append(encs, e)
	}
	sort.Strings(encs)
	for _, enc := range encs {
		t.Run(enc, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "sites.csv")
			if err := os.WriteFile(path, encodings[enc](t, text), 0o644); err != nil {
				t.Fatal(err)
			}
			f(t, dir, path)
		})
	}
}

// TestChunkedIngestIsSerial ingests awkward inputs in every encoding with
// the serial shape (one converter) and the chunked one (2 and 8 workers,
// chunks of a few rows, so that chunks end everywhere: inside runs of
// repeated rows, before the totals row), and requires the same results
// (counts, reject codes and samples, notes, reconciliation) and the same
// files holding the same rows in the same order, rejects included.
func TestChunkedIngestIsSerial(t *testing.T) {
	text := awkwardSiteCSV(1000, 1)
	forEachEncoding(t, text, func(t *testing.T, dir, path string) {
		var want []SourceResult
		var wantFiles map[string][]string
		for _, tc := range []struct{ workers, batch int }{{1, 0}, {2, 53}, {8, 7}} {
			name := fmt.Sprintf("%d workers, batch %d", tc.workers, tc.batch)
			wh := filepath.Join(dir, fmt.Sprintf("wh-%d-%d", tc.workers, tc.batch))
			res, err := Run(context.Background(), Config{Warehouse: wh, Registry: schemas.Default(), RunID: "r",
				ChunkWorkers: tc.workers, BatchRows: tc.batch, RecordRows: 200, MaxRejectRatio: 1},
				[]Input{{Path: path, Kind: "site_assessment"}})
			if err != nil {
				t.Fatal(err)
			}
			got, files := comparable(res), warehouseContents(t, wh)
			if sr := got[0]; sr.Status != StatusCommitted || sr.RowsIn < 1000 || sr.RowsWritten == 0 ||
				sr.WarningCodes[schemas.CodeDuplicateRow] == 0 || sr.RejectCodes[schemas.CodeBlankRow] == 0 {
				t.Fatalf("%s: the input does not exercise the conversion: %+v", name, sr)
			}
			if want == nil {
				want, wantFiles = got, files
				continue
			}
			diffRuns(t, name, "the serial run", got, want, files, wantFiles)
		}
	})
}

// diffRuns fails t where run name's results (got) or files (path -> rows)
// differ from those of the reference run (ref names it in the messages).
func diffRuns(t *testing.T, name, ref string, got, want []SourceResult, files, wantFiles map[string][]string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		a, _ := json.Marshal(want)
		b, _ := json.Marshal(got)
		t.Errorf("%s: results differ from %s:\n%s\n%s", name, ref, a, b)
	}
	for p, rows := range wantFiles {
		if g := files[p]; !reflect.DeepEqual(g, rows) {
			t.Errorf("%s: %s has %d rows, in %s %d; first difference: %s", name, p, len(g), ref, len(rows), firstDiff(g, rows))
		}
	}
	for p := range files {
		if _, ok := wantFiles[p]; !ok {
			t.Errorf("%s: %s not written by %s", name, p, ref)
		}
	}
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("row %d:\n%s\n%s", i, a[i], b[i])
		}
	}
	return "one is a prefix of the other"
}
