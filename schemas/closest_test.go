package schemas

import "testing"

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
