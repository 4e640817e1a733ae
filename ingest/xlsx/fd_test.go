package xlsx

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
)

// openFDs counts the process's open file descriptors (Linux).
func openFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(ents)
}

// TestNoFDLeak: opening a workbook, good or broken (a truncated zip, bytes
// that are not a zip), with every entry point and engine, leaves no file
// open once the readers are closed. (A fuzz run of a minute ran out of
// file descriptors when precheck's failures left the file open.)
func TestNoFDLeak(t *testing.T) {
	dir := t.TempDir()
	books := map[string][]byte{}
	for i, b := range handMadeBooks(t) {
		books[string(rune('a'+i))] = b
	}
	books["errors"] = rawBook(t, errorSheet)
	books["dates"] = rawBookStyled(t, `<workbookPr date1904="1"/>`, dateStyles, dateSheet)
	good, _ := os.ReadFile(flowBook(t))
	books["flow"] = good
	books["half"] = good[:len(good)/2]
	books["garbage"] = []byte("PK\x03\x04garbage")
	for name, b := range books {
		p := filepath.Join(dir, name+".xlsx")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, step := range []string{"open", "sheets", "openall", "excelize"} {
			before := openFDs(t)
			for range 10 {
				switch step {
				case "open":
					if r, err := Open(p, ingest.Options{}); err == nil {
						_, _ = r.Next(10)
						_ = r.Close()
					}
				case "excelize":
					if r, err := open(p, ingest.Options{}, true); err == nil {
						_, _ = r.Next(10)
						_ = r.Close()
					}
				case "sheets":
					_, _ = Sheets(p, ingest.Options{})
				case "openall":
					if rds, err := OpenAll(p, nil, ingest.Options{}); err == nil {
						for _, r := range rds {
							_ = r.Close()
						}
					}
				}
			}
			if after := openFDs(t); after > before+2 {
				t.Errorf("%s %s: %d open files before, %d after", name, step, before, after)
			}
		}
	}
}
