package transform

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform/cast"
)

// TestSiteCellAnswersAreEachRowsOwn: the country, round and survey date
// end of a row are what the rules make of that row alone, however many
// rows with the same cells came before (rules_site_cells.go remembers the
// answers of the cells seen): rows cycling through clean, odd, missing and
// faulty cells in one file give the values and rejects that each row gives
// converted on its own.
func TestSiteCellAnswersAreEachRowsOwn(t *testing.T) {
	cols := []string{"Country Code", "Round", "Survey Date", "Site ID", "Total IDP (Individuals)"}
	countries := []string{"NGA", " nga", "Nigeria", "TD", "n/a", "", "Xyz", "Atlantis", "SDN", "ssd "}
	rounds := []string{"R37", " R38 ", "n/a", "", "abc", "Round 37", "R37", "39"}
	dates := []string{"2025-09-14", "16 - 23 Jan 2023", "n/a", "", "2025-02-30", "2025-09-15", "14/09/2025", "1-5 March 2024"}
	var rows [][]string
	for i := range 400 {
		// Runs of a few rows with a cell, so that cells repeat within
		// what is remembered and among other cells.
		rows = append(rows, []string{countries[(i/4+i%2)%len(countries)], rounds[(i/3)%len(rounds)],
			dates[(i/5)%len(dates)], fmt.Sprintf("S%04d", i), "100"})
	}
	rejects, out := convertSite(t, cols, rows, Options{})
	bySite := map[string]map[string]string{}
	for _, r := range out {
		bySite[r["site_id"]] = r
	}
	type alone struct {
		rejects []schemas.Reject
		out     []map[string]string
	}
	seen := map[string]alone{}
	for i, row := range rows {
		key := fmt.Sprint(row[:3])
		a, ok := seen[key]
		if !ok {
			a.rejects, a.out = convertSite(t, cols, [][]string{row}, Options{})
			seen[key] = a
		}
		wantRj, wantOut := a.rejects, a.out
		var gotRj []string
		for _, rj := range rejects {
			if rj.Row == i+2 {
				gotRj = append(gotRj, rj.Code+" "+rj.Column+" "+rj.Value+": "+rj.Message)
			}
		}
		var want []string
		for _, rj := range wantRj {
			want = append(want, rj.Code+" "+rj.Column+" "+rj.Value+": "+rj.Message)
		}
		if !slices.Equal(gotRj, want) {
			t.Errorf("row %q: rejects %q, alone %q", row, gotRj, want)
		}
		got, kept := bySite[row[3]]
		if kept != (len(wantOut) == 1) {
			t.Errorf("row %q: kept %v, alone %d rows written", row, kept, len(wantOut))
		}
		if !kept || len(wantOut) != 1 {
			continue
		}
		for _, f := range []string{"country_iso3", "round", "round_label", "assessment_date", "assessment_date_end"} {
			if got[f] != wantOut[0][f] {
				t.Errorf("row %q: %s %q, alone %q", row, f, got[f], wantOut[0][f])
			}
		}
		if !maps.Equal(without(got, "source_row", "site_id", "record_id"), without(wantOut[0], "source_row", "site_id", "record_id")) {
			t.Errorf("row %q: %v, alone %v", row, got, wantOut[0])
		}
	}
	if len(seen) < 60 {
		t.Fatalf("only %d distinct rows of cells", len(seen))
	}
}

// without returns a copy of m without the keys.
func without(m map[string]string, keys ...string) map[string]string {
	out := maps.Clone(m)
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// TestDateEndsAreParseDate: the remembered answers for survey date cells
// are parseDate's, for cells that share a slot of the table (two years of
// days, in two spellings, in 2048 slots), repeated in any order, in each
// date order, and for cells past 16 bytes, missing or faulty (a table
// comparing a part of the cell, or not the order, fails).
func TestDateEndsAreParseDate(t *testing.T) {
	c := &Converter{m: &Mapping{}}
	var cells []string
	for d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2026; d = d.AddDate(0, 0, 1) {
		cells = append(cells, d.Format("2006-01-02"), d.Format("02/01/2006"))
	}
	cells = append(cells, "16 - 23 Jan 2023", "1-5 March 2024", "n/a", "", "2025-02-30", "45000", " 2025-09-14 ",
		"2024-03-15T10:00:00.000+02:00")
	var de dateEnds
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, ord := range []cast.DateOrder{cast.DateOrderAuto, cast.DateOrderAuto, cast.DateOrderMDY, cast.DateOrderDMY, cast.DateOrderMDY} {
		for _, i := range rnd.Perm(len(cells)) {
			s, e, ok := de.parse(c, cells[i], ord)
			ws, we, missing, err := c.parseDate(cells[i], ord)
			if wok := err == nil && !missing; ok != wok || ok && (!s.Equal(ws) || !e.Equal(we)) {
				t.Fatalf("%q (order %v): %v %v %v, parseDate %v %v %v", cells[i], ord, s, e, ok, ws, we, wok)
			}
		}
	}
}

// TestRecentCellsStopAdding: a column whose cells keep changing stops
// being remembered (no copy a row) and keeps answering for what it holds.
func TestRecentCellsStopAdding(t *testing.T) {
	var rc recentCells[int]
	for i := range recentCellsAdds + 10 {
		if _, ok := rc.find(fmt.Sprint(i)); ok {
			t.Fatalf("cell %d found before it was added", i)
		}
		rc.add(fmt.Sprint(i), i)
	}
	if rc.adds != recentCellsAdds {
		t.Errorf("%d cells added, want %d", rc.adds, recentCellsAdds)
	}
	last := fmt.Sprint(recentCellsAdds - 1)
	if v, ok := rc.find(last); !ok || v != recentCellsAdds-1 {
		t.Errorf("find(%s) = %d, %v", last, v, ok)
	}
	if _, ok := rc.find(fmt.Sprint(recentCellsAdds)); ok {
		t.Errorf("a cell past the bound was added")
	}
}
