package xlsx

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/internal/testutil"
)

// flowBook is shaped like a flow monitoring workbook: a summary, entries
// and exits on two sheets of the same layout (one with a title row and a
// header in other case), a sheet of another layout, and a notes sheet.
func flowBook(t testing.TB) string {
	return writeBook(t,
		testutil.Sheet{Name: "Summary", Rows: [][]any{strs("Date", "FMP", "Individuals"), {"2016-10", "Point A", 14}}},
		testutil.Sheet{Name: "Entrées", Rows: [][]any{strs("Date", "FMP", "Individuals"), {"2016-10-02", "Point A", 5}, {"2016-10-03", "Point A", 2}}},
		testutil.Sheet{Name: "Lookups", Rows: [][]any{strs("Code", "FMP name")}},
		testutil.Sheet{Name: "Sorties", Rows: [][]any{{"Sorties octobre"}, strs("date", " FMP", "INDIVIDUALS"), {"2016-10-02", "Point A", 4}}},
		testutil.Sheet{Name: "Notes", Rows: [][]any{{"Collected by DTM"}}},
	)
}

// openAllSheets opens every data sheet and drains each.
func openAllSheets(t *testing.T, path string, names []string) ([]ingest.Header, [][]ingest.Row) {
	t.Helper()
	rds, err := OpenAll(path, names, ingest.Options{})
	if err != nil {
		t.Fatalf("OpenAll: %v", err)
	}
	var hs []ingest.Header
	var rows [][]ingest.Row
	for _, r := range rds {
		rs, err := drain(r, 10)
		if err != nil {
			t.Fatal(err)
		}
		hs, rows = append(hs, r.Header()), append(rows, rs)
	}
	for _, r := range rds {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
	return hs, rows
}

func TestOpenAllSameLayout(t *testing.T) {
	path := flowBook(t)
	hs, rows := openAllSheets(t, path, nil)
	if len(hs) != 2 || hs[0].Sheet != "Entrées" || hs[1].Sheet != "Sorties" {
		t.Fatalf("sheets read: %+v", hs)
	}
	if hs[0].DirectionHint != "incoming" || hs[1].DirectionHint != "outgoing" {
		t.Errorf("direction hints %q %q", hs[0].DirectionHint, hs[1].DirectionHint)
	}
	if !reflect.DeepEqual(lines(rows[0]), []int{2, 3}) || !reflect.DeepEqual(lines(rows[1]), []int{3}) || rows[1][0].Cells[2] != "4" {
		t.Errorf("rows %+v", rows)
	}
	notes := strings.Join(hs[1].Notes, "\n")
	for _, want := range []string{`sheet "Sorties" read too: same columns as sheet "Entrées"`, `sheet "Lookups" not chosen`, `flow direction "outgoing"`} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	infos, err := Sheets(path, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var chosen []string
	for _, si := range infos {
		if si.Chosen {
			chosen = append(chosen, si.Name)
		}
	}
	if !reflect.DeepEqual(chosen, []string{"Entrées", "Sorties"}) {
		t.Errorf("Sheets marks %q as read", chosen)
	}
	// Open still reads one sheet: the first of them.
	h, _ := openAll(t, path, ingest.Options{})
	if h.Sheet != "Entrées" {
		t.Errorf("Open read %q", h.Sheet)
	}
}

func TestOpenAllNamed(t *testing.T) {
	path := flowBook(t)
	hs, rows := openAllSheets(t, path, []string{"sorties", "Lookups", "Sorties"})
	if len(hs) != 2 || hs[0].Sheet != "Sorties" || hs[1].Sheet != "Lookups" || len(rows[0]) != 1 || len(rows[1]) != 0 {
		t.Fatalf("sheets %+v rows %+v", hs, rows)
	}
	if _, err := OpenAll(path, []string{"Entrées", "Nope"}, ingest.Options{}); !errors.Is(err, ErrNoSheet) || !strings.Contains(err.Error(), `"Sorties"`) {
		t.Errorf("unknown sheet: %v", err)
	}
}

// TestOpenAllSkipsOthers: hidden and auxiliary sheets, and sheets of
// another layout, are not read even with the same columns.
func TestOpenAllSkipsOthers(t *testing.T) {
	path := writeBook(t,
		testutil.Sheet{Name: "Data", Rows: [][]any{strs("Site", "IDPs"), {"A", 1}}},
		testutil.Sheet{Name: "Summary", Rows: [][]any{strs("Site", "IDPs"), {"All", 1}}},
		testutil.Sheet{Name: "Data 2", Rows: [][]any{strs("Site", "Returnees"), {"B", 2}}},
	)
	hs, _ := openAllSheets(t, path, nil)
	if len(hs) != 1 || hs[0].Sheet != "Data" {
		t.Fatalf("sheets read: %+v", hs)
	}
}

func TestDirectionOfName(t *testing.T) {
	for name, want := range map[string]string{
		"Entry": "incoming", "EXIT": "outgoing", "Entrée": "incoming", "ENTRÉES": "incoming", "Sortie": "outgoing",
		"Incoming flows": "incoming", "outgoing_2023": "outgoing", "FMR Entries Oct": "incoming", "Salidas": "outgoing",
		"Entradas": "incoming", "Entry and exit": "", "Data": "", "Sites R40": "", "Exits-Gao": "outgoing", "Entryway": "",
	} {
		if got := directionOfName(name); got != want {
			t.Errorf("directionOfName(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestOpenAllSameColumnsOtherOrder: sheets of the entry_exit_sheets field
// case whose columns were moved (or differ in case and spacing) are read
// too, each with its own header; a sheet with a column fewer is not.
func TestOpenAllSameColumnsOtherOrder(t *testing.T) {
	path := writeBook(t,
		testutil.Sheet{Name: "Incoming", Rows: [][]any{strs("Date", "FMP", "Individuals"), {"2016-10-02", "Point A", 5}}},
		testutil.Sheet{Name: "Outgoing", Rows: [][]any{strs("FMP", "individuals ", "Date"), {"Point A", 4, "2016-10-02"}, {"Point B", 3, "2016-10-05"}}},
		testutil.Sheet{Name: "Transit", Rows: [][]any{strs("FMP", "Individuals"), {"Point C", 1}}},
	)
	hs, rows := openAllSheets(t, path, nil)
	if len(hs) != 2 || hs[0].Sheet != "Incoming" || hs[1].Sheet != "Outgoing" {
		t.Fatalf("sheets read: %+v", hs)
	}
	if !reflect.DeepEqual(hs[1].Columns, []string{"FMP", "individuals ", "Date"}) || len(rows[1]) != 2 || rows[1][1].Cells[1] != "3" {
		t.Errorf("Outgoing: columns %q rows %+v", hs[1].Columns, rows[1])
	}
	if hs[1].DirectionHint != "outgoing" {
		t.Errorf("Outgoing direction hint %q", hs[1].DirectionHint)
	}
}
