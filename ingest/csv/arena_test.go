package csv

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// recycleText is a CSV with what takes the reader off its fast path: quoted
// cells with delimiters, quotes and line breaks, blank lines and blank
// rows (held back, then returned by a later call), ragged rows (padded,
// extra cells), cells split by an unquoted "; " (joined back), NUL bytes,
// a record longer than an arena block takes, and accented text.
func recycleText(n int) string {
	var b strings.Builder
	b.WriteString("Country,Site Name,Type,Reason,Households,Note\n")
	long := strings.Repeat("long text ", maxArenaText/8)
	for i := range n {
		switch i % 23 {
		case 3:
			b.WriteString("\n\n")
		case 5:
			b.WriteString(",,,,,\n , ,,,,\n")
		case 7:
			fmt.Fprintf(&b, "SSD,\"Site \"\"%d\"\", block B\",Camp,\"Conflict\nFlood\",%d\n", i, i)
		case 11:
			fmt.Fprintf(&b, "NGA,Site %d,Camp,Conflict; Flood,%d,x,extra,cells\n", i, i)
		case 13:
			fmt.Fprintf(&b, "SDN,Site\x00 %d,Camp\n", i)
		case 17:
			fmt.Fprintf(&b, "SDN,Site %d,Camp,%s,%d,\n", i, long, i)
		case 19:
			fmt.Fprintf(&b, "SSD,École %d,Déplacés,Inondation,%d,\"a,b\"\n", i, i)
		default:
			fmt.Fprintf(&b, "SSD,Site %d,Camp,Conflict,%d,note %d\n", i, i, i)
		}
	}
	b.WriteString("\n\n , ,\n")
	return b.String()
}

// copyRows is a deep copy of rows (cells and issues in fresh memory).
func copyRows(rows []ingest.Row) []ingest.Row {
	out := make([]ingest.Row, len(rows))
	for i, r := range rows {
		r.Cells = append([]string(nil), r.Cells...)
		for j, c := range r.Cells {
			r.Cells[j] = strings.Clone(c)
		}
		r.Issues = append([]ingest.Issue(nil), r.Issues...)
		for j := range r.Issues {
			r.Issues[j].Value = strings.Clone(r.Issues[j].Value)
		}
		out[i] = r
	}
	return out
}

// readRecycled reads every row of data in batches of n; with recycle > 0 the
// reader recycles its rows after recycle calls (poisoned), and each batch
// is checked still intact until the call that may reuse its memory.
func readRecycled(t *testing.T, data []byte, n, recycle int) ([]ingest.Row, ingest.Header) {
	t.Helper()
	rd, err := NewReader("t.csv", bytes.NewReader(data), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if recycle > 0 {
		rd.(interface{ RecycleRows(int, bool) }).RecycleRows(recycle, true)
	}
	var all []ingest.Row
	type lent struct{ rows, copied []ingest.Row }
	var recent []lent
	for {
		rows, err := rd.Next(n)
		for _, l := range recent {
			if !reflect.DeepEqual(l.rows, l.copied) {
				t.Fatalf("rows of an earlier call changed before %d calls", recycle)
			}
		}
		c := copyRows(rows)
		all = append(all, c...)
		if recycle > 0 {
			recent = append(recent, lent{rows, c})
			if len(recent) >= recycle {
				recent = recent[1:] // the next call may reuse them
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return all, rd.Header()
}

// TestRecycledRowsAreTheRows reads texts in every encoding, test files and
// hostile inputs with and without recycled rows (batches of 1 to 97 rows,
// rings of 1 to 4 calls, poisoned) and requires the same header and rows,
// issues included; and the rows of a call stay intact until the call that
// may reuse them.
func TestRecycledRowsAreTheRows(t *testing.T) {
	text := recycleText(600)
	inputs := map[string][]byte{"utf-8": []byte(text)}
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	inputs["utf-16le"] = u16
	w1252, err := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	inputs["windows-1252"] = w1252
	mixed := []byte(text)
	at := bytes.LastIndex(mixed, []byte("École"))
	inputs["mixed"] = append(append(mixed[:at:at], 0xC9), mixed[at+len("É"):]...)
	files, _ := filepath.Glob(filepath.Join("testdata", "*.*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(f)] = b
	}
	for name, data := range inputs {
		for _, tc := range []struct{ batch, recycle int }{{1, 1}, {3, 2}, {7, 4}, {97, 3}} {
			if _, err := NewReader("t.csv", bytes.NewReader(data), ingest.Options{}); err != nil {
				continue // no header: nothing to read
			}
			want, wantHdr := readRecycled(t, data, tc.batch, 0)
			got, gotHdr := readRecycled(t, data, tc.batch, tc.recycle)
			if !reflect.DeepEqual(gotHdr, wantHdr) {
				t.Errorf("%s, batch %d, recycle %d: header %+v, want %+v", name, tc.batch, tc.recycle, gotHdr, wantHdr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, batch %d, recycle %d: %d rows differ from the %d rows read without recycling", name, tc.batch, tc.recycle, len(got), len(want))
			}
		}
	}
}

// TestRecycledRowsArePoisoned: a string kept past its arena's reuse reads
// the poison (so the pipeline's differential tests can see a keeper), and
// so do the cells of a kept row.
func TestRecycledRowsArePoisoned(t *testing.T) {
	rd, err := NewReader("t.csv", strings.NewReader(recycleText(400)), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rd.(interface{ RecycleRows(int, bool) }).RecycleRows(2, true)
	rows, err := rd.Next(150) // past the rows read to find the header (not recycled)
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	kept, cells := last.Cells[1], last.Cells
	want := strings.Clone(kept)
	if _, err := rd.Next(10); err != nil {
		t.Fatal(err)
	}
	if kept != want {
		t.Fatalf("kept cell %q changed before the arena's reuse", kept)
	}
	if _, err := rd.Next(10); err != nil {
		t.Fatal(err)
	}
	if kept != strings.Repeat(string([]byte{PoisonByte}), len(want)) {
		t.Errorf("kept cell reads %q after its arena's reuse, want poison", kept)
	}
	if cells[1] != poisonCell {
		t.Errorf("kept cells read %q after their arena's reuse, want %q", cells[1], poisonCell)
	}
}
