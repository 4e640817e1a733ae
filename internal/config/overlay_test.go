package config

import (
	"reflect"
	"testing"
)

// TestOverlay: a flag given replaces the source's setting, --column
// entries are added to the source's columns (the flag's field wins), and
// the source itself is left as it was.
func TestOverlay(t *testing.T) {
	src := Source{Name: "tcd", Kind: "site_assessment", Country: "TCD", Sheet: SheetNames{"Entry"}, Format: "xlsx", Operation: "Lac",
		Columns: map[string]string{"Nb ménages": "idp_households", "Ignore me": ""}, MaxRejectRatio: 0.2, Duplicates: "drop"}
	keep := src
	keep.Columns = map[string]string{"Nb ménages": "idp_households", "Ignore me": ""}
	cases := []struct {
		name  string
		src   Source
		flags SourceFlags
		want  Source
	}{
		{"no flags: the source", src, SourceFlags{}, src},
		{"flags win", src, SourceFlags{Kind: "flow_registry", Country: "NER", Operation: "Agadez", Duplicates: "keep", Sheets: []string{"Exit", "Entry"}, MaxRejectRatio: 0.5,
			Columns: map[string]string{"Ignore me": "site_name", "Total": "idp_individuals"}},
			Source{Name: "tcd", Kind: "flow_registry", Country: "NER", Sheet: SheetNames{"Exit", "Entry"}, Format: "xlsx", Operation: "Agadez",
				Columns: map[string]string{"Nb ménages": "idp_households", "Ignore me": "site_name", "Total": "idp_individuals"}, MaxRejectRatio: 0.5, Duplicates: "keep"}},
		{"no job source: the flags", Source{}, SourceFlags{Kind: "site_assessment", Columns: map[string]string{"A": "site_id"}},
			Source{Kind: "site_assessment", Columns: map[string]string{"A": "site_id"}}},
		{"nothing at all", Source{}, SourceFlags{}, Source{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.src.Overlay(tc.flags); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
	if !reflect.DeepEqual(src, keep) {
		t.Errorf("the source was modified: %+v", src)
	}
}
