package csv

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestDetectDelimiter(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		truncated bool
		want      rune
	}{
		{"comma", "a,b,c\n1,2,3\n", false, ','},
		{"semicolon with decimal commas", "Province;Taux;Total\nNord;1,5;2,5\nSud;3,25;10\n", false, ';'},
		{"tab", "Country\tAdmin 1\tIDPs\nSudan\tDarfur, North\t12\n", false, '\t'},
		{"pipe", "a|b|c\n1|2|3\n", false, '|'},
		{"quoted delimiters ignored", "a;b\n\"x,y,z\";1\n\"p,q,r\";2\n", false, ';'},
		{"escaped quotes inside quotes", "a;b\n\"say \"\"hi, there\"\"\";1\n", false, ';'},
		{"stray inch mark does not open a quote", "a,b,c\n15\" screen,2,3\n4,5,6\n", false, ','},
		{"title row without delimiters", "Matrice de suivi\nA;B;C\n1;2;3\n", false, ';'},
		{"one column", "name\nAlice\nBob\n", false, ','},
		{"consistency beats frequency", "a,b;c;d;e\n1,2\n3,4;5\n6,7\n", false, ','},
		{"truncated last line ignored", "a;b\n1;2\n3;4\n5,6,7,8,9,10,11,12,13", true, ';'},
		{"cr line endings", "a;b;c\r1;2;3\r", false, ';'},
		{"decimal-comma coordinates more regular than ragged semicolons",
			"Évaluation des sites, Round 5\nDate;Région;Site;Latitude;Longitude;Raison;IDPs\n" +
				"02/04/2024;Nord;A;14,71033;1,69222;Conflit; Inondation;12\n" +
				"03/04/2024;Nord;B;14,34890;-1,34203;Insécurité;8\n" +
				"04/04/2024;Sud;C;13,1;2,5;Conflit; Inondation;3\n" +
				"05/04/2024;Sud;D;12,0;1,25;Conflit;4\n", false, ';'},
		{"HXL row must split into tags",
			"Lat;Lon;Site\n#geo+lat;#geo+lon;#loc+name\n14,5;1,2;A\n13,1;1,5;B\n", false, ';'},
		{"text lists with semicolons in a comma file",
			"Region,Site,Reasons\nA,B,Conflict;Flood;Drought\nC,D,Conflict;Flood;Drought\nE,F,Flood;Drought;Conflict\n", false, ','},
		{"tab file with commas in names and a ragged row",
			"Country\tAdmin 1\tIDPs\nSudan\tDarfur, North\t12\nSudan\tKordofan, South\t3\t\nChad\tLac\t4\n", false, '\t'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, note := detectDelimiter(tt.text, tt.truncated)
			if got != tt.want {
				t.Errorf("delimiter = %q (%s); want %q", got, note, tt.want)
			}
			if note == "" {
				t.Error("empty note")
			}
		})
	}
}

func TestDetectEncoding(t *testing.T) {
	tests := []struct {
		name      string
		sample    string
		truncated bool
		want      string
		err       error
	}{
		{"ascii", "a,b\n", false, encUTF8, nil},
		{"utf-8", "Région,Ménages\n", false, encUTF8, nil},
		{"utf-8 cut mid-character", "Région,Mé"[:len("Région,Mé")-1], true, encUTF8, nil},
		{"utf-8 cut mid-character at real end: mixed, not windows-1252", "Région,Mé"[:len("Région,Mé")-1], false, encUTF8, nil},
		{"windows-1252 with one accidental UTF-8 pair", "R\xe9gion;M\xe9nages;\xc3\xa9t\xe9;for\xeat\n", false, encWindows1, nil},
		{"windows-1252 in a truncated sample", "R\xe9gion;M\xe9nages\n", true, encWindows1, nil},
		{"utf-8 bom", "\xef\xbb\xbfa", false, encUTF8BOM, nil},
		{"utf-16le bom", "\xff\xfea\x00", false, encUTF16LE, nil},
		{"utf-16be bom", "\xfe\xff\x00a", false, encUTF16BE, nil},
		{"utf-16be no bom", "\x00a\x00,\x00b\x00\n", false, encUTF16BE, nil},
		{"windows-1252", "R\xe9gion;M\xe9nages\n", false, encWindows1, nil},
		{"utf-8 with one stray byte", "déplacés réfugiés à \xe9\n", false, encUTF8, nil},
		{"xlsx", "PK\x03\x04rest", false, "", ErrNotText},
		{"xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", false, "", ErrNotText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := detectEncoding([]byte(tt.sample), tt.truncated)
			if !errors.Is(err, tt.err) {
				t.Fatalf("error = %v; want %v", err, tt.err)
			}
			if got.name != tt.want {
				t.Errorf("encoding = %q (%s); want %q", got.name, got.note, tt.want)
			}
		})
	}
}

func TestChooseHeader(t *testing.T) {
	rec := func(cells ...string) []string { return cells }
	tests := []struct {
		name   string
		rows   [][]string
		header int
		hxl    int
		err    error
	}{
		{"first row", [][]string{rec("a", "b"), rec("1", "2")}, 0, -1, nil},
		{"below title", [][]string{rec("Big title with many words", "", ""), rec("a", "b", "c"), rec("1", "x", "2")}, 1, -1, nil},
		{"earliest on ties", [][]string{rec("a", "b"), rec("c", "d")}, 0, -1, nil},
		{"hxl under header", [][]string{rec("a", "b"), rec("#adm1", "#x"), rec("1", "2")}, 0, 1, nil},
		{"hxl evidence beats score", [][]string{
			rec("DATE", "METHODE DE COLLECTE", "LOCALISATION", "REMARQUES", "AUTRE"),
			rec("d", "m", "l"),
			rec("#date", "#meta", "#loc"),
			rec("1", "2", "3")}, 1, 2, nil},
		{"data row with a hashed value is not HXL", [][]string{rec("id", "ref"), rec("12", "#A7")}, 0, -1, nil},
		{"single-cell rows only", [][]string{rec("Title"), rec("name"), rec("Alice")}, 0, -1, nil},
		{"title skipped when a multi-cell row exists", [][]string{rec("Title words", "", ""), rec("1", "2")}, 1, -1, nil},
		{"all empty", [][]string{rec("", " "), rec("")}, 0, 0, ErrNoHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var recs []scanned
			for i, r := range tt.rows {
				recs = append(recs, scanned{Line: i + 1, Cells: r})
			}
			c, err := chooseHeader(recs, nil)
			if !errors.Is(err, tt.err) {
				t.Fatalf("error = %v; want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if c.Header != tt.header || c.HXL != tt.hxl || len(c.Notes) == 0 {
				t.Errorf("header, hxl = %d, %d (%q); want %d, %d", c.Header, c.HXL, c.Notes, tt.header, tt.hxl)
			}
		})
	}
}

// TestLineGuard checks the line-ending normalisation whatever the chunking.
func TestLineGuard(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\r\nb", "a\r\nb"},
		{"a\rb\rc", "a\nb\nc"},
		{"a\r", "a\n"},
		{"\r\r\n\r", "\n\r\n\n"},
		{"no line ending", "no line ending"},
	}
	readers := map[string]func(io.Reader) io.Reader{
		"whole":    func(r io.Reader) io.Reader { return r },
		"one byte": iotest.OneByteReader,
		"half":     iotest.HalfReader,
	}
	for _, tt := range tests {
		for name, wrap := range readers {
			for _, size := range []int{1, 2, 3, 4096} {
				g := &lineGuard{r: wrap(strings.NewReader(tt.in)), maxRow: 1 << 20}
				var out bytes.Buffer
				buf := make([]byte, size)
				for {
					n, err := g.Read(buf)
					out.Write(buf[:n])
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
				}
				if out.String() != tt.want {
					t.Errorf("%s, %d-byte reads, %q: got %q; want %q", name, size, tt.in, out.String(), tt.want)
				}
				if g.delivered != int64(len(tt.want)) {
					t.Errorf("%s, %d-byte reads, %q: delivered %d", name, size, tt.in, g.delivered)
				}
			}
		}
	}
}

func TestUnterminatedTail(t *testing.T) {
	tests := []struct {
		tail string
		want bool
	}{
		{"lost\n", true},
		{"closed\n\"\n", false},
		{"closed\n\"\r\n\r\n", false},
		{"escaped \"\"\n", true},
		{"escaped then closed \"\"\"\n", false},
		{"", true},
	}
	for _, tt := range tests {
		g := &lineGuard{}
		g.remember([]byte(strings.Repeat("x", 100)))
		for i := 0; i < len(tt.tail); i++ { // byte by byte exercises the ring
			g.remember([]byte{tt.tail[i]})
		}
		if got := g.unterminatedTail(); got != tt.want {
			t.Errorf("%q: %v; want %v", tt.tail, got, tt.want)
		}
	}
}

// TestCheckUTF8Chunks checks stream-level UTF-8 validation across chunk
// boundaries: valid text split anywhere is not flagged, invalid text always is.
func TestCheckUTF8Chunks(t *testing.T) {
	tests := []struct {
		text    string
		invalid bool
	}{
		{"Région Ménages – 😀 déplacés", false},
		{"ascii only", false},
		{"caf\xe9 au lait", true},
		{"cut at end \xe2\x82", true},
		{"stray continuation \x80 byte", true},
	}
	for _, tt := range tests {
		for split := 0; split <= len(tt.text); split++ {
			for _, size := range []int{1, 2, 3, 1 << 10, -1} {
				var src io.Reader = io.MultiReader(strings.NewReader(tt.text[:split]), strings.NewReader(tt.text[split:]))
				if size < 0 { // data and io.EOF in the same call
					src, size = iotest.DataErrReader(src), 1<<10
				}
				g := &lineGuard{r: src, maxRow: 1 << 20, validate: true}
				buf := make([]byte, size)
				var err error
				for err == nil {
					_, err = g.Read(buf)
				}
				if err != io.EOF {
					t.Fatal(err)
				}
				// With 1-byte reads a carried character cannot be checked
				// cheaply and is flagged conservatively; never the reverse.
				if tt.invalid && !g.sawInvalid {
					t.Errorf("%q split at %d, %d-byte reads: invalid text not flagged", tt.text, split, size)
				}
				if !tt.invalid && g.sawInvalid && size > 3 {
					t.Errorf("%q split at %d, %d-byte reads: valid text flagged", tt.text, split, size)
				}
			}
		}
	}
}
