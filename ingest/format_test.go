package ingest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/ingest/formats"
)

// TestDetectByContent: the format is chosen by the bytes first, the name
// second; a .json file that is no DTM API response is read as what it is.
func TestDetectByContent(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	reg := formats.Default()
	cases := []struct{ path, want string }{
		{write("sites.csv", "a,b\n1,2\n"), "csv"},
		{write("sites.json", "Site,IDPs\nA,10\n"), "csv"},                                // CSV named .json
		{write("export.txt", `{"result":[],"isSuccess":true}`), "dtmapi"},                // API response named .txt
		{write("records.dat", `[{"admin0Pcode":"SSD","numPresentIdpInd":1}]`), "dtmapi"}, // bare array of API records
		{write("book.csv", "PK\x03\x04rest of a zip"), "xlsx"},                           // a workbook named .csv
		{write("other.json", `{"type":"FeatureCollection"}`), "dtmapi"},                  // JSON, not an API response: by name only
		{write("utf16.bin", "\xff\xfea\x00,\x00b\x00"), "csv"},
	}
	for _, tc := range cases {
		f, err := reg.Detect(ingest.Source{Path: tc.path})
		if err != nil || f.Name() != tc.want {
			t.Errorf("Detect(%s) = %v, %v; want %s", filepath.Base(tc.path), f, err, tc.want)
		}
	}
	if _, err := reg.Detect(ingest.Source{Path: write("geo.geojson", `{"type":"FeatureCollection"}`)}); err == nil {
		t.Error("a JSON file no format claims was given a format")
	}
	if f, err := reg.Lookup("XLSX"); err != nil || f.Name() != "xlsx" {
		t.Errorf("Lookup(XLSX) = %v, %v", f, err)
	}
	if _, err := reg.Lookup("ods"); err == nil {
		t.Error("unknown format name accepted")
	}
}

func TestDuplicateFormatPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("registering a name twice did not panic")
		}
	}()
	reg := formats.Default()
	f, _ := reg.Lookup("csv")
	ingest.NewFormats(f, f)
}
