package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestSiteCSVShapeAndDeterminism(t *testing.T) {
	for _, n := range []int{0, 1, 1000} {
		a, b := SiteCSV(n), SiteCSV(n)
		if sha256.Sum256(a) != sha256.Sum256(b) {
			t.Fatalf("n=%d: two runs differ", n)
		}
		recs, err := csv.NewReader(bytes.NewReader(a)).ReadAll()
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if len(recs) != n+2 {
			t.Fatalf("n=%d: %d records, want %d", n, len(recs), n+2)
		}
		for i, r := range recs {
			if len(r) != len(SiteHeader) {
				t.Fatalf("record %d has %d cells", i, len(r))
			}
		}
		if recs[1][0] != "#country+code" {
			t.Fatalf("HXL row is %v", recs[1])
		}
		rows := SiteRows(n)
		for i, r := range rows {
			for j := range r {
				if r[j] != recs[i+2][j] {
					t.Fatalf("row %d cell %d: SiteRows %q, CSV %q", i, j, r[j], recs[i+2][j])
				}
			}
		}
	}
}

func TestThousands(t *testing.T) {
	for in, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 12345: "12,345", 1234567: "1,234,567"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestFlowCSV(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteFlowCSV(&a, 500); err != nil {
		t.Fatal(err)
	}
	_ = WriteFlowCSV(&b, 500)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two runs differ")
	}
	recs, err := csv.NewReader(&a).ReadAll()
	if err != nil || len(recs) != 502 || len(recs[0]) != len(FlowHeader) {
		t.Fatalf("%d records, err %v", len(recs), err)
	}
}

func TestSiteXLSX(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.xlsx")
	if err := WriteSiteXLSX(p, 300); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Sites")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 302 || rows[0][0] != "Country Code" || rows[1][0] != "#country+code" {
		t.Fatalf("%d rows; first %v", len(rows), rows[0])
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
}
