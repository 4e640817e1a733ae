package schemas

import (
	"strings"
	"testing"
	"unicode"
)

// normAlias folds a header text the way alias matching does (case and
// punctuation insensitive), to detect ambiguous aliases.
func normAlias(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestDisplacementAdminShape(t *testing.T) {
	d := DisplacementAdmin()
	if d.Name != "displacement_admin" || d.Version != "1.0.0" {
		t.Fatalf("name/version = %q/%q", d.Name, d.Version)
	}
	if d.PartitionKey != "admin_level_part" || d.PartitionField != "admin_level" {
		t.Fatalf("partition = %q/%q", d.PartitionKey, d.PartitionField)
	}
	if _, ok := d.Field(d.PartitionField); !ok {
		t.Fatalf("partition field %q is not a field", d.PartitionField)
	}
	seen := map[string]bool{}
	for _, f := range d.Fields {
		if seen[f.Name] {
			t.Errorf("duplicate field %q", f.Name)
		}
		seen[f.Name] = true
		if f.Description == "" {
			t.Errorf("field %q has no description", f.Name)
		}
		if f.Sensitivity != Public {
			t.Errorf("field %q sensitivity = %q, want public", f.Name, f.Sensitivity)
		}
		if f.Name != strings.ToLower(f.Name) || strings.ContainsAny(f.Name, " -") {
			t.Errorf("field %q is not snake_case", f.Name)
		}
	}
	if got := d.ArrowSchema().NumFields(); got != len(d.Fields)+len(ProvenanceFields) {
		t.Errorf("arrow schema has %d fields, want %d", got, len(d.Fields)+len(ProvenanceFields))
	}
}

func TestDisplacementAdminFields(t *testing.T) {
	d := DisplacementAdmin()
	tests := []struct {
		name     string
		kind     Kind
		required bool
		hxl      string
		alias    string // an API key / HDX header that must map here ("" = none)
		unit     string
	}{
		{"country_iso3", String, true, "#country+code", "admin0Pcode", ""},
		{"admin_level", Int, true, "#adm+level", "adminLevel", ""},
		{"operation", String, false, "#operation+name", "operation", ""},
		{"admin0_name", String, false, "#country+name", "admin0Name", ""},
		{"admin0_pcode", String, false, "", "", ""},
		{"admin1_name", String, false, "#adm1+name", "admin1Name", ""},
		{"admin1_pcode", String, false, "#adm1+code", "admin1Pcode", ""},
		{"admin2_name", String, false, "#adm2+name", "admin2Name", ""},
		{"admin2_pcode", String, false, "#adm2+code", "admin2Pcode", ""},
		{"idp_individuals", Int, true, "#affected+idps", "numPresentIdpInd", "persons"},
		{"idp_males", Int, false, "#affected+idps+m", "numberMales", "persons"},
		{"idp_females", Int, false, "#affected+idps+f", "numberFemales", "persons"},
		{"reporting_date", Date, true, "#date+reported", "reportingDate", ""},
		{"year_reporting_date", Int, false, "#date+year+reported", "yearReportingDate", "year"},
		{"month_reporting_date", Int, false, "#date+month+reported", "monthReportingDate", "month (1-12)"},
		{"round", Int, false, "#round+code", "roundNumber", ""},
		{"assessment_type", String, false, "#assessment+type", "assessmentType", ""},
		{"displacement_reasons", StringList, false, "#cause+type", "displacementReason", ""},
		{"origin_admin1_name", String, false, "#adm1+name+origin", "idpOriginAdmin1Name", ""},
		{"origin_admin1_pcode", String, false, "#adm1+code+origin", "idpOriginAdmin1Pcode", ""},
		{"api_id", String, false, "#id+code", "id", ""},
	}
	if len(tests) != len(d.Fields) {
		t.Errorf("dataset has %d fields, test expects %d", len(d.Fields), len(tests))
	}
	for _, tc := range tests {
		f, ok := d.Field(tc.name)
		if !ok {
			t.Errorf("missing field %q", tc.name)
			continue
		}
		if f.Kind != tc.kind || f.Required != tc.required || f.HXL != tc.hxl || string(f.Unit) != tc.unit {
			t.Errorf("%s: kind/required/hxl/unit = %s/%v/%q/%q, want %s/%v/%q/%q",
				tc.name, f.Kind, f.Required, f.HXL, f.Unit, tc.kind, tc.required, tc.hxl, tc.unit)
		}
		if tc.alias != "" && !contains(f.Aliases, tc.alias) {
			t.Errorf("%s: aliases %v lack %q", tc.name, f.Aliases, tc.alias)
		}
	}
	at, _ := d.Field("assessment_type")
	if strings.Join(at.Vocabulary, ",") != "BA,SA,ETT" {
		t.Errorf("assessment_type vocabulary = %v", at.Vocabulary)
	}
}

// TestDisplacementAdminUnambiguous checks that no header text or HXL tag maps
// to two fields, so the transform stage never has to guess.
func TestDisplacementAdminUnambiguous(t *testing.T) {
	d := DisplacementAdmin()
	// admin0Pcode feeds two fields on purpose: country_iso3 (normalised,
	// required) and admin0_pcode (as published, same name once normalised).
	// The transform must fill admin0_pcode from the column it maps to
	// country_iso3; every other collision is a bug.
	allowed := map[string]bool{"admin0pcode": true}
	alias := map[string]string{}
	hxl := map[string]string{}
	for _, f := range d.Fields {
		for _, a := range append([]string{f.Name}, f.Aliases...) {
			n := normAlias(a)
			if other, ok := alias[n]; ok && other != f.Name && !allowed[n] {
				t.Errorf("alias %q maps to both %q and %q", a, other, f.Name)
			}
			alias[n] = f.Name
		}
		for _, h := range append([]string{f.HXL}, f.HXLAliases...) {
			if h == "" {
				continue
			}
			if !strings.HasPrefix(h, "#") {
				t.Errorf("%s: HXL %q lacks '#'", f.Name, h)
			}
			if other, ok := hxl[h]; ok && other != f.Name {
				t.Errorf("HXL %q maps to both %q and %q", h, other, f.Name)
			}
			hxl[h] = f.Name
		}
	}
	// Every tag of HDX's export of the API is covered.
	for _, h := range strings.Fields("#operation+name #country+name #country+code #adm1+name #adm1+code #adm2+name #adm2+code #adm+level #affected+idps #date+reported #round+code #cause+type #affected+idps+m #affected+idps+f #adm1+name+origin #adm1+code+origin #assessment+type") {
		if _, ok := hxl[h]; !ok {
			t.Errorf("HDX export tag %q maps to no field", h)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
