package transform

import (
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// sampleCell is a plausible raw value for a field of a kind, so that the
// rules take their paths that read it.
func sampleCell(f schemas.Field, row int) string {
	if len(f.Vocabulary) > 0 {
		return f.Vocabulary[row%len(f.Vocabulary)]
	}
	switch f.Kind {
	case schemas.Int:
		return []string{"120", "45"}[row%2]
	case schemas.Float:
		return []string{"14.5", "-3.25"}[row%2]
	case schemas.Date:
		return []string{"2024-03-01", "2024-04-15"}[row%2]
	case schemas.Bool:
		return []string{"yes", "no"}[row%2]
	case schemas.StringList:
		return "conflict; flood"
	}
	switch f.Name {
	case "country_iso3", "fmp_country", "nationality":
		return "TCD"
	}
	return []string{"TD0101", "Site B"}[row%2]
}

// TestRulesNameOnlyTheirSchemasFields: every field a kind's rules name,
// statically (custom casts, reconciled headline figures) or while running
// over rows in which every field is mapped (each name passed to get/raw
// is traced), is a field of that kind's schema. A rule that names a field
// its schema lacks would otherwise do nothing, silently.
func TestRulesNameOnlyTheirSchemasFields(t *testing.T) {
	for _, ds := range schemas.Default().All() {
		t.Run(ds.Name, func(t *testing.T) {
			rules := DefaultRules().For(ds.Name)
			for f := range rules.custom {
				if _, ok := ds.Field(f); !ok {
					t.Errorf("custom field %q is not in %s", f, ds.Name)
				}
			}
			for _, h := range rules.Headline {
				if _, ok := ds.Field(h.Field); !ok {
					t.Errorf("headline field %q is not in %s", h.Field, ds.Name)
				}
			}
			var cols []string
			for _, f := range ds.Fields {
				cols = append(cols, f.Name)
			}
			m, err := Map(ingest.Header{File: "all_fields.csv", Columns: cols}, ds, MapOptions{})
			if err != nil {
				t.Fatal(err)
			}
			c := NewConverter(m, Provenance{File: "all_fields.csv", FileID: "0", RunID: "r"}, Options{Country: "TCD", Operation: "Test"})
			defer c.Release()
			c.trace = map[string]bool{}
			var rows []ingest.Row
			for i := 0; i < 2; i++ {
				var cells []string
				for _, f := range ds.Fields {
					cells = append(cells, sampleCell(f, i))
				}
				rows = append(rows, ingest.Row{Line: i + 2, Cells: cells})
			}
			c.Convert(rows)
			c.Finish()
			for _, rec := range c.Drain(true) {
				rec.Record.Release()
			}
			if len(c.trace) == 0 {
				t.Fatal("no field traced: the rules did not run")
			}
			for f := range c.trace {
				if _, ok := ds.Field(f); !ok {
					t.Errorf("the rules of %s name %q, which its schema lacks", ds.Name, f)
				}
			}
		})
	}
}
