package xlsx

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/internal/testutil"
)

// multiSheetBook is shaped like a DTM site assessment download from HDX:
// summaries, a pivot table and a data dictionary around the data sheet.
func multiSheetBook(t testing.TB) string {
	return writeBook(t,
		testutil.Sheet{Name: "Summary", Rows: [][]any{
			{"DTM Nigeria - Site Assessment Round 40 - Summary"},
			strs("State", "Sites", "Households", "Individuals", "Males", "Females", "Children", "Elderly", "Notes"),
			{"Borno", 120, 4000, 20000, 9000, 11000, 8000, 500, "see methodology"},
		}},
		testutil.Sheet{Name: "Pivot by LGA", Rows: [][]any{
			strs("Row Labels", "Sum of Individuals", "Count of Site", "Average of HH size", "Max of HH", "Min of HH", "Sum of Males", "Sum of Females", "Grand Total"),
			{"Bama", 100, 2, 5.5, 10, 1, 50, 50, 100},
		}},
		testutil.Sheet{Name: "Metadata", Rows: [][]any{
			strs("Field name", "Description", "Type", "Unit", "HXL tag", "Source", "Example", "Notes", "Required", "Vocabulary"),
			strs("site_id", "Site identifier", "text", "none", "#loc+code", "DTM", "NG001", "unique", "yes", "none"),
		}},
		testutil.Sheet{Name: "Sites R40", Rows: [][]any{
			strs("State", "LGA", "Site ID", "Site Name", "IDP HH", "IDP Ind"),
			{"Borno", "Bama", "NG001", "Bakassi", 100, 500},
			{"Borno", "Dikwa", "NG002", "Dikwa camp", 80, 410},
		}},
	)
}

func TestAutoChoiceSkipsAuxiliarySheets(t *testing.T) {
	path := multiSheetBook(t)
	h, rows := openAll(t, path, ingest.Options{})
	if h.Sheet != "Sites R40" || h.Format != "xlsx" || h.File != path {
		t.Fatalf("header = %+v", h)
	}
	if h.HeaderLine != 1 || !reflect.DeepEqual(h.Columns, []string{"State", "LGA", "Site ID", "Site Name", "IDP HH", "IDP Ind"}) {
		t.Errorf("header line %d columns %q", h.HeaderLine, h.Columns)
	}
	if !reflect.DeepEqual(lines(rows), []int{2, 3}) || rows[1].Cells[3] != "Dikwa camp" || rows[1].Cells[5] != "410" {
		t.Errorf("rows = %+v", rows)
	}
	notes := strings.Join(h.Notes, "\n")
	for _, want := range []string{`sheet "Sites R40" chosen`, `sheet "Summary" skipped: looks like a summary`, `"Pivot by LGA" skipped: looks like a pivot table`, `"Metadata" skipped: looks like a data dictionary`} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}

	infos, err := Sheets(path, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range infos {
		names = append(names, in.Name)
		if in.Chosen != (in.Name == "Sites R40") {
			t.Errorf("%s chosen=%v (%s)", in.Name, in.Chosen, in.Reason)
		}
		if in.Reason == "" || in.HeaderLine == 0 || in.Score == 0 {
			t.Errorf("incomplete info %+v", in)
		}
	}
	if !reflect.DeepEqual(names, []string{"Summary", "Pivot by LGA", "Metadata", "Sites R40"}) {
		t.Errorf("sheets = %q", names)
	}
	if infos[0].HeaderLine != 2 {
		t.Errorf("summary header line = %d, want 2 (below its title)", infos[0].HeaderLine)
	}
}

func TestAuxiliaryChosenWhenAlone(t *testing.T) {
	path := writeBook(t,
		testutil.Sheet{Name: "Empty"},
		testutil.Sheet{Name: "Summary", Rows: [][]any{strs("State", "Sites"), {"Borno", 3}}},
	)
	h, rows := openAll(t, path, ingest.Options{})
	if h.Sheet != "Summary" || len(rows) != 1 || !strings.Contains(h.Notes[0], "no other sheet") {
		t.Fatalf("sheet %q rows %d notes %q", h.Sheet, len(rows), h.Notes)
	}
}

func TestTiesGoToFirstSheet(t *testing.T) {
	path := writeBook(t,
		testutil.Sheet{Name: "A", Rows: [][]any{strs("x", "y")}},
		testutil.Sheet{Name: "B", Rows: [][]any{strs("x", "y")}},
	)
	h, _ := openAll(t, path, ingest.Options{})
	if h.Sheet != "A" {
		t.Fatalf("sheet = %q", h.Sheet)
	}
}

func TestHXLSheetWins(t *testing.T) {
	path := writeBook(t,
		testutil.Sheet{Name: "Wide", Rows: [][]any{strs("a", "b", "c", "d", "e", "f", "g")}},
		testutil.Sheet{Name: "Tagged", Rows: [][]any{strs("Admin 1", "IDPs"), strs("#adm1+name", "#affected+idps")}},
	)
	h, _ := openAll(t, path, ingest.Options{})
	if h.Sheet != "Tagged" || h.HXLLine != 2 {
		t.Fatalf("sheet %q hxl line %d", h.Sheet, h.HXLLine)
	}
}

func TestSheetOverride(t *testing.T) {
	path := multiSheetBook(t)
	for _, name := range []string{"Metadata", " metadata "} {
		h, rows := openAll(t, path, ingest.Options{Sheet: name})
		if h.Sheet != "Metadata" || len(rows) != 1 || rows[0].Cells[0] != "site_id" {
			t.Errorf("--sheet %q: sheet %q rows %v", name, h.Sheet, rows)
		}
		if !strings.Contains(h.Notes[0], "--sheet") {
			t.Errorf("notes %q", h.Notes)
		}
	}
	_, err := Open(path, ingest.Options{Sheet: "Data"})
	if err == nil || !strings.Contains(err.Error(), `"Sites R40"`) || !strings.Contains(err.Error(), `"Summary"`) {
		t.Fatalf("unknown sheet error = %v", err)
	}
	infos, err := Sheets(path, ingest.Options{Sheet: "Summary"})
	if err != nil || !infos[0].Chosen || infos[3].Chosen {
		t.Fatalf("Sheets with --sheet: %+v %v", infos, err)
	}
}

func TestTitleAndBannerRowsAboveHeader(t *testing.T) {
	path := writeBook(t, testutil.Sheet{Name: "Data", Rows: [][]any{
		{"MATRICE DE SUIVI DES DEPLACEMENTS - MALI"},
		nil,
		strs("Publié le 12/03/2023", "Source: OIM"),
		{"DATE", nil, "METHODE DE COLLECTE", nil, nil},
		strs("Jour", "Mois", "Enquêteur", "Mode", "Lieu"),
		{12, 3, "A. Traoré", "KI", "Gao"},
		nil,
		{13, 3, "B. Keita", "KI", "Mopti"},
	}})
	h, rows := openAll(t, path, ingest.Options{})
	if h.HeaderLine != 5 || h.SkippedAbove != 3 || h.HXLLine != 0 {
		t.Errorf("header line %d skipped %d hxl %d", h.HeaderLine, h.SkippedAbove, h.HXLLine)
	}
	if !reflect.DeepEqual(h.Columns, []string{"Jour", "Mois", "Enquêteur", "Mode", "Lieu"}) {
		t.Errorf("columns %q", h.Columns)
	}
	if got := lines(rows); !reflect.DeepEqual(got, []int{6, 7, 8}) {
		t.Fatalf("lines %v, want the blank row 7 kept", got)
	}
	if !reflect.DeepEqual(rows[1].Cells, []string{"", "", "", "", ""}) {
		t.Errorf("blank row cells %q", rows[1].Cells)
	}
	if rows[2].Cells[4] != "Mopti" {
		t.Errorf("row 8 = %q", rows[2].Cells)
	}
}

func TestRepeatedBannerLosesToHeader(t *testing.T) {
	// A scorer that likes the banner must still not pick it: banners rank
	// below plausible headers.
	likesYears := func(cells []string) int {
		n := 0
		for _, c := range cells {
			if strings.HasPrefix(c, "Year") {
				n += 10
			} else if c != "" {
				n++
			}
		}
		return n
	}
	path := writeBook(t, testutil.Sheet{Name: "Data", Rows: [][]any{
		strs("", "Year 2019", "Year 2019", "Year 2020", "Year 2020"),
		strs("Province", "IDPs", "Returnees", "IDPs", "Returnees"),
		{"Kivu", 1, 2, 3, 4},
	}})
	h, rows := openAll(t, path, ingest.Options{Scorer: likesYears})
	if h.HeaderLine != 2 || len(rows) != 1 || h.SkippedAbove != 1 {
		t.Fatalf("header line %d rows %d skipped %d", h.HeaderLine, len(rows), h.SkippedAbove)
	}
}

func TestHXLRowUnderHeader(t *testing.T) {
	path := writeBook(t, testutil.Sheet{Name: "Data", Rows: [][]any{
		strs("Country", "Admin 1", "Site", "IDPs", "Comment"),
		{"#country+code", "#adm1+name", nil, "#affected+idps", nil, "#meta+extra"},
		{"NGA", "Borno", "Bakassi", 500},
		{"NGA", "#N/A", "#N/A", "#N/A", "#N/A"},
	}})
	h, rows := openAll(t, path, ingest.Options{})
	if h.HeaderLine != 1 || h.HXLLine != 2 {
		t.Fatalf("header %d hxl %d", h.HeaderLine, h.HXLLine)
	}
	wantHXL := []string{"#country+code", "#adm1+name", "", "#affected+idps", "", "#meta+extra"}
	if !reflect.DeepEqual(h.HXL, wantHXL) || len(h.Columns) != 6 || h.Columns[5] != "" {
		t.Errorf("hxl %q columns %q", h.HXL, h.Columns)
	}
	if got := lines(rows); !reflect.DeepEqual(got, []int{3, 4}) {
		t.Errorf("lines %v", got)
	}
	if len(rows[0].Cells) != 6 {
		t.Errorf("row not padded to the header width: %q", rows[0].Cells)
	}
}

func TestTrailingEmptyColumns(t *testing.T) {
	header := make([]any, 300)
	data := make([]any, 300)
	for i := range header {
		header[i], data[i] = "", ""
	}
	copy(header, strs("Site", "Type", "IDPs"))
	copy(data, []any{"Camp A", "camp", 10})
	data[299] = "   "
	extra := append([]any{"Camp B", "host", 20}, make([]any, 6)...)
	extra[8] = "stray note"
	path := writeBook(t, testutil.Sheet{Name: "Data", Rows: [][]any{header, data, extra}})
	h, rows := openAll(t, path, ingest.Options{Limits: ingest.Limits{MaxColumns: 100}})
	if !reflect.DeepEqual(h.Columns, []string{"Site", "Type", "IDPs"}) {
		t.Fatalf("columns %q", h.Columns)
	}
	if !reflect.DeepEqual(rows[0].Cells, []string{"Camp A", "camp", "10"}) {
		t.Errorf("row 2 %q", rows[0].Cells)
	}
	if len(rows[1].Cells) != 9 || rows[1].Cells[8] != "stray note" {
		t.Errorf("extra non-empty cell lost: %q", rows[1].Cells)
	}
}

func TestRawValues(t *testing.T) {
	path := writeBook(t, testutil.Sheet{Name: "Data", Rows: [][]any{
		strs("Site", "Date", "IDPs", "Total", "Ratio"),
		{"A", time.Date(2022, 1, 31, 0, 0, 0, 0, time.UTC), 120, testutil.Formula{Expr: "C2*2", Cached: 240}, 0.25},
		{"B", time.Date(1900, 3, 1, 12, 0, 0, 0, time.UTC), 1, testutil.Formula{Expr: "C3*0.5", Cached: 0.5}, nil},
	}})
	_, rows := openAll(t, path, ingest.Options{})
	// Date-formatted cells arrive as ISO dates, everything else as stored.
	want := [][]string{{"A", "2022-01-31", "120", "240", "0.25"}, {"B", "1900-03-01T12:00:00", "1", "0.5", ""}}
	for i := range want {
		if !reflect.DeepEqual(rows[i].Cells, want[i]) {
			t.Errorf("row %d = %q, want %q", i+2, rows[i].Cells, want[i])
		}
	}
}

func TestBatches(t *testing.T) {
	rowsIn := [][]any{strs("n", "label")}
	for i := 1; i <= 10; i++ {
		rowsIn = append(rowsIn, []any{i, "x"})
	}
	path := writeBook(t, testutil.Sheet{Name: "Data", Rows: rowsIn})
	r, err := Open(path, ingest.Options{Limits: ingest.Limits{MaxHeaderScan: 4}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = r.Close() }()
	var sizes []int
	for {
		b, err := r.Next(3)
		if err != nil {
			break
		}
		sizes = append(sizes, len(b))
	}
	if !reflect.DeepEqual(sizes, []int{3, 3, 3, 1}) {
		t.Fatalf("batch sizes %v", sizes)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(1); err == nil {
		t.Fatal("Next after Close succeeded")
	}
}

func TestEmptyWorkbook(t *testing.T) {
	path := writeBook(t, testutil.Sheet{Name: "Sheet1"})
	h, rows := openAll(t, path, ingest.Options{})
	if len(rows) != 0 || h.HeaderLine != 0 || h.Sheet != "Sheet1" {
		t.Fatalf("header %+v rows %v", h, rows)
	}
}

func TestHeaderEdgeCases(t *testing.T) {
	cases := []struct {
		name       string
		rows       [][]any
		headerLine int
		hxlLine    int
	}{
		{"header above wider data rows", [][]any{
			strs("Site", "IDPs"),
			{"A", 1, 2, 3, 4, 5},
		}, 1, 0},
		{"hashtags in data are not an HXL row", [][]any{
			strs("Site", "Admin 1", "Comment", "Tags"),
			strs("Camp A", "Borno", "ok", "none"),
			{"Camp B", "Borno", "#flood", "#urgent"},
		}, 1, 0},
		{"HXL row after blank rows at the top", [][]any{
			nil, strs("#adm1+name", "#affected+idps"), {"Borno", 3},
		}, 2, 2},
		{"title, banner, header, HXL", [][]any{
			{"DTM Round 12"},
			{nil, "Population", nil, "Location"},
			strs("IDPs", "Returnees", "State", "LGA"),
			strs("#affected+idps", "#affected+returnees", "#adm1+name", "#adm2+name"),
			{1, 2, "Borno", "Bama"},
		}, 3, 4},
	}
	for _, c := range cases {
		path := writeBook(t, testutil.Sheet{Name: "Data", Rows: c.rows})
		h, _ := openAll(t, path, ingest.Options{})
		if h.HeaderLine != c.headerLine || h.HXLLine != c.hxlLine {
			t.Errorf("%s: header %d hxl %d, want %d %d (notes %q)", c.name, h.HeaderLine, h.HXLLine, c.headerLine, c.hxlLine, h.Notes)
		}
	}
}
