package transform

import (
	"fmt"
	"math/rand"
	"strconv"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// genCount draws one count cell and what it is worth to an independent
// reader: its value when it is a usable count (a whole number >= 0 that
// is not an error cell), and whether the reader marks it as an error.
func genCount(rng *rand.Rand) (text string, usable int64, ok, marked bool) {
	n := int64(rng.Intn(5000))
	switch rng.Intn(12) {
	case 0:
		return "", 0, false, false
	case 1:
		return "n/a", 0, false, false
	case 2:
		return "-" + strconv.FormatInt(n+1, 10), 0, false, false
	case 3:
		return "lots", 0, false, false
	case 4:
		return "#DIV/0!", 0, false, false
	case 5:
		return "#N/A", 0, false, true
	case 6:
		return "12.5", 0, false, false
	case 7:
		n += 1000
		return fmt.Sprintf("%d,%03d", n/1000, n%1000), n, true, false
	case 8:
		return " " + strconv.FormatInt(n, 10) + " ", n, true, false
	}
	return strconv.FormatInt(n, 10), n, true, false
}

// TestReconciliationProperty converts generated files with every kind of
// cell fault, dropped rows, repeated rows, blank rows and a totals row, and
// checks for every headline figure: "in file" equals an independent sum of
// the usable cells; written equals the sum of the records written; written
// + dropped = in file; the breakdowns add up to dropped.
func TestReconciliationProperty(t *testing.T) {
	cols := []string{"Country Code", "Admin 1 Pcode", "IDP Individuals", "IDP Households", "Ind_Returnees", "Remarks"}
	fields := []string{"idp_individuals", "idp_households", "returnee_individuals"}
	for seed := int64(1); seed <= 150; seed++ {
		rng := rand.New(rand.NewSource(seed))
		var rows []ingest.Row
		var want [3]int64
		var totals [3]int64
		line := 2
		for i := 0; i < 5+rng.Intn(40); i++ {
			line++
			if rng.Intn(20) == 0 {
				rows = append(rows, ingest.Row{Line: line, Cells: make([]string, len(cols))})
				continue
			}
			if len(rows) > 0 && rng.Intn(12) == 0 { // a repeated row
				prev := rows[rng.Intn(len(rows))]
				rows = append(rows, ingest.Row{Line: line, Cells: prev.Cells, Errors: prev.Errors})
				if !rowIsBlank(prev.Cells) {
					for k := range fields {
						if n, ok := usableCount(prev.Cells, prev.Errors, 2+k); ok {
							want[k] += n
						}
					}
				}
				continue
			}
			country := "AAA"
			if rng.Intn(10) == 0 {
				country = "" // required and missing: the row is dropped
			}
			r := ingest.Row{Line: line, Cells: []string{country, fmt.Sprintf("AA%02d", rng.Intn(9)+1), "", "", "", "note"}}
			for k := range fields {
				text, n, ok, marked := genCount(rng)
				r.Cells[2+k] = text
				if marked {
					r.Errors = append(r.Errors, 2+k)
				}
				if ok {
					want[k] += n
				}
			}
			rows = append(rows, r)
		}
		hasTotals := rng.Intn(2) == 0
		if hasTotals {
			line++
			r := ingest.Row{Line: line, Cells: []string{"", "Grand total", "", "", "", ""}}
			for k := range fields {
				totals[k] = want[k] + int64(rng.Intn(2)) // sometimes wrong
				r.Cells[2+k] = strconv.FormatInt(totals[k], 10)
			}
			rows = append(rows, r)
		}
		opts := Options{}
		if rng.Intn(3) == 0 {
			opts.Duplicates = DuplicatesDrop
		}
		rejects, out, c := convertRows(t, cols, rows, opts)
		var written [3]int64
		for _, o := range out {
			for k, f := range fields {
				if s, ok := o[f]; ok {
					n, _ := strconv.ParseInt(s, 10, 64)
					written[k] += n
				}
			}
		}
		st := c.Stats()
		if st.RowsIn != len(rows) || st.RowsIn != st.RowsWritten+st.RowsRejected || st.RowsWritten != len(out) {
			t.Fatalf("seed %d: stats %+v, %d rows in, %d written", seed, st, len(rows), len(out))
		}
		mismatches := 0
		for k, r := range c.Reconciliation() {
			if r.Field != fields[k] {
				t.Fatalf("seed %d: figure %d is %s", seed, k, r.Field)
			}
			if r.InFile != want[k] {
				t.Errorf("seed %d %s: in file %d, independent sum %d", seed, r.Field, r.InFile, want[k])
			}
			if r.Written != written[k] {
				t.Errorf("seed %d %s: written %d, records hold %d", seed, r.Field, r.Written, written[k])
			}
			var byCode int64
			for _, n := range r.ByCode {
				byCode += n
			}
			if r.Written+r.Dropped != r.InFile || r.RowsDropped+r.CellsEmptied != r.Dropped || byCode != r.Dropped {
				t.Errorf("seed %d %s: does not add up: %+v", seed, r.Field, r)
			}
			if hasTotals {
				if r.FileTotal == nil || *r.FileTotal != totals[k] {
					t.Errorf("seed %d %s: file total %v, want %d", seed, r.Field, r.FileTotal, totals[k])
				} else if totals[k] != want[k] {
					mismatches++
				}
			} else if r.FileTotal != nil {
				t.Errorf("seed %d %s: file total without a totals row", seed, r.Field)
			}
		}
		if got := len(rowsOfCode(rejects, schemas.CodeTotalsMismatch)); got != mismatches {
			t.Errorf("seed %d: %d totals-mismatch warnings, want %d", seed, got, mismatches)
		}
		if hasTotals && len(rowsOfCode(rejects, schemas.CodeTotalsRow)) != 1 {
			t.Errorf("seed %d: the totals row is rejected with its own code", seed)
		}
	}
}

// TestTotalsRow: a totals row at the bottom is not a site; one that is not
// at the bottom, or a row with a place code, is not compared or is a site.
func TestTotalsRow(t *testing.T) {
	cols := []string{"Country Code", "Admin 1 Pcode", "Site Name", "IDP Individuals"}
	rows := lines(
		[]string{"AAA", "AA01", "Alpha", "100"},
		[]string{"AAA", "AA02", "Total", "50"}, // a site named Total, with a p-code: a site
		[]string{"", "", "TOTAL", "150"},       // the file's own total
	)
	rejects, out, c := convertRows(t, cols, rows, Options{})
	if len(out) != 2 {
		t.Fatalf("%d rows written, want 2", len(out))
	}
	if got := rowsOfCode(rejects, schemas.CodeTotalsRow); len(got) != 1 || got[0] != 4 {
		t.Errorf("totals-row on rows %v, want [4]", got)
	}
	r := c.Reconciliation()[0]
	if r.InFile != 150 || r.Written != 150 || r.FileTotal == nil || *r.FileTotal != 150 || r.FileTotalRow != 4 {
		t.Errorf("reconciliation %+v", r)
	}
	if len(rowsOfCode(rejects, schemas.CodeTotalsMismatch)) != 0 {
		t.Errorf("totals agree: %+v", rejects)
	}

	notLast := lines(
		[]string{"Total général", "", "", "100"},
		[]string{"AAA", "AA01", "Alpha", "100"},
	)
	_, out, c = convertRows(t, cols, notLast, Options{Country: "AAA"})
	if len(out) != 1 || c.Reconciliation()[0].FileTotal != nil || len(c.Notes()) != 1 {
		t.Errorf("a totals row above the data is not written and not compared: %v %+v %v", out, c.Reconciliation()[0], c.Notes())
	}
}
