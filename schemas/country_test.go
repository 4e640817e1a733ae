package schemas

import (
	"errors"
	"testing"
)

func TestResolveCountry(t *testing.T) {
	ok := map[string]string{
		"SSD": "SSD", "ssd": "SSD", " tcd ": "TCD", "SS": "SSD", "South Sudan": "SSD", "south  sudan": "SSD",
		"Tchad": "TCD", "Chad": "TCD", "Democratic Republic of the Congo": "COD", "République centrafricaine": "CAF",
		"Cote d'Ivoire": "CIV", "Côte d’Ivoire": "CIV", "XKX": "XKX", "Kosovo": "XKX", "AAA": "AAA", "": "",
		"Nigeria": "NGA", "Soudan du Sud": "SSD",
	}
	for in, want := range ok {
		got, err := ResolveCountry(in)
		if err != nil || got != want {
			t.Errorf("ResolveCountry(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"SDD", "XY", "UN", "EU", "../../etc/passwd", "South Sudann", "ZZ", "12"} {
		if got, err := ResolveCountry(in); !errors.Is(err, ErrUnknownCountry) {
			t.Errorf("ResolveCountry(%q) = %q, %v; want ErrUnknownCountry", in, got, err)
		}
	}
}

func TestClosestFields(t *testing.T) {
	ds, err := Default().Lookup("site_assessment")
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"idp_individual": "idp_individuals", "idps_individuals": "idp_individuals",
		"admin1_pcod": "admin1_pcode", "site": "site_id"} {
		got := ds.ClosestFields(in, 3)
		found := false
		for _, g := range got {
			found = found || g == want
		}
		if !found {
			t.Errorf("ClosestFields(%q) = %v, want %s among them", in, got, want)
		}
	}
	if got := ds.ClosestFields("zzzzzzzzzzzzzzzzzzzzzz", 3); len(got) != 0 {
		t.Errorf("no field is close to zzz...: got %v", got)
	}
}
