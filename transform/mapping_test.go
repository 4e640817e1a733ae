package transform

import (
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// mapOf maps a header (and HXL row, may be nil) to site_assessment.
func mapOf(t *testing.T, cols, hxl []string, over map[string]string) *Mapping {
	t.Helper()
	m, err := Map(ingest.Header{File: "f.csv", Columns: cols, HXL: hxl}, schemas.SiteAssessment(), MapOptions{Overrides: over})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fates renders each column as "field/rule" ("/rule" when unmapped).
func fates(m *Mapping) []string {
	out := make([]string, len(m.Columns))
	for i, c := range m.Columns {
		out[i] = c.Field + "/" + c.Rule
	}
	return out
}

func TestMapHeaders(t *testing.T) {
	cases := []struct {
		name string
		cols []string
		hxl  []string
		over map[string]string
		want []string
	}{
		{
			name: "aliases in English and French, question prefixes, HTML, multi-line",
			cols: []string{"Country Code", "<b>Province</b>", "P-code admin 1\n(Province)", "2.1.b.7: Total IDP (Individuals)", "B1a. Nombre TOTAL de Ménages PDI actuels", "Site&nbsp;Name", "Notes: see the methodology"},
			want: []string{"country_iso3/alias", "admin1_name/alias", "admin1_pcode/alias", "idp_individuals/alias", "idp_households/alias", "site_name/alias", "/identifier"},
		},
		{
			name: "HXL first, broken tags, partial HXL row, #REF!",
			cols: []string{"Pays", "Région", "Colonne A", "Individus", "Calc", "Households"},
			hxl:  []string{"#country\t+code", "adm1+Name", "#ADM1+code", "#affected+ind+idps+x_dtm", "#REF!", ""},
			want: []string{"country_iso3/hxl", "admin1_name/hxl", "admin1_pcode/hxl", "idp_individuals/hxl", "/unmapped", "idp_households/alias"},
		},
		{
			name: "duplicate header names: the first feeds the field",
			cols: []string{"Total IDP (Individuals)", "Total IDP (Individuals)", "IDP Indiv"},
			want: []string{"idp_individuals/alias", "/duplicate", "/duplicate"},
		},
		{
			name: "DTM m-codes",
			cols: []string{"m0302_meta_adm0_pcode", "m0304_meta_adm2_pcode", "m0445_loc_site_id_ssid", "m0310_loc_num_idp_ind", "m0489_meta_survey_round", "m1855_meta_assessment_date", "m0329_loc_reason_disp_idp", "m0999_unknown"},
			want: []string{"country_iso3/alias", "admin2_pcode/alias", "site_id/alias", "idp_individuals/alias", "round/alias", "assessment_date/alias", "displacement_reasons/alias", "/unmapped"},
		},
		{
			name: "KoboToolbox export",
			cols: []string{"start", "end", "deviceid", "group_loc/admin1Pcode", "group_loc/_gps_latitude", "group_loc/_gps_longitude",
				"group_pop/m0329_loc_reason_disp_idp", "group_pop/m0329_loc_reason_disp_idp/climate_floods", "group_pop/pdi_nombre",
				"_id", "_uuid", "_submission_time", "_index", "__version__", "group_meta/enumerator_name",
				"grp/_coordonnees_latitude", "_coordonnees_longitude", "_coordonnees_altitude", "grp/_coordonnees_precision"},
			want: []string{"/kobo-system", "/kobo-system", "/identifier", "admin1_pcode/alias", "latitude/alias", "longitude/alias",
				"displacement_reasons/alias", "/kobo-option", "idp_individuals/alias",
				"/kobo-system", "/identifier", "/kobo-system", "/kobo-system", "/kobo-system", "/identifier",
				"/duplicate", "/duplicate", "/kobo-system", "/kobo-system"},
		},
		{
			name: "any Kobo geopoint split into _<name>_latitude and _longitude",
			cols: []string{"grp/_coordonnees_latitude", "_coordonnees_longitude", "_coordonnees_altitude", "grp/_coordonnees_precision", "coordonnees_latitude_note"},
			want: []string{"latitude/alias", "longitude/alias", "/kobo-system", "/kobo-system", "/unmapped"},
		},
		{
			name: "note in brackets dropped only as a last resort",
			cols: []string{"State (admin 1)", "Total IDP (Households)", "Female (60+)"},
			want: []string{"admin1_name/alias", "idp_households/alias", "sadd/sadd"},
		},
		{
			name: "job overrides win and can ignore a column",
			cols: []string{"Population X", "Province"},
			over: map[string]string{"population x": "idp_individuals", "Province": ""},
			want: []string{"idp_individuals/override", "/unmapped"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := fates(mapOf(t, c.cols, c.hxl, c.over))
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("\n got %v\nwant %v", got, c.want)
			}
		})
	}
}

func TestMapDuplicateSaysWhichIsUsed(t *testing.T) {
	m := mapOf(t, []string{"Site Name", "Total IDP (Individuals)", "Total IDP (Individuals)"}, nil, nil)
	if i, ok := m.ColumnFor("idp_individuals"); !ok || i != 1 {
		t.Fatalf("idp_individuals fed by column %d, %v", i, ok)
	}
	if n := m.Columns[2].Note; !strings.Contains(n, "column 2") {
		t.Errorf("duplicate note %q does not name the column used", n)
	}
	rj := MappingRejects(m, ingest.Header{File: "f.xlsx", Sheet: "Data"})
	if len(rj) != 1 || rj[0].Code != schemas.CodeDuplicateHeader || rj[0].File != "f.xlsx" || rj[0].Sheet != "Data" || rj[0].Column == "" {
		t.Errorf("mapping rejects %+v", rj)
	}
}

func TestMapSADDShapes(t *testing.T) {
	cases := []struct {
		name string
		cols []string
		want string
	}{
		{"Chad", []string{"male_less_than_1", "female_1_to_5", "male_6_to_12", "female_13_to_17", "male_18_to_59", "female_60_above", "male_18_to_59_ret"},
			"m0-0 f1-5 m6-12 f13-17 m18-59 f60+ returnee:m18-59"},
		{"Burundi", []string{"h_Nourrissons(<1 an)", "h_Enfants(1-5 ans)", "f_Jeunes(6-17 ans)", "h_Adultes(18-59 ans)", "f_Personnes âgées(60 ans et +)"},
			"m0-0 m1-5 f6-17 m18-59 f60+"},
		{"Sudan", []string{"lessthan1M", "0lessthan1F", "1-5M", "6-17F", "18-59M", "60+F"},
			"m0-0 f0-0 m1-5 f6-17 m18-59 f60+"},
		{"Ukraine", []string{"Male Infants (U1)", "Male Children U5 (excl. U1)", "Female Children 5-17", "Female Adults 18-59", "Male Elderly (60+)"},
			"m0-0 m1-4 f5-17 f18-59 m60+"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := mapOf(t, append([]string{"Total IDP (Individuals)", "Male", "Female"}, c.cols...), nil, nil)
			if f := fates(m)[:3]; strings.Join(f, " ") != "idp_individuals/alias idp_males/alias idp_females/alias" {
				t.Errorf("totals mapped as %v", f)
			}
			var got []string
			for _, col := range m.SADDColumns() {
				b := col.Band
				s := b.Sex + itoa(int(b.AgeMin))
				if b.AgeMax == nil {
					s += "+"
				} else {
					s += "-" + itoa(int(*b.AgeMax))
				}
				if b.Group != "" {
					s = b.Group + ":" + s
				}
				got = append(got, s)
			}
			if strings.Join(got, " ") != c.want {
				t.Errorf("bands %v, want %s", got, c.want)
			}
		})
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestFixSwappedAdmin(t *testing.T) {
	cols := []string{"Département", "Code département", "Province", "Code province"}
	hxl := []string{"#adm2+code", "#adm2+name", "#adm1+name", "#adm1+code"}
	rows := []ingest.Row{
		{Line: 3, Cells: []string{"Mamdi", "TD0701", "Lac", "TD07"}},
		{Line: 4, Cells: []string{"Kaya", "TD0704", "Lac", "TD07"}},
		{Line: 5, Cells: []string{"Nouveau", "Temp03", "Lac", "TD07"}},
		{Line: 6, Cells: []string{"", "n/a", "Lac", "TD07"}},
	}
	m := mapOf(t, cols, hxl, nil)
	notes := m.FixSwappedAdmin(rows)
	if len(notes) != 1 || !strings.Contains(notes[0], "admin2") {
		t.Fatalf("notes %v", notes)
	}
	want := "admin2_name/hxl admin2_pcode/hxl admin1_name/hxl admin1_pcode/hxl"
	if got := strings.Join(fates(m), " "); got != want {
		t.Errorf("after the swap: %s, want %s", got, want)
	}
	if i, _ := m.ColumnFor("admin2_pcode"); i != 1 {
		t.Errorf("admin2_pcode fed by column %d, want 1", i)
	}
	// Correctly tagged columns stay as they are.
	m2 := mapOf(t, cols, []string{"#adm2+name", "#adm2+code", "#adm1+name", "#adm1+code"}, nil)
	if notes := m2.FixSwappedAdmin(rows); len(notes) != 0 {
		t.Errorf("unexpected swap: %v", notes)
	}
	// Names that merely look like codes in a minority of rows: no swap.
	m3 := mapOf(t, []string{"Admin 2", "Admin 2 pcode"}, nil, nil)
	if notes := m3.FixSwappedAdmin([]ingest.Row{{Cells: []string{"Juba", "SS0101"}}, {Cells: []string{"Site2", "SS0102"}}}); len(notes) != 0 {
		t.Errorf("unexpected swap: %v", notes)
	}
}

func TestHeaderScorerPrefersTheHeaderRow(t *testing.T) {
	score := NewHeaderScorer(schemas.SiteAssessment())
	title := []string{"DTM Nigeria - Mobility Tracking Round 45"}
	banner := []string{"DATE", "METHODE DE COLLECTE", "", "LOCALISATION", "", "POPULATION"}
	header := []string{"Survey Date", "Method", "Country Code", "State", "State Pcode", "Total IDP (Individuals)"}
	data := []string{"2025-04-02", "KII", "NGA", "Borno", "NG008", "5400"}
	h := score(header)
	for _, other := range [][]string{title, banner, data} {
		if s := score(other); s >= h {
			t.Errorf("score(%v) = %d >= header's %d", other, s, h)
		}
	}
	if sadd := score([]string{"lessthan1M", "0lessthan1F", "1-5M", "1-5F"}); sadd <= score(data) {
		t.Errorf("a row of SADD headers scores %d", sadd)
	}
}
