package testutil

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestWriteXLSX(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.xlsx")
	date := time.Date(2022, 1, 31, 0, 0, 0, 0, time.UTC)
	WriteXLSX(t, path, []Sheet{
		{Name: "Data", Rows: [][]any{
			{"Site", "IDPs", "Date", "Total"},
			{"Camp A", 120, date, Formula{Expr: "B2*2", Cached: 240}},
			nil,
			{"Camp B", 3.5, nil, Formula{Expr: "B4*2"}},
		}},
		{Name: "Metadata", Rows: [][]any{{"field", "description"}}},
	})
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if got, want := f.GetSheetList(), []string{"Data", "Metadata"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	rows, err := f.GetRows("Data", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Site", "IDPs", "Date", "Total"},
		{"Camp A", "120", "44592", "240"},
		nil,
		{"Camp B", "3.5", "", ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows = %q, want %q", rows, want)
	}
	for i := range want {
		if len(want[i]) == 0 && len(rows[i]) == 0 {
			continue
		}
		// The last formula has no cached value but its cell exists.
		if !reflect.DeepEqual(rows[i], want[i]) && !(i == 3 && reflect.DeepEqual(rows[i], want[i][:3])) {
			t.Errorf("row %d = %q, want %q", i+1, rows[i], want[i])
		}
	}
	formula, err := f.GetCellFormula("Data", "D2")
	if err != nil || formula != "B2*2" {
		t.Errorf("formula D2 = %q, %v", formula, err)
	}
	if got, _ := f.GetCellValue("Data", "C2"); got != "01-31-22" {
		t.Errorf("formatted date C2 = %q, want date style applied", got)
	}
}

func TestWriteXLSXRejectsUnsupportedValues(t *testing.T) {
	for name, v := range map[string]any{
		"struct":               struct{}{},
		"formula with string":  Formula{Expr: "A1", Cached: "text"},
		"formula with a slice": Formula{Expr: "A1", Cached: []int{1}},
	} {
		ft := &fakeTB{TB: t}
		func() {
			defer func() { _ = recover() }()
			WriteXLSX(ft, filepath.Join(t.TempDir(), "x.xlsx"), []Sheet{{Name: "S", Rows: [][]any{{v}}}})
		}()
		if !ft.failed {
			t.Errorf("%s was accepted", name)
		}
	}
}

// fakeTB records Fatalf instead of stopping the real test.
type fakeTB struct {
	testing.TB
	failed bool
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(string, ...any) {
	f.failed = true
	panic("fatal")
}
