package transform

import (
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// TestFieldRefsMatchTheMaps: the cached slot and column of a name are the
// maps' answers, for constant names, names built at run time (other
// addresses, same bytes), names of other lengths at the same address,
// unknown names and the empty name, asked in any order and many times
// (entries evicted and refilled).
func TestFieldRefsMatchTheMaps(t *testing.T) {
	for _, ds := range schemas.Default().All() {
		t.Run(ds.Name, func(t *testing.T) {
			var cols []string
			for i, f := range ds.Fields {
				if i%3 != 0 { // leave some fields unmapped
					cols = append(cols, f.Name)
				}
			}
			m, err := Map(ingest.Header{File: "refs.csv", Columns: cols}, ds, MapOptions{})
			if err != nil {
				t.Fatal(err)
			}
			c := NewConverter(m, Provenance{File: "refs.csv", FileID: "0", RunID: "r"}, Options{})
			defer c.Release()
			var names []string
			for _, f := range ds.Fields {
				names = append(names, f.Name, strings.Clone(f.Name), f.Name[:len(f.Name)-1], "no_"+f.Name)
			}
			names = append(names, "", "x")
			for round := range 3 {
				for i := range names {
					name := names[(i*7+round)%len(names)]
					got, want := c.ref(name), c.lookupRef(name)
					if got.slot != want.slot || got.col != want.col || got.name != name {
						t.Fatalf("ref(%q) = %+v, want %+v", name, got, want)
					}
					if v := c.optional(name); (v != nil) != (want.slot >= 0) {
						t.Fatalf("optional(%q) = %v, slot %d", name, v, want.slot)
					}
				}
			}
		})
	}
}

// TestFieldRefsForgetDroppedColumns: a column dropped on the first batch
// because its values look like phone numbers is no longer read by raw,
// though raw was asked for it before (by the kind's prepare or a test).
func TestFieldRefsForgetDroppedColumns(t *testing.T) {
	ds := schemas.SiteAssessment()
	m, err := Map(ingest.Header{File: "refs.csv", Columns: []string{"country_iso3", "site_name", "round"}}, ds, MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := NewConverter(m, Provenance{File: "refs.csv", FileID: "0", RunID: "r"}, Options{})
	defer c.Release()
	row := ingest.Row{Line: 2, Cells: []string{"TCD", "+235 66 12 34 56", "3"}}
	if _, _, ok := c.raw(row, "site_name"); !ok {
		t.Fatal("site_name not mapped before the first batch")
	}
	var rows []ingest.Row
	for i := range 20 {
		rows = append(rows, ingest.Row{Line: i + 2, Cells: []string{"TCD", "+235 66 12 34 5" + string(rune('0'+i%10)), "3"}})
	}
	c.Convert(rows)
	for _, rec := range c.Drain(true) {
		rec.Record.Release()
	}
	if raw, _, ok := c.raw(row, "site_name"); ok {
		t.Errorf("raw(site_name) = %q after the column was dropped as personal data", raw)
	}
}
