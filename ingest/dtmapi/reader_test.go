package dtmapi

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
)

// onlyReader hides Seek so that a body is read as a live, unseekable stream.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// readAll reads every row of a reader built by open; the error is the first
// one from the constructor or Next (nil at a clean io.EOF).
func readAll(t *testing.T, r ingest.Reader, err error) (ingest.Header, []ingest.Row, error) {
	t.Helper()
	if err != nil {
		return ingest.Header{}, nil, err
	}
	defer r.Close()
	var rows []ingest.Row
	for {
		batch, err := r.Next(3)
		rows = append(rows, batch...)
		if errors.Is(err, io.EOF) {
			return r.Header(), rows, nil
		}
		if err != nil {
			return r.Header(), rows, err
		}
	}
}

func readBytes(t *testing.T, name string, body []byte, opts ingest.Options) (ingest.Header, []ingest.Row, error) {
	t.Helper()
	r, err := NewReader(name, bytes.NewReader(body), opts)
	return readAll(t, r, err)
}

// cell returns a row's cell under the named column.
func cell(t *testing.T, h ingest.Header, row ingest.Row, col string) string {
	t.Helper()
	i := slices.Index(h.Columns, col)
	if i < 0 {
		t.Fatalf("no column %q in %v", col, h.Columns)
	}
	return row.Cells[i]
}

func hasNote(h ingest.Header, sub string) bool {
	for _, n := range h.Notes {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}

func TestReadTestdata(t *testing.T) {
	tests := []struct {
		file  string
		rows  int
		level string
		note  string            // a note that must be present
		want  map[string]string // cells of the first row
		last  map[string]string // cells of the last row
	}{
		{"ssd_admin0_v3.json", 5, "0", "API v3",
			map[string]string{"id": "", "admin0Pcode": "SSD", "numPresentIdpInd": "1520340", "reportingDate": "2023-06-30T00:00:00", "roundNumber": "13", "idpOriginAdmin1Name": "Not available", "assessmentType": "BA", "admin1Pcode": ""},
			map[string]string{"numberMales": "", "numberFemales": "", "assessmentType": "ETT", "displacementReason": "Natural disaster"}},
		{"ssd_admin1_v3.json", 8, "1", "response envelope",
			map[string]string{"id": "70101", "admin1Pcode": "SS01", "idpOriginAdmin1Pcode": "SS04", "numberMales": "58002"},
			map[string]string{"id": "70108", "displacementReason": "Conflict"}},
		{"ssd_admin2_v3.json", 5, "2", "API v3",
			map[string]string{"admin2Name": "Juba", "admin2Pcode": "SS0101", "idpOriginAdmin1Pcode": "Not available"},
			map[string]string{"admin2Pcode": "SS0401", "numPresentIdpInd": "150300"}},
		{"nga_admin1_v2.json", 5, "1", "API v2",
			map[string]string{"admin0Pcode": "NGA", "admin1Pcode": "NG008", "numPresentIdpInd": "1620345", "displacementReason": "", "numberMales": ""},
			map[string]string{"assessmentType": "SA"}},
		{"nga_admin2_bare.json", 4, "2", "bare JSON array",
			map[string]string{"admin2Pcode": "NG008015", "displacementReason": "Conflict"},
			map[string]string{"displacementReason": "Natural disaster; conflict"}},
		{"nga_admin0_v3.json", 2, "0", "API v3", map[string]string{"id": ""}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", tc.file)
			r, err := OpenFile(path, ingest.Options{})
			h, rows, err := readAll(t, r, err)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tc.rows {
				t.Fatalf("%d rows, want %d", len(rows), tc.rows)
			}
			if h.File != path || h.Format != "json" || h.Encoding != "utf-8" || h.HeaderLine != 0 {
				t.Errorf("header = %+v", h)
			}
			if !slices.Equal(h.Columns, KnownColumns()) {
				t.Errorf("columns = %v, want the known columns", h.Columns)
			}
			if !hasNote(h, tc.note) {
				t.Errorf("notes %q lack %q", h.Notes, tc.note)
			}
			for i, row := range rows {
				if row.Line != i+1 {
					t.Errorf("row %d: Line = %d", i, row.Line)
				}
				if len(row.Cells) != len(h.Columns) {
					t.Errorf("row %d: %d cells for %d columns", i, len(row.Cells), len(h.Columns))
				}
				if got := cell(t, h, row, "adminLevel"); got != tc.level {
					t.Errorf("row %d: adminLevel = %q, want %q", i, got, tc.level)
				}
			}
			for k, v := range tc.want {
				if got := cell(t, h, rows[0], k); got != v {
					t.Errorf("first row %s = %q, want %q", k, got, v)
				}
			}
			for k, v := range tc.last {
				if got := cell(t, h, rows[len(rows)-1], k); got != v {
					t.Errorf("last row %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// TestPublishedValuesKept checks the defects the transform stage must see
// untouched: case drift and trailing spaces in reasons, "Not available",
// duplicate area/date/round rows, one area under both SA and BA.
func TestPublishedValuesKept(t *testing.T) {
	r, err := OpenFile(filepath.Join("testdata", "ssd_admin1_v3.json"), ingest.Options{})
	h, rows, err := readAll(t, r, err)
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	types := map[string]bool{}
	for _, row := range rows {
		reasons = append(reasons, cell(t, h, row, "displacementReason"))
		if cell(t, h, row, "admin1Pcode") == "SS01" && cell(t, h, row, "roundNumber") == "13" {
			types[cell(t, h, row, "assessmentType")] = true
		}
	}
	for _, want := range []string{"Conflict; Natural disaster", "conflict", "Natural disaster ", "CONFLICT; natural disaster"} {
		if !slices.Contains(reasons, want) {
			t.Errorf("reasons %q lack %q as published", reasons, want)
		}
	}
	if !types["SA"] || !types["BA"] {
		t.Errorf("SS01 round 13 assessment types = %v, want SA and BA", types)
	}
	if cell(t, h, rows[1], "idpOriginAdmin1Name") != "Not available" {
		t.Errorf("Not available not kept: %q", cell(t, h, rows[1], "idpOriginAdmin1Name"))
	}
	a, b := slices.Clone(rows[3].Cells), slices.Clone(rows[4].Cells)
	a[0], b[0] = "", "" // ids differ
	if !slices.Equal(a, b) {
		t.Errorf("duplicate rows differ: %q vs %q", a, b)
	}
}

func TestNotSuccess(t *testing.T) {
	path := filepath.Join("testdata", "not_success.json")
	r, err := OpenFile(path, ingest.Options{})
	_, _, err = readAll(t, r, err)
	if !errors.Is(err, ErrNotSuccess) {
		t.Fatalf("err = %v, want ErrNotSuccess", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || len(apiErr.Messages) != 1 {
		t.Fatalf("err = %#v", err)
	}
	for _, want := range []string{path, "At least one of Operation", "400"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestNotSuccessAfterRecords(t *testing.T) {
	body := `{"result":[{"admin0Pcode":"SSD","numPresentIdpInd":1},{"admin0Pcode":"SSD","numPresentIdpInd":2}],"statusCode":500,"isSuccess":false,"errorMessages":["partial failure"]}`
	_, rows, err := readBytes(t, "late.json", []byte(body), ingest.Options{})
	if len(rows) != 2 || !errors.Is(err, ErrNotSuccess) || !strings.Contains(err.Error(), "partial failure") {
		t.Fatalf("rows %d, err %v", len(rows), err)
	}
	// isSuccess:false before the result: the result is skipped.
	body = `{"isSuccess":false,"errorMessages":"bad key","result":[{"a":1}]}`
	_, rows, err = readBytes(t, "early.json", []byte(body), ingest.Options{})
	if len(rows) != 0 || !errors.Is(err, ErrNotSuccess) || !strings.Contains(err.Error(), "bad key") {
		t.Fatalf("rows %d, err %v", len(rows), err)
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct{ name, body string }{
		{"empty", ""},
		{"spaces", "  \n"},
		{"null", "null"},
		{"number", "42"},
		{"truncated envelope", `{"result": [{"id": 1}`},
		{"truncated array", `[{"id": 1},`},
		{"result not array", `{"result": {"id": 1}}`},
		{"result string", `{"result": "x"}`},
		{"no result", `{"statusCode": 200, "isSuccess": true}`},
		{"record not object", `{"result": [1, 2]}`},
		{"record array", `[[1]]`},
		{"bad syntax", `{"result": [{"id": 1,}]}`},
		{"trailing garbage", `[{"id": 1}] [2]`},
		{"trailing bytes", `{"result": []} x`},
		{"two results", `{"result": [], "result": []}`},
		{"html", `<html><body>Service Unavailable</body></html>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := readBytes(t, "bad.json", []byte(tc.body), ingest.Options{})
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			if !strings.Contains(err.Error(), "bad.json") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestRecordErrorNamesRecord(t *testing.T) {
	_, rows, err := readBytes(t, "x.json", []byte(`[{"id":1},{"id":2},3]`), ingest.Options{})
	if len(rows) != 2 || err == nil || !strings.Contains(err.Error(), "record 3") {
		t.Fatalf("rows %d, err %v", len(rows), err)
	}
}

func TestEmptyResults(t *testing.T) {
	for _, body := range []string{`[]`, `{"result": [], "isSuccess": true, "totalRecordsCount": 0}`, `{"result": null, "isSuccess": true}`} {
		h, rows, err := readBytes(t, "e.json", []byte(body), ingest.Options{})
		if err != nil || len(rows) != 0 || !slices.Equal(h.Columns, KnownColumns()) {
			t.Errorf("%s: rows %d, err %v, cols %v", body, len(rows), err, h.Columns)
		}
	}
}

func TestCellRendering(t *testing.T) {
	body := `[{"numPresentIdpInd": 1.0, "numberMales": 1e3, "numberFemales": 12.50, "roundNumber": -3,
		"yearReportingDate": 2.0E+3, "monthReportingDate": 1e400, "id": 123456789012345678901234567890,
		"operation": "  spaced  ", "assessmentType": null, "admin0Name": true,
		"displacementReason": ["Conflict", {"b": null, "a": "<x>"}], "admin1Name": "Caf\u00e9",
		"admin2Name": 0.000001, "admin2Pcode": 1e21}]`
	h, rows, err := readBytes(t, "r.json", []byte(body), ingest.Options{})
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows %d, err %v", len(rows), err)
	}
	want := map[string]string{
		"numPresentIdpInd":   "1",
		"numberMales":        "1000",
		"numberFemales":      "12.5",
		"roundNumber":        "-3",
		"yearReportingDate":  "2000",
		"monthReportingDate": "1e400",
		"id":                 "123456789012345678901234567890",
		"operation":          "  spaced  ",
		"assessmentType":     "",
		"admin0Name":         "true",
		"displacementReason": `["Conflict",{"b":null,"a":"<x>"}]`,
		"admin1Name":         "Café",
		"admin2Name":         "0.000001",
		"admin2Pcode":        "1000000000000000000000",
		"adminLevel":         "2",
	}
	for k, v := range want {
		if got := cell(t, h, rows[0], k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

func TestAdminLevel(t *testing.T) {
	tests := []struct{ rec, want string }{
		{`{"admin0Pcode":"SSD"}`, "0"},
		{`{"admin0Pcode":"SSD","admin1Pcode":"  "}`, "0"},
		{`{"admin1Pcode":"SS01"}`, "1"},
		{`{"admin1Name":"Unity"}`, "1"},
		{`{"admin1Pcode":"SS01","admin2Pcode":"SS0101"}`, "2"},
		{`{"admin2Name":"Juba","admin2Pcode":null}`, "2"},
		{`{"admin1Pcode":"SS01","adminLevel":2}`, "2"}, // the record's own level wins
		{`{"adminLevel":"0","admin2Pcode":"SS0101"}`, "0"},
	}
	for _, tc := range tests {
		h, rows, err := readBytes(t, "l.json", []byte("["+tc.rec+"]"), ingest.Options{})
		if err != nil || len(rows) != 1 {
			t.Fatalf("%s: rows %d, err %v", tc.rec, len(rows), err)
		}
		if got := cell(t, h, rows[0], "adminLevel"); got != tc.want {
			t.Errorf("%s: adminLevel %q, want %q", tc.rec, got, tc.want)
		}
	}
}

func TestUnknownKeys(t *testing.T) {
	body := []byte(`{"result":[{"id":1,"zeta":"z1","admin0Pcode":"SSD"},{"id":2,"alpha":"a2","zeta":"z2"},{"id":3,"alpha":"a3"}]}`)
	known := len(KnownColumns())

	// Seekable and small: a pre-scan finds every key.
	h, rows, err := readBytes(t, "u.json", body, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Columns[known:]; !slices.Equal(got, []string{"zeta", "alpha"}) {
		t.Fatalf("extra columns %v, want [zeta alpha]", got)
	}
	if cell(t, h, rows[1], "alpha") != "a2" || cell(t, h, rows[2], "alpha") != "a3" || cell(t, h, rows[0], "alpha") != "" {
		t.Errorf("alpha cells wrong: %v", rows)
	}

	// Unseekable: the first record fixes the columns; later keys are noted
	// and dropped.
	r, err := NewReader("u.json", onlyReader{bytes.NewReader(body)}, ingest.Options{})
	h, rows, err = readAll(t, r, err)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Columns[known:]; !slices.Equal(got, []string{"zeta"}) {
		t.Fatalf("extra columns %v, want [zeta]", got)
	}
	if cell(t, h, rows[1], "zeta") != "z2" || len(rows[1].Cells) != known+1 {
		t.Errorf("row 2 = %q", rows[1].Cells)
	}
	if !hasNote(h, `key "alpha" first seen in record 2`) {
		t.Errorf("notes %q lack the late key", h.Notes)
	}
}

func TestTotalRecordsMismatchNoted(t *testing.T) {
	h, rows, err := readBytes(t, "t.json", []byte(`{"result":[{"id":1}],"isSuccess":true,"totalRecordsCount":7}`), ingest.Options{})
	if err != nil || len(rows) != 1 {
		t.Fatal(rows, err)
	}
	if !hasNote(h, "totalRecordsCount is 7 but the result holds 1") {
		t.Errorf("notes %q", h.Notes)
	}
}

func TestBOM(t *testing.T) {
	body := append([]byte("\xEF\xBB\xBF"), []byte(`[{"admin0Pcode":"SSD"}]`)...)
	h, rows, err := readBytes(t, "b.json", body, ingest.Options{})
	if err != nil || len(rows) != 1 || h.Encoding != "utf-8-bom" {
		t.Fatalf("rows %d err %v enc %q", len(rows), err, h.Encoding)
	}
	r, err := NewReader("b.json", onlyReader{bytes.NewReader(body)}, ingest.Options{})
	if _, rows, err = readAll(t, r, err); err != nil || len(rows) != 1 {
		t.Fatalf("unseekable: rows %d err %v", len(rows), err)
	}
}

func TestNextBatches(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "ssd_admin1_v3.json"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReader("b.json", bytes.NewReader(body), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for {
		rows, err := r.Next(3)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(rows))
	}
	if !slices.Equal(sizes, []int{3, 3, 2}) {
		t.Errorf("batch sizes %v", sizes)
	}
	if rows, err := r.Next(3); rows != nil || !errors.Is(err, io.EOF) {
		t.Errorf("after EOF: %v, %v", rows, err)
	}
	if rows, err := r.Next(0); rows != nil || !errors.Is(err, io.EOF) {
		t.Errorf("Next(0) after EOF: %v, %v", rows, err)
	}
	if err := r.Close(); err != nil {
		t.Error(err)
	}
}

func TestLimits(t *testing.T) {
	deep := strings.Repeat("[", 40) + strings.Repeat("]", 40)
	tests := []struct {
		name string
		body string
		lim  ingest.Limits
	}{
		{"body size", `[{"operation":"` + strings.Repeat("x", 2000) + `"}]`, ingest.Limits{MaxFileBytes: 1000}},
		{"cell size", `[{"operation":"` + strings.Repeat("x", 2000) + `"}]`, ingest.Limits{MaxCellBytes: 1000}},
		{"nested cell size", `[{"operation":["` + strings.Repeat("x", 600) + `","` + strings.Repeat("y", 600) + `"]}]`, ingest.Limits{MaxCellBytes: 1000}},
		{"record size", `[{"a":"` + strings.Repeat("x", 900) + `","b":"` + strings.Repeat("y", 900) + `"}]`, ingest.Limits{MaxRowBytes: 1000}},
		{"huge record", `[{"a":"` + strings.Repeat("x", 300<<10) + `"}]`, ingest.Limits{MaxRowBytes: 1000}},
		{"deep nesting", `[{"a":` + deep + `}]`, ingest.Limits{}},
		{"deep nesting in envelope", `{"extra":` + deep + `,"result":[]}`, ingest.Limits{}},
		{"many keys", `[{"a":1,"b":2,"c":3,"d":4}]`, ingest.Limits{MaxColumns: 3}},
		{"many columns", `[{"a":1,"b":2}]`, ingest.Limits{MaxColumns: len(KnownColumns()) + 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := ingest.Options{Limits: tc.lim}
			_, _, err := readBytes(t, "big.json", []byte(tc.body), opts)
			if !errors.Is(err, ingest.ErrLimit) {
				t.Errorf("seekable: err = %v, want ErrLimit", err)
			}
			r, err := NewReader("big.json", onlyReader{strings.NewReader(tc.body)}, opts)
			if _, _, err = readAll(t, r, err); !errors.Is(err, ingest.ErrLimit) {
				t.Errorf("stream: err = %v, want ErrLimit", err)
			}
		})
	}
}

func TestLimitsAcrossRecords(t *testing.T) {
	// Many records, each within MaxRowBytes, in a body over MaxFileBytes:
	// the rows before the limit are returned, then ErrLimit.
	var b strings.Builder
	b.WriteString("[")
	for i := range 200 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"operation":"` + strings.Repeat("x", 100) + `"}`)
	}
	b.WriteString("]")
	lim := ingest.Limits{MaxFileBytes: 5000, MaxRowBytes: 200}
	r, err := NewReader("many.json", onlyReader{strings.NewReader(b.String())}, ingest.Options{Limits: lim})
	_, rows, err := readAll(t, r, err)
	if !errors.Is(err, ingest.ErrLimit) || len(rows) == 0 || len(rows) > 50 {
		t.Fatalf("rows %d, err %v", len(rows), err)
	}
	// The same records one by one, far over MaxRowBytes in total, are fine.
	lim.MaxFileBytes = 1 << 20
	r, err = NewReader("many.json", onlyReader{strings.NewReader(b.String())}, ingest.Options{Limits: lim})
	if _, rows, err = readAll(t, r, err); err != nil || len(rows) != 200 {
		t.Fatalf("rows %d, err %v", len(rows), err)
	}
}

func TestOpenFileLimitsAndErrors(t *testing.T) {
	path := filepath.Join("testdata", "ssd_admin1_v3.json")
	if _, err := OpenFile(path, ingest.Options{Limits: ingest.Limits{MaxFileBytes: 100}}); !errors.Is(err, ingest.ErrLimit) {
		t.Errorf("err = %v, want ErrLimit", err)
	}
	if _, err := OpenFile(filepath.Join(t.TempDir(), "missing.json"), ingest.Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want ErrNotExist", err)
	}
}
