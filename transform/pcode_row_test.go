package transform

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// pcodePlaceRows generates n rows drawn from a pool of places (country,
// three codes and names) in the order kind says: "sorted" (runs of one
// place), "shuffled", "alternating" (two places row by row) or "runs"
// (short runs of random places). The pool is hostile: besides plain
// places it holds the same deepest code with other names, other parents
// or another country; blank codes and names; case, space and accent
// variants of names; Unicode; pseudo, ill-shaped and non-nesting codes;
// so that rows remembered clean alternate with rows that are not, under
// the same key.
func pcodePlaceRows(kind string, n int, seed uint64) []ingest.Row {
	rnd := rand.New(rand.NewPCG(seed, 11))
	names := []string{"Adamawa", "Équateur", "Bujumbura Rurale", "Ñuñoa", "Payam 7", "قرية", "Central Darfur"}
	var pool [][]string
	for k := range 40 {
		iso, prefix := []string{"SDN", "NGA", "TCD"}[k%3], []string{"SD", "NG", "TD"}[k%3]
		a1, a2, a3 := k%4, k/4%3, k/12
		c1 := fmt.Sprintf("%s%02d", prefix, a1)
		c2 := fmt.Sprintf("%s%02d", c1, a2)
		c3 := fmt.Sprintf("%s%02d", c2, a3)
		n1, n2, n3 := names[a1], fmt.Sprintf("County %d", a2), fmt.Sprintf("%s %d", names[a3%len(names)], a3)
		pool = append(pool, []string{iso, c1, n1, c2, n2, c3, n3})
		for v := range 3 {
			r := []string{iso, c1, n1, c2, n2, c3, n3}
			switch (k + v*5) % 16 {
			case 0:
				r[6] = "equateur" // another name for the same code
			case 1:
				r[6] = fmt.Sprintf("  %s\u00a0%d ", names[a3%len(names)], a3) // spacing variant
			case 2:
				r[2] = "" // blank name
			case 3:
				r[5] = "" // blank code: the key is the admin 2 code
			case 4:
				r[3] = fmt.Sprintf("%s%02d%02d", prefix, a1+5, a2) // does not nest
			case 5:
				r[1] = "SDN-99" // pseudo
			case 6:
				r[5] = "9999" // ill-shaped
			case 7:
				r[0] = "TCD" // same codes, another country
			case 8:
				r[4] = fmt.Sprintf("Comté %d", a2)
			case 9:
				r[3] = "  " + c2 + " "
			case 10:
				r[6] = "" // code without a name
			case 11:
				r[1], r[2] = "", "" // no admin 1
			case 12:
				r[6] = fmt.Sprintf("%s %d", names[(a3+1)%len(names)], a3) // a name that changes
			case 13:
				r[5] = "temp01" // pseudo at the deepest level
			case 14:
				r[5] = c3[:2] + "99" // same key as another place? a short code
			case 15:
				r[1], r[3], r[5] = "", "", "" // no codes at all
			}
			pool = append(pool, r)
		}
	}
	rows := make([]ingest.Row, n)
	k := 0
	for i := range rows {
		switch kind {
		case "sorted":
			k = i * len(pool) / n
		case "alternating":
			k = i % 4 // a place, then its variants: another name, ill-shaped, no name
		case "runs":
			if rnd.IntN(4) == 0 {
				k = rnd.IntN(len(pool))
			}
		default:
			k = rnd.IntN(len(pool))
		}
		cells := append(append([]string(nil), pool[k]...), fmt.Sprint(i)) // no duplicate rows
		rows[i] = ingest.Row{Line: i + 2, Cells: cells}
	}
	return rows
}

// convertStored converts rows serially, the row memo on or off, and
// returns every reject (Finish included), the notes and the stored rows.
func convertStored(t *testing.T, m *Mapping, rows []ingest.Row, memoOff bool) ([]schemas.Reject, []string, []map[string]string) {
	t.Helper()
	c := NewConverter(m, Provenance{File: "f.csv", RunID: "t"}, Options{})
	defer c.Release()
	c.memo.rows.off = memoOff
	out := c.Convert(rows)
	out = append(out, c.Finish()...)
	var stored []map[string]string
	for _, pr := range c.Drain(true) {
		rec := pr.Record
		for r := 0; r < int(rec.NumRows()); r++ {
			row := map[string]string{}
			for j, f := range rec.Schema().Fields() {
				if col := rec.Column(j); !col.IsNull(r) {
					row[f.Name] = cellText(col, r)
				}
			}
			stored = append(stored, row)
		}
		rec.Release()
	}
	return out, c.Notes(), stored
}

// TestPcodeRowMemoIsFullChecks: rows whose p-code cells repeat an earlier
// row's replay what the full checks did; the rejects and warnings (row,
// column, value, code, message, in order), the file's p-code findings
// with their row lists, the notes and the stored rows (pcode_flags
// included) are those of the full checks run on every row, serially and
// in chunks, on hostile pools of places in any order.
func TestPcodeRowMemoIsFullChecks(t *testing.T) {
	m, err := Map(ingest.Header{File: "f.csv", Columns: pcodeTestCols}, schemas.SiteAssessment(), MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"sorted", "shuffled", "alternating", "runs"} {
		for seed := range uint64(2) {
			rows := pcodePlaceRows(kind, 2500, seed)
			want, wantNotes, wantRows := convertStored(t, m, rows, true)
			found := map[string]int{}
			for _, rj := range want {
				found[rj.Code]++
			}
			for _, code := range []string{schemas.CodePcodeName, schemas.CodePcodeHierarchy, schemas.CodePseudoPcode, schemas.CodePcodeShape} {
				if found[code] == 0 && (kind != "alternating" || code == schemas.CodePcodeName || code == schemas.CodePcodeShape) {
					t.Fatalf("%s seed %d: no %s finding: the test checks nothing of it (%v)", kind, seed, code, found)
				}
			}
			what := fmt.Sprintf("%s seed %d", kind, seed)
			got, notes, stored := convertStored(t, m, rows, false)
			if !reflect.DeepEqual(got, want) {
				diffRejects(t, what+" serial", got, want)
			}
			if !reflect.DeepEqual(notes, wantNotes) {
				t.Errorf("%s serial: notes %q, want %q", what, notes, wantNotes)
			}
			if !reflect.DeepEqual(stored, wantRows) {
				t.Errorf("%s serial: stored rows differ from the full checks'", what)
			}
			for _, chunk := range []int{7, 200} {
				for _, workers := range []int{1, 3} {
					got, notes := convertChunked(t, m, rows, chunk, workers)
					if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(notes, wantNotes) {
						diffRejects(t, fmt.Sprintf("%s chunk=%d workers=%d", what, chunk, workers), got, want)
					}
				}
			}
		}
	}
}
