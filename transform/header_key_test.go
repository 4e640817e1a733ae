package transform

import (
	"slices"
	"strings"
	"testing"
)

func TestCleanHeader(t *testing.T) {
	cases := []struct{ in, want string }{
		{"<b>State</b><br/>(admin 1)", "State (admin 1)"},
		{"Site&nbsp;Name", "Site Name"},
		{"State Pcode\nsee https://data.humdata.org/dataset/x", "State Pcode see"},
		{"  Total   IDP\t(Individuals) ", "Total IDP (Individuals)"},
		{"Nom\u00a0localité", "Nom localité"},
		{"", ""},
	}
	for _, c := range cases {
		if got := CleanHeader(c.in); got != c.want {
			t.Errorf("CleanHeader(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestHeaderKeys(t *testing.T) {
	cases := []struct {
		in   string
		want string // one key that must be among the keys
	}{
		{"2.1.b.7: Total IDP (Individuals)", "total_idp_individuals"},
		{"1.3. County Pcode", "county_pcode"},
		{"A1. Date de l'évaluation", "date_de_l_evaluation"},
		{"B1a. Nombre TOTAL de Ménages PDI actuels", "nombre_total_de_menages_pdi_actuels"},
		{"Q12 - Site Name", "site_name"},
		{"group_loc/location_ssid", "location_ssid"},
		{"group_a/group_b/m0310_loc_num_idp_ind", "m0310_loc_num_idp_ind"},
		{"State Pcode\nsee https://example.org", "state_pcode"},
		{"<i>Province</i>", "province"},
	}
	for _, c := range cases {
		keys := HeaderKeys(c.in)
		if !slices.Contains(keys, c.want) {
			t.Errorf("HeaderKeys(%q) = %v, want it to contain %q", c.in, keys, c.want)
		}
	}
	// The whole header comes first: the most specific key wins.
	if k := HeaderKeys("Total IDP (Households)"); len(k) == 0 || k[0] != "total_idp_households" {
		t.Errorf("first key %v", k)
	}
}

func TestLooseHeaderKeys(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"State (admin 1)", []string{"state"}},
		{"<b>Province</b> [texte]", []string{"province"}},
		{"Province", nil},
		{"1.2: County (admin 2)", []string{"1_2_county", "county"}},
	}
	for _, c := range cases {
		got := LooseHeaderKeys(c.in)
		if !slices.Equal(got, c.want) {
			t.Errorf("LooseHeaderKeys(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func FuzzHeaderKeys(f *testing.F) {
	for _, s := range []string{"2.1.b.7: Total IDP (Individuals)", "group_x/field", "<b>a</b>\nb", "((", "a/", "/", "A1. ", "State (admin 1)", "\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		keys := append(HeaderKeys(s), LooseHeaderKeys(s)...)
		seen := map[string]bool{}
		for _, k := range keys {
			if k == "" || seen[k] {
				t.Fatalf("HeaderKeys(%q): empty or repeated key in %v", s, keys)
			}
			seen[k] = true
		}
		if c := CleanHeader(s); strings.ContainsAny(c, "\n\r\t") {
			t.Fatalf("CleanHeader(%q) = %q keeps a line break or tab", s, c)
		}
	})
}
