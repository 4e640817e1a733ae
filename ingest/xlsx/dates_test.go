package xlsx

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
)

func TestSerialToISO(t *testing.T) {
	cases := []struct {
		in       string
		date1904 bool
		want     string // "" = kept as stored
	}{
		{"45366", false, "2024-03-15"},
		{"45365.9999999998", false, "2024-03-15"}, // floating-point noise: the date Excel shows
		{"45366.0000000001", false, "2024-03-15"},
		{"45365.99999", false, "2024-03-14T23:59:59"},
		{"45365.999999", false, "2024-03-15"}, // 23:59:59.91: the next midnight at second precision
		{"45366.5", false, "2024-03-15T12:00:00"},
		{" 44592 ", false, "2022-01-31"},
		{"4.4592E4", false, "2022-01-31"},
		{"1", false, "1900-01-01"},
		{"59", false, "1900-02-28"},
		{"60", false, ""}, // 1900-02-29 never was
		{"61", false, "1900-03-01"},
		{"0", false, ""},   // Excel shows 1900-01-00
		{"0.5", false, ""}, // a time of day without a date
		{"2958465", false, "9999-12-31"},
		{"2958466", false, ""},
		{"-1", false, ""},
		{"abc", false, ""},
		{"NaN", false, ""},
		{"", false, ""},
		// 1904 date system: 1462 days later for the same serial.
		{"43904", true, "2024-03-15"},
		{"43903.9999999998", true, "2024-03-15"},
		{"0", true, "1904-01-01"},
		{"60", true, "1904-03-01"},
		{"43904.25", true, "2024-03-15T06:00:00"},
	}
	for _, c := range cases {
		got, ok := serialToISO(c.in, c.date1904)
		if !ok {
			got = ""
		}
		if got != c.want {
			t.Errorf("serialToISO(%q, 1904=%v) = %q, want %q", c.in, c.date1904, got, c.want)
		}
	}
}

func TestIsDateFormat(t *testing.T) {
	for code, want := range map[string]bool{
		"yyyy-mm-dd": true, "dd/mm/yyyy": true, "d-mmm-yy": true, "mmm-yy": true, "mmmm": true,
		"[$-40C]dddd d mmmm yyyy": true, "dd/mm/yyyy hh:mm": true, `yyyy"年"m"月"d"日"`: true,
		"m/d/yyyy;@": true, "[Red]dd/mm/yy": true,
		"General": false, "0.00": false, "#,##0": false, "0.00E+00": false, "h:mm": false,
		"[h]:mm:ss": false, "mm:ss": false, "h:mm AM/PM": false, `0 "days"`: false, `#,##0\d`: false,
		`0.0 "mm"`: false, "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)": false, "@": false,
	} {
		if got := isDateFormat(code); got != want {
			t.Errorf("isDateFormat(%q) = %v, want %v", code, got, want)
		}
	}
	for id, want := range map[int]bool{0: false, 1: false, 14: true, 15: true, 17: true, 18: false, 21: false, 22: true, 45: false, 49: false, 57: true} {
		if got := isBuiltinDateFormat(id); got != want {
			t.Errorf("isBuiltinDateFormat(%d) = %v, want %v", id, got, want)
		}
	}
}

// dateStyles has four cell formats: 0 General, 1 built-in date (14), 2 a
// custom date, 3 a custom time (not a date), 4 a number with 2 decimals.
const dateStyles = `<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="[h]:mm"/></numFmts>` +
	`<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="2"/></cellXfs>`

// dateSheet has a header and one row of the same serial under each style,
// plus an ISO date cell (t="d") and a date-styled text cell.
const dateSheet = `<row r="1"><c r="A1" t="inlineStr"><is><t>General</t></is></c><c r="B1" t="inlineStr"><is><t>Date</t></is></c><c r="C1" t="inlineStr"><is><t>Custom</t></is></c><c r="D1" t="inlineStr"><is><t>Time</t></is></c><c r="E1" t="inlineStr"><is><t>Number</t></is></c><c r="F1" t="inlineStr"><is><t>ISO</t></is></c><c r="G1" t="inlineStr"><is><t>Text</t></is></c></row>` +
	`<row r="2"><c r="A2"><v>43904</v></c><c r="B2" s="1"><v>43904</v></c><c r="C2" s="2" t="n"><v>43903.9999999998</v></c><c r="D2" s="3"><v>43904</v></c><c r="E2" s="4"><v>43904</v></c><c r="F2" t="d" s="1"><v>2024-03-15T00:00:00</v></c><c r="G2" t="inlineStr" s="1"><is><t>15/03/2024</t></is></c></row>`

func TestDateCells(t *testing.T) {
	cases := []struct {
		name, pr string
		want     []string
	}{
		{"1900 system", "", []string{"43904", "2020-03-14", "2020-03-14", "43904", "43904", "2024-03-15T00:00:00", "15/03/2024"}},
		{"1904 system", `<workbookPr date1904="1"/>`, []string{"43904", "2024-03-15", "2024-03-15", "43904", "43904", "2024-03-15T00:00:00", "15/03/2024"}},
		{"1904 system as true", `<workbookPr defaultThemeVersion="124226" date1904="true"/>`, []string{"43904", "2024-03-15", "2024-03-15", "43904", "43904", "2024-03-15T00:00:00", "15/03/2024"}},
		{"1904 off", `<workbookPr date1904="0"/>`, []string{"43904", "2020-03-14", "2020-03-14", "43904", "43904", "2024-03-15T00:00:00", "15/03/2024"}},
	}
	for _, c := range cases {
		path := filepath.Join(t.TempDir(), "dates.xlsx")
		if err := os.WriteFile(path, rawBookStyled(t, c.pr, dateStyles, dateSheet), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, engine := range []bool{false, true} {
			_, rows, err := readWith(path, ingest.Options{}, engine)
			if err != nil {
				t.Fatalf("%s (excelize %v): %v", c.name, engine, err)
			}
			if len(rows) != 1 || !reflect.DeepEqual(rows[0].Cells, c.want) {
				t.Errorf("%s (excelize %v): rows %+v, want %q", c.name, engine, rows, c.want)
			}
		}
	}
}

// TestDatesWithoutStyles: a workbook without a styles part has no date
// formats; its serials arrive as stored.
func TestDatesWithoutStyles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plain.xlsx")
	if err := os.WriteFile(path, rawBookStyled(t, `<workbookPr date1904="1"/>`, "", dateSheet), 0o600); err != nil {
		t.Fatal(err)
	}
	_, rows := openAll(t, path, ingest.Options{})
	if got := rows[0].Cells[1]; got != "43904" {
		t.Errorf("unstyled serial %q, want 43904", got)
	}
}
