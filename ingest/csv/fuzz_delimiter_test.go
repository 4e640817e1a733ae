package csv

import (
	"strings"
	"testing"
)

// FuzzDetectDelimiter checks the delimiter detector on arbitrary text (it
// returns a candidate and a note, never panics) and on tables built from
// the fuzz input with a known delimiter: a header of labels over rows
// whose cells may hold the other candidates (decimal commas, lists with
// semicolons, pipes) any number of times. The table's delimiter must win
// however regular the others are in the cells, because only it splits the
// header and every line.
func FuzzDetectDelimiter(f *testing.F) {
	f.Add([]byte("14,46382;-10,24696\nConflit; Inondation"), uint8(7))
	f.Add([]byte("a,b;c;d;e\n1,2\n3,4;5\n6,7\n"), uint8(0))
	f.Add([]byte("\"x\ty\"|z,,,;;"), uint8(19))
	f.Fuzz(func(t *testing.T, data []byte, pick uint8) {
		for _, truncated := range []bool{false, true} {
			d, note := detectDelimiter(string(data), truncated)
			if !isCandidate(d) || note == "" {
				t.Fatalf("detectDelimiter(%q) = %q, %q", data, d, note)
			}
		}
		cols := 2 + int(pick%5)
		delim := candidates[int(pick/5)%len(candidates)]
		alphabet := "abcdefghijklmnopqrstuvwxyz0123456789 .-"
		for _, c := range candidates {
			if c != delim {
				alphabet += string(c)
			}
		}
		var b strings.Builder
		for i := range cols {
			if i > 0 {
				b.WriteRune(delim)
			}
			b.WriteString("Column ")
			b.WriteByte(byte('A' + i))
		}
		b.WriteByte('\n')
		rows := 0
		for len(data) > 0 && rows < 50 {
			for i := range cols {
				if i > 0 {
					b.WriteRune(delim)
				}
				if len(data) == 0 {
					break // a short last row: ragged, still fine
				}
				n := min(len(data), 1+int(data[0]%8))
				for _, c := range data[:n] {
					b.WriteByte(alphabet[int(c)%len(alphabet)])
				}
				data = data[n:]
			}
			b.WriteByte('\n')
			rows++
		}
		if got, note := detectDelimiter(b.String(), false); got != delim {
			t.Fatalf("table with %q read as %q (%s):\n%s", delim, got, note, b.String())
		}
	})
}
