package transform

import (
	"reflect"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

func TestUnusedOverrides(t *testing.T) {
	ds, err := schemas.Default().Lookup("site_assessment")
	if err != nil {
		t.Fatal(err)
	}
	h := ingest.Header{Columns: []string{"Site ID", " Nb IDP (final) ", "Remarks"}}
	over := map[string]string{"Nb IDP (final)": "idp_individuals", "remarks": "", "Total IDP HH": "idp_households", "Comments": ""}
	m, err := Map(h, ds, MapOptions{Overrides: over})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := UnusedOverrides(m, over), []string{"Comments", "Total IDP HH"}; !reflect.DeepEqual(got, want) {
		t.Errorf("UnusedOverrides = %v, want %v", got, want)
	}
}
