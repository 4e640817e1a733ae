package transform

import (
	"testing"

	"github.com/iom-dtm/dtm/schemas"
)

func TestParseHXL(t *testing.T) {
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{"#adm1+code", "#adm1+code", true},
		{"#adm1\t+code", "#adm1+code", true},
		{" #country +name ", "#country+name", true},
		{"Country+name", "#country+name", true},
		{"#adm1+Name", "#adm1+name", true},
		{"#ADM1+CODE", "#adm1+code", true},
		{"#affected+ind+idps", "#affected+idps+ind", true},
		{"#affected+idps++ind+ind", "#affected+idps+ind", true},
		{"#poplation+total", "#poplation+total", true},
		{"#loc+name+x_local", "#loc+name+x_local", true},
		{"#REF!", "", false},
		{"", "", false},
		{"#", "", false},
		{"Total IDP (Individuals)", "", false},
		{"#1adm", "", false},
		{"#adm1+co-de", "", false},
	}
	for _, c := range cases {
		tag, ok := ParseHXL(c.in)
		if ok != c.ok || tag.String() != c.want {
			t.Errorf("ParseHXL(%q) = %q, %v; want %q, %v", c.in, tag.String(), ok, c.want, c.ok)
		}
	}
}

func TestHXLFieldMatch(t *testing.T) {
	ix := newFieldIndex(schemas.SiteAssessment())
	cases := []struct{ tag, field string }{
		{"#adm1+code", "admin1_pcode"},
		{"#adm1 +Name", "admin1_name"},
		{"adm2+code", "admin2_pcode"},
		{"#affected+ind+idps", "idp_individuals"},
		{"#affected+idps+ind+x_dtm", "idp_individuals"}, // non-standard attribute tolerated
		{"#affected+idp+ind", "idp_individuals"},        // an HXL alias
		{"#affected+displaced+all", "idp_individuals"},
		{"#affected+hh+idps", "idp_households"},
		{"#affected+idps+m", "idp_males"},
		{"#adm1+name+origin", "origin_admin1_name"},
		{"#adm1+code+origin", "origin_admin1_pcode"},
		{"#meta+round", "round"},
		{"#geo+lat", "latitude"},
		{"#date+occurred", "assessment_date"},
		{"#adm1+origin", ""},       // ambiguous: name or code of origin
		{"#poplation+total", ""},   // typo: no field
		{"#adm2+name+m", ""},       // a meaning-changing attribute no field has
		{"#affected+idps+f+m", ""}, // two sexes
	}
	for _, c := range cases {
		tag, ok := ParseHXL(c.tag)
		if !ok {
			t.Fatalf("ParseHXL(%q) failed", c.tag)
		}
		if got := ix.byHXL(tag); got != c.field {
			t.Errorf("byHXL(%q) = %q, want %q", c.tag, got, c.field)
		}
	}
}

func FuzzParseHXL(f *testing.F) {
	for _, s := range []string{"#adm1+code", "Country+name", "#adm1\t+Name", "#REF!", "", "#a+b+c+d", "#é+ü", "++", "#x+"} {
		f.Add(s)
	}
	ix := newFieldIndex(schemas.SiteAssessment())
	f.Fuzz(func(t *testing.T, s string) {
		tag, ok := ParseHXL(s)
		if !ok {
			return
		}
		again, ok2 := ParseHXL(tag.String())
		if !ok2 || again.String() != tag.String() {
			t.Fatalf("ParseHXL(%q) = %q, which reparses as %q, %v", s, tag.String(), again.String(), ok2)
		}
		_ = ix.byHXL(tag)
	})
}
