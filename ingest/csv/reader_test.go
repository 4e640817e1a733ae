package csv

import (
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
)

// readAll opens a fixture and returns its header, rows and the first error
// (from opening or reading; io.EOF is not an error).
func readAll(t *testing.T, r ingest.Reader, batch int) ([]ingest.Row, error) {
	t.Helper()
	var rows []ingest.Row
	for {
		got, err := r.Next(batch)
		rows = append(rows, got...)
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		if len(got) == 0 {
			t.Fatal("Next returned no rows and no error")
		}
	}
}

func row(line int, cells ...string) ingest.Row { return ingest.Row{Line: line, Cells: cells} }

func withIssues(r ingest.Row, is ...ingest.Issue) ingest.Row { r.Issues = is; return r }

func TestOpenFixtures(t *testing.T) {
	tests := []struct {
		file       string
		encoding   string
		delim      rune
		headerLine int
		columns    []string
		hxlLine    int
		hxl        []string
		skipped    int
		rows       []ingest.Row
	}{
		{file: "utf8.csv", encoding: "utf-8", delim: ',', headerLine: 1,
			columns: []string{"admin1_name", "admin2_name", "site_name", "idp_individuals"},
			rows: []ingest.Row{
				row(2, "Borno", "Maiduguri", "Bakassi Camp", "3412"),
				row(3, "Borno", "Jere", "Dalori I", "1280"),
				row(4, "Adamawa", "Yola South", "Malkohi", "455"),
			}},
		{file: "utf8_bom.csv", encoding: "utf-8-bom", delim: ';', headerLine: 1,
			columns: []string{"Région", "Site", "Ménages"},
			rows: []ingest.Row{
				row(2, "Sahel", "Djibo – secteur 5", "120"),
				row(3, "Nord", "Ouahigouya", "45"),
			}},
		{file: "utf16le_tab.txt", encoding: "utf-16le", delim: '\t', headerLine: 1,
			columns: []string{"Country", "Admin 1", "IDPs"},
			rows: []ingest.Row{
				row(2, "South Sudan", "Jonglei", "12 500"),
				row(3, "South Sudan", "Unity", "8 020"),
			}},
		{file: "utf16be_tab.txt", encoding: "utf-16be", delim: '\t', headerLine: 1,
			columns: []string{"Country", "Admin 1", "IDPs"},
			rows:    []ingest.Row{row(2, "Chad", "Lac", "400")}},
		{file: "fr_1252_title.csv", encoding: "windows-1252", delim: ';', headerLine: 2, skipped: 1,
			columns: []string{"Province", "Nom localité", "Ménages des PDI", "Personnes Déplacées Internes"},
			rows: []ingest.Row{
				row(3, "Nord-Kivu", "Kibati", "1 234", "5 678"),
				row(4, "Ituri", "Djugu centre", "87", "402"),
				row(5, "Tanganyika", "Kalemie « Katanika »", "12", "60"),
			}},
		{file: "hxl.csv", encoding: "utf-8", delim: ',', headerLine: 1, hxlLine: 2,
			columns: []string{"Country", "Admin 1", "Admin 1 P-Code", "Site Name", "IDP Individuals", "Comments"},
			hxl:     []string{"#country+name", "#adm1+name", "#adm1+code", "#loc+name", "#affected+idps+ind", ""},
			rows: []ingest.Row{
				row(3, "Nigeria", "Borno", "NG008", "Bakassi", "3412", ""),
				row(4, "Nigeria", "Yobe", "NG036", "Pompomari, Damaturu", "210", "new arrivals\nafter flood"),
				row(5, "Nigeria", "Adamawa", "NG002", "Malkohi", "455", ""),
			}},
		{file: "banner.csv", encoding: "utf-8", delim: ',', headerLine: 4, skipped: 3,
			columns: []string{"Date", "Enumérateur", "Méthode", "Région", "Province", "Nombre"},
			rows: []ingest.Row{
				row(5, "2023-01-05", "E12", "Observation", "Sahel", "Soum", "34"),
				row(6, "2023-01-06", "E12", "Entretien", "Sahel", "Oudalan", "12"),
			}},
		{file: "mixed_eol.csv", encoding: "utf-8", delim: ',', headerLine: 1,
			columns: []string{"a", "b", "c"},
			rows: []ingest.Row{
				row(2, "1", "2", "3"),
				row(3, "4", "5", "6"),
				row(4, "7", "8", "9"),
				// row 5 is a blank line: counted, not returned
				row(6, "10", "x\ny", "12"),
				row(7, "13", "14", "15"),
			}},
		{file: "nul.csv", encoding: "utf-8", delim: ',', headerLine: 1,
			columns: []string{"id", "name"},
			rows:    []ingest.Row{row(2, "1", "Alpha"), row(3, "2", "Beta")}},
		{file: "ragged.csv", encoding: "utf-8", delim: ',', headerLine: 1,
			columns: []string{"a", "b", "c"},
			rows: []ingest.Row{
				row(2, "1", "", ""),
				row(3, "1", "2", ""),
				withIssues(row(4, "1", "2", "3", "4", "5"), ingest.ExtraCellIssues([]string{"1", "2", "3", "4", "5"}, 3)...),
				// row 5 (",,") is the file's blank tail: not returned
			}},
		{file: "bad_utf8.csv", encoding: "utf-8", delim: ',', headerLine: 1,
			columns: []string{"name", "note"},
			rows: []ingest.Row{
				row(2, "École Saint-Joseph", "déplacés réfugiés"),
				withIssues(row(3, "Kinshasa", "café au lait"), ingest.Issue{Code: ingest.IssueMixedEncoding, Column: 1, Value: "café au lait",
					Message: "cell(s) 2 of this row are not UTF-8 like the rest of the file: their bytes were read as Windows-1252 (check the accents)"}),
				row(4, "Goma", "rapatriés à Kibumba"),
			}},
		{file: "header_only.csv", encoding: "utf-8", delim: ',', headerLine: 1,
			columns: []string{"Country", "Admin 1", "IDPs"}},
	}
	for _, tt := range tests {
		for _, batch := range []int{1, 2, 1000} {
			t.Run(tt.file, func(t *testing.T) {
				path := filepath.Join("testdata", tt.file)
				r, err := Open(path, ingest.Options{})
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				defer r.Close()
				h := r.Header()
				if h.File != path || h.Format != "csv" {
					t.Errorf("File, Format = %q, %q", h.File, h.Format)
				}
				if h.Encoding != tt.encoding || h.Delimiter != tt.delim {
					t.Errorf("Encoding, Delimiter = %q, %q; want %q, %q", h.Encoding, h.Delimiter, tt.encoding, tt.delim)
				}
				if h.HeaderLine != tt.headerLine || h.SkippedAbove != tt.skipped || h.HXLLine != tt.hxlLine {
					t.Errorf("HeaderLine, SkippedAbove, HXLLine = %d, %d, %d; want %d, %d, %d",
						h.HeaderLine, h.SkippedAbove, h.HXLLine, tt.headerLine, tt.skipped, tt.hxlLine)
				}
				if !reflect.DeepEqual(h.Columns, tt.columns) {
					t.Errorf("Columns = %q; want %q", h.Columns, tt.columns)
				}
				if !reflect.DeepEqual(h.HXL, tt.hxl) {
					t.Errorf("HXL = %q; want %q", h.HXL, tt.hxl)
				}
				if len(h.Notes) < 3 {
					t.Errorf("Notes = %q; want encoding, delimiter and header notes", h.Notes)
				}
				if hasNUL := strings.Contains(strings.Join(h.Notes, "|"), "NUL"); hasNUL != (tt.file == "nul.csv") {
					t.Errorf("Notes = %q: NUL note %v", h.Notes, hasNUL)
				}
				rows, err := readAll(t, r, batch)
				if err != nil {
					t.Fatalf("reading: %v", err)
				}
				if !reflect.DeepEqual(rows, tt.rows) {
					t.Errorf("rows (batch %d):\n got %+v\nwant %+v", batch, rows, tt.rows)
				}
				if _, err := r.Next(10); err != io.EOF {
					t.Errorf("Next after end = %v; want io.EOF", err)
				}
			})
		}
	}
}

func TestOpenErrors(t *testing.T) {
	small := ingest.Limits{MaxColumns: 4, MaxCellBytes: 16, MaxRowBytes: 64}
	tests := []struct {
		name    string
		file    string // fixture, or
		data    string // in-memory content
		limits  ingest.Limits
		want    error
		message string // substring of the error
	}{
		{name: "empty file", file: "empty.csv", want: ErrNoHeader, message: `reading "testdata/empty.csv": no header row found`},
		{name: "only BOM", file: "bom_only.csv", want: ErrNoHeader, message: "empty"},
		{name: "only blank lines", data: "\n\r\n\n", want: ErrNoHeader, message: `"mem.csv"`},
		{name: "only empty cells", data: ",,\n,\n", want: ErrNoHeader, message: "all cells"},
		{name: "unbalanced quote to EOF", file: "unbalanced_quote.csv", want: nil,
			message: `reading "testdata/unbalanced_quote.csv" row 3: quoted cell in column 2 is never closed`},
		{name: "file too big", file: "utf8.csv", limits: ingest.Limits{MaxFileBytes: 100}, want: ingest.ErrLimit, message: "MaxFileBytes"},
		{name: "stream too big", data: strings.Repeat("a,b\n", 100), limits: ingest.Limits{MaxFileBytes: 100}, want: ingest.ErrLimit, message: "MaxFileBytes"},
		{name: "too many columns", data: "a,b,c\n1,2,3\n1,2,3,4,5,6\n", limits: small, want: ingest.ErrLimit,
			message: `reading "mem.csv" row 3: input exceeds a configured limit: 6 columns`},
		{name: "cell too long", data: "a,b\n1," + strings.Repeat("x", 17) + "\n", limits: small, want: ingest.ErrLimit,
			message: `row 2: input exceeds a configured limit: cell in column 2 has 17 bytes`},
		{name: "row too long", data: "a,b\n1,2\n" + strings.Repeat("xxxxxxxxxxxxxxxx,", 3) + "xxxxxxxxxxxxxxxx\n", limits: small, want: ingest.ErrLimit,
			message: `row 3: input exceeds a configured limit: record of 68 bytes`},
		{name: "xlsx renamed", data: "PK\x03\x04\x14\x00\x06\x00", want: ErrNotText, message: "zip"},
		{name: "binary", data: "\x00\x00\x00\x01\x00\x00\x00\x00a,b\x00\x00\x00\x00\x00", want: ErrNotText, message: "NUL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := ingest.Options{Limits: tt.limits}
			var r ingest.Reader
			var err error
			if tt.file != "" {
				r, err = Open(filepath.Join("testdata", tt.file), opts)
			} else {
				r, err = NewReader("mem.csv", strings.NewReader(tt.data), opts)
			}
			if err == nil {
				_, err = readAll(t, r, 100)
				r.Close()
			}
			if err == nil {
				t.Fatal("no error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error %v; want it to wrap %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q; want it to contain %q", err, tt.message)
			}
		})
	}
}

// TestRunawayQuoteHitsLimit checks that an unbalanced quote early in a large
// stream stops at MaxRowBytes instead of swallowing the file, and that the
// rows before it are delivered first.
func TestRunawayQuoteHitsLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,name\n1,ok\n2,\"broken\n")
	for b.Len() < 2<<20 {
		b.WriteString("3,swallowed by the open quote\n")
	}
	r, err := NewReader("big.csv", strings.NewReader(b.String()),
		ingest.Options{Limits: ingest.Limits{MaxRowBytes: 1 << 10, MaxHeaderScan: 2}})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := readAll(t, r, 10)
	if !errors.Is(err, ingest.ErrLimit) || !strings.Contains(err.Error(), `reading "big.csv" row 3:`) {
		t.Fatalf("error = %v; want ErrLimit at row 3", err)
	}
	if len(rows) != 1 || rows[0].Line != 2 {
		t.Errorf("rows before the error = %+v", rows)
	}
	if _, again := r.Next(10); again == nil || again.Error() != err.Error() {
		t.Errorf("Next after an error = %v; want the same error", again)
	}
}

// TestInvalidUTF8AfterSample checks that bytes invalid in UTF-8 beyond the
// detection sample of a UTF-8 stream are read as Windows-1252 (never
// U+FFFD) and that the row is named by a mixed-encoding issue.
func TestInvalidUTF8AfterSample(t *testing.T) {
	var b strings.Builder
	b.WriteString("site,note\n")
	n := 1
	for b.Len() < 2*sampleSize {
		b.WriteString("Dalori,déplacés\n")
		n++
	}
	b.WriteString("Bakassi,caf\xe9\xff!\n")
	r, err := NewReader("late.csv", strings.NewReader(b.String()), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if h := r.Header(); h.Encoding != "utf-8" {
		t.Errorf("Encoding = %q", h.Encoding)
	}
	rows, err := readAll(t, r, 4096)
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	if last.Line != n+1 || last.Cells[1] != "caféÿ!" {
		t.Errorf("last row = %d %q", last.Line, last.Cells)
	}
	if len(last.Issues) != 1 || last.Issues[0].Code != ingest.IssueMixedEncoding || last.Issues[0].Column != 1 {
		t.Errorf("last row issues %+v", last.Issues)
	}
	for _, r := range rows[:len(rows)-1] {
		if len(r.Issues) != 0 {
			t.Fatalf("row %d issues %+v", r.Line, r.Issues)
		}
	}
}

func TestUTF16WithoutBOM(t *testing.T) {
	data := []byte{}
	for _, c := range "Country\tIDPs\r\nSudan\t12\r\n" {
		data = append(data, byte(c), 0)
	}
	r, err := NewReader("nobom.txt", strings.NewReader(string(data)), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := r.Header()
	if h.Encoding != "utf-16le" || h.Delimiter != '\t' || !reflect.DeepEqual(h.Columns, []string{"Country", "IDPs"}) {
		t.Fatalf("header = %+v", h)
	}
	rows, err := readAll(t, r, 10)
	if err != nil || !reflect.DeepEqual(rows, []ingest.Row{row(2, "Sudan", "12")}) {
		t.Errorf("rows = %+v, %v", rows, err)
	}
}

func TestScorerAndHeaderScan(t *testing.T) {
	data := "Report,generated 2024\nA,B,C\nsite_name,idp_individuals,notes\nX,1,n\n"
	known := func(cells []string) int {
		n := 0
		for _, c := range cells {
			if c == "site_name" || c == "idp_individuals" {
				n += 10
			}
		}
		return n
	}
	r, err := NewReader("s.csv", strings.NewReader(data), ingest.Options{Scorer: known})
	if err != nil {
		t.Fatal(err)
	}
	if h := r.Header(); h.HeaderLine != 3 || h.SkippedAbove != 2 {
		t.Errorf("custom scorer: HeaderLine %d SkippedAbove %d", h.HeaderLine, h.SkippedAbove)
	}
	// With the default scorer, "A,B,C" ties with the real header and, being
	// earlier, wins; MaxHeaderScan 1 restricts the choice to the first row.
	r, err = NewReader("s.csv", strings.NewReader(data), ingest.Options{Limits: ingest.Limits{MaxHeaderScan: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if h := r.Header(); h.HeaderLine != 1 {
		t.Errorf("MaxHeaderScan 1: HeaderLine %d", h.HeaderLine)
	}
	rows, err := readAll(t, r, 10)
	if err != nil || len(rows) != 3 || rows[0].Line != 2 {
		t.Errorf("rows = %+v, %v", rows, err)
	}
}

func TestCloseStopsReading(t *testing.T) {
	r, err := Open(filepath.Join("testdata", "utf8.csv"), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if _, err := r.Next(1); err == nil || err == io.EOF {
		t.Errorf("Next after Close = %v; want an error", err)
	}
	if _, err := Open(filepath.Join("testdata", "missing.csv"), ingest.Options{}); err == nil ||
		!strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("Open missing file = %v", err)
	}
}
