package csv

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/iom-dtm/dtm/ingest"
)

// asciiRows returns a header and ASCII rows filling at least size bytes.
func asciiRows(size int) string {
	var b strings.Builder
	b.WriteString("Region;Site;IDPs\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "Region Alpha;Site %04d;%d\n", i, i)
	}
	return b.String()
}

// openBoth reads data through Open (a file: the encoding is decided on the
// whole file) and NewReader (a stream: re-decided while reading).
func openBoth(t *testing.T, data string) map[string]func() (ingest.Reader, error) {
	path := filepath.Join(t.TempDir(), "f.csv")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return map[string]func() (ingest.Reader, error){
		"file":   func() (ingest.Reader, error) { return Open(path, ingest.Options{}) },
		"stream": func() (ingest.Reader, error) { return NewReader("f.csv", strings.NewReader(data), ingest.Options{}) },
	}
}

// TestLateNonASCIIWindows1252: a Windows-1252 file whose first non-ASCII
// byte lies far beyond the detection sample is decoded right, with no
// U+FFFD and no warning, and the header says how the encoding was decided.
func TestLateNonASCIIWindows1252(t *testing.T) {
	data := asciiRows(3*sampleSize) + "Nord-For\xeat;Site \xc9toile;100\nNord-For\xeat;Site Br\xfbl\xe9;150\n"
	for how, open := range openBoth(t, data) {
		r, err := open()
		if err != nil {
			t.Fatal(err)
		}
		if how == "file" {
			if h := r.Header(); h.Encoding != encWindows1 || !strings.Contains(strings.Join(h.Notes, "|"), "the whole file") {
				t.Errorf("%s: encoding %q notes %q", how, h.Encoding, h.Notes)
			}
		}
		rows, err := readAll(t, r, 1000)
		if err != nil {
			t.Fatal(err)
		}
		last := rows[len(rows)-2:]
		if last[0].Cells[0] != "Nord-Forêt" || last[0].Cells[1] != "Site Étoile" || last[1].Cells[1] != "Site Brûlé" {
			t.Errorf("%s: last rows %q %q", how, last[0].Cells, last[1].Cells)
		}
		for _, row := range rows {
			if len(row.Issues) != 0 {
				t.Fatalf("%s: row %d issues %+v", how, row.Line, row.Issues)
			}
		}
		h := r.Header()
		if h.Encoding != encWindows1 {
			t.Errorf("%s: encoding after reading %q (notes %q)", how, h.Encoding, h.Notes)
		}
		if how == "stream" && !strings.Contains(strings.Join(h.Notes, "|"), "re-decided") {
			t.Errorf("stream: notes %q do not say the encoding was re-decided", h.Notes)
		}
	}
}

// TestMixedEncodings: a UTF-8 file with one row pasted from a Windows-1252
// file keeps its UTF-8 text, reads the pasted row as Windows-1252 and names
// that row with a mixed-encoding issue.
func TestMixedEncodings(t *testing.T) {
	data := "Région;Site;IDPs\nNord;Déplacés;1\n" + asciiRows(2 * sampleSize)[len("Region;Site;IDPs\n"):] +
		"Nord-For\xeat;Site;3\nSud;Ménages;4\n"
	for how, open := range openBoth(t, data) {
		r, err := open()
		if err != nil {
			t.Fatal(err)
		}
		rows, err := readAll(t, r, 1000)
		if err != nil {
			t.Fatal(err)
		}
		h := r.Header()
		if h.Encoding != encUTF8 || h.Columns[0] != "Région" {
			t.Errorf("%s: encoding %q columns %q", how, h.Encoding, h.Columns)
		}
		var warned []int
		for _, row := range rows {
			if len(row.Issues) > 0 {
				warned = append(warned, row.Line)
				if row.Issues[0].Code != ingest.IssueMixedEncoding || row.Cells[0] != "Nord-Forêt" {
					t.Errorf("%s: row %d %q %+v", how, row.Line, row.Cells, row.Issues)
				}
			}
		}
		if len(warned) != 1 || rows[len(rows)-1].Cells[1] != "Ménages" || rows[0].Cells[1] != "Déplacés" {
			t.Errorf("%s: warned rows %v, last %q", how, warned, rows[len(rows)-1].Cells)
		}
		if how == "file" && !strings.Contains(strings.Join(h.Notes, "|"), "mixed") {
			t.Errorf("file: notes %q", h.Notes)
		}
	}
}

// FuzzCP1252RoundTrip: a Windows-1252 file reads back as the same text
// whatever the position of its first non-ASCII byte (in the detection
// sample, at its edge or far beyond), through Open and NewReader, and no
// cell holds U+FFFD.
func FuzzCP1252RoundTrip(f *testing.F) {
	f.Add([]byte("For\xeat \xc9toile Br\xfbl\xe9"), uint16(0))
	f.Add([]byte("\x80\x81\x8d\x8f\x90\x9d\xff"), uint16(sampleSize/4))
	f.Add([]byte("caf\xe9"), uint16(sampleSize/4-2))
	f.Add([]byte("\xe9t\xe9"), uint16(40000))
	f.Fuzz(func(t *testing.T, word []byte, pos uint16) {
		// Make word unambiguous Windows-1252 text for a CSV cell: no
		// structure bytes, and every non-ASCII byte followed by an ASCII
		// letter, so that no run of it is valid UTF-8.
		var w []byte
		hasHigh := false
		for _, c := range word {
			switch {
			case c >= 0x80:
				w = append(w, c, 'a')
				hasHigh = true
			case c < 0x20 || c == '"' || c == ';' || c == ',' || c == '\t' || c == '|' || c == 0x7f:
				w = append(w, 'x')
			default:
				w = append(w, c)
			}
		}
		if !hasHigh || len(w) > 200 {
			return
		}
		data := asciiRows(int(pos)*4) + "Nord;" + string(w) + ";1\nSud;" + string(w) + ";2\n"
		want := ""
		for _, c := range w {
			r := charmap.Windows1252.DecodeByte(c)
			if r == utf8.RuneError {
				r = rune(c)
			}
			want += string(r)
		}
		for how, open := range openBoth(t, data) {
			r, err := open()
			if err != nil {
				t.Fatal(err)
			}
			rows, err := readAll(t, r, 4096)
			if err != nil {
				t.Fatal(err)
			}
			last := rows[len(rows)-2:]
			if last[0].Cells[1] != want || last[1].Cells[1] != want {
				t.Fatalf("%s, first non-ASCII byte at %d: %q %q; want %q (encoding %q, notes %q)",
					how, len(data)-len(w)*2-12, last[0].Cells[1], last[1].Cells[1], want, r.Header().Encoding, r.Header().Notes)
			}
			for _, row := range rows {
				if len(row.Issues) != 0 || strings.ContainsRune(strings.Join(row.Cells, ""), utf8.RuneError) {
					t.Fatalf("%s: row %d %q issues %+v", how, row.Line, row.Cells, row.Issues)
				}
			}
		}
	})
}

// TestHasHighByte: hasHighByte finds one byte outside ASCII at every
// position of buffers of every length up to 80 (its 32- and 8-byte steps
// and the tail), and none in ASCII.
func TestHasHighByte(t *testing.T) {
	for n := range 81 {
		b := bytes.Repeat([]byte{0x7f}, n)
		if hasHighByte(b) {
			t.Fatalf("%d ASCII bytes: found a high byte", n)
		}
		for i := range n {
			b[i] = 0x80
			if !hasHighByte(b) {
				t.Fatalf("a high byte at %d of %d: not found", i, n)
			}
			b[i] = 0x7f
		}
	}
}
