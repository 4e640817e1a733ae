package transform

import (
	"sort"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// convertNamed maps cols of a file called file, refines the mapping on the
// rows, converts them and returns the mapping, the rejects and the stored
// rows as field -> text.
func convertNamed(t *testing.T, ds *schemas.Dataset, file string, cols []string, rows [][]string, mo MapOptions, opts Options) (*Mapping, []schemas.Reject, []map[string]string) {
	t.Helper()
	h := ingest.Header{File: file, Columns: cols}
	m, err := Map(h, ds, mo)
	if err != nil {
		t.Fatal(err)
	}
	in := make([]ingest.Row, len(rows))
	for i, r := range rows {
		in[i] = ingest.Row{Line: i + 2, Cells: r}
	}
	m.Refine(in)
	c := NewConverter(m, Provenance{File: file, RunID: "t"}, opts)
	defer c.Release()
	rejects := c.Convert(in)
	var out []map[string]string
	for _, pr := range c.Drain(true) {
		rec := pr.Record
		for r := 0; r < int(rec.NumRows()); r++ {
			row := map[string]string{}
			for j, f := range rec.Schema().Fields() {
				if col := rec.Column(j); !col.IsNull(r) {
					row[f.Name] = cellText(col, r)
				}
			}
			out = append(out, row)
		}
		rec.Release()
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["source_row"] < out[j]["source_row"] })
	return m, rejects, out
}

func fieldsOf(m *Mapping) string {
	var f []string
	for _, c := range m.Columns {
		f = append(f, c.Field)
	}
	return strings.Join(f, ",")
}

// Admin levels come from position and p-code lengths, not from the word.
func TestAdminLevelsByPosition(t *testing.T) {
	site := schemas.SiteAssessment()
	cases := []struct {
		name string
		cols []string
		rows [][]string
		want string
	}{
		{"Burkina Faso: Région, Province, Commune",
			[]string{"Région", "Province", "Commune", "IDP Individuals"},
			[][]string{{"Centre-Nord", "Sanmatenga", "Kaya", "10"}},
			"admin1_name,admin2_name,admin3_name,idp_individuals"},
		{"Mali: Région, Cercle, Commune with codes",
			[]string{"Région", "P-code Région", "Cercle", "Code cercle", "Commune", "Code commune", "Nb PDI"},
			[][]string{{"Mopti", "ML05", "Bandiagara", "ML0502", "Sangha", "ML050211", "12"}},
			"admin1_name,admin1_pcode,admin2_name,admin2_pcode,admin3_name,admin3_pcode,idp_individuals"},
		{"finest first in column order, ordered by p-code length",
			[]string{"Commune Pcode", "Province Pcode", "IDP Individuals"},
			[][]string{{"BI0404", "BI04", "5"}},
			"admin2_pcode,admin1_pcode,idp_individuals"},
		{"Haiti: Département with short codes is admin 1",
			[]string{"Département", "Dept Pcode", "Commune", "Commune Pcode", "IDP Individuals"},
			[][]string{{"Ouest", "HT01", "Delmas", "HT0113", "7"}},
			"admin1_name,admin1_pcode,admin2_name,admin2_pcode,idp_individuals"},
		{"a written level is kept",
			[]string{"Admin 2", "Admin 3", "IDP Individuals"},
			[][]string{{"A", "B", "1"}},
			"admin2_name,admin3_name,idp_individuals"},
	}
	for _, c := range cases {
		m, _, _ := convertNamed(t, site, "x.csv", c.cols, c.rows, MapOptions{Country: "AAA"}, Options{Country: "AAA"})
		if got := fieldsOf(m); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestParseHXLLenient(t *testing.T) {
	for cell, want := range map[string]string{
		"#affected+idps+ind+year+2024": "#affected+idps+ind+year",
		"#affected+hh+idps+2023":       "#affected+hh+idps",
		"#adm1+code+1st":               "#adm1+code",
	} {
		tag, dropped, ok := ParseHXLLenient(cell)
		if !ok || tag.String() != want || len(dropped) != 1 {
			t.Errorf("%q: %v %v %v, want %s", cell, tag, dropped, ok, want)
		}
	}
	for _, cell := range []string{"", "#2024", "#REF!"} {
		if _, _, ok := ParseHXLLenient(cell); ok {
			t.Errorf("%q parsed", cell)
		}
	}
	h := ingest.Header{Columns: []string{"IDP HH 2023", "IDP Ind 2023"}, HXL: []string{"#affected+hh+idps+2023", "#affected+idps+ind+2023"}}
	m, _ := Map(h, schemas.SiteAssessment(), MapOptions{})
	if got := fieldsOf(m); got != "idp_households,idp_individuals" || !strings.Contains(m.Columns[0].Note, "valid part") {
		t.Errorf("%s %q", got, m.Columns[0].Note)
	}
}

func TestCountryFromPcodeAndNames(t *testing.T) {
	for code, want := range map[string]string{"BI04": "BDI", "MLI0103": "MLI", "SS0102": "SSD", "NG008": "NGA", "HT0111": "HTI",
		"Temp03": "", "1234": "", "BI": "", "XX01": "", "ZZ01": ""} {
		got, _ := CountryFromPcode(code)
		if got != want {
			t.Errorf("CountryFromPcode(%q) = %q, want %q", code, got, want)
		}
	}
	for name, want := range map[string]string{
		"dtm_burundi_baseline_round_22.xlsx": "BDI", "South_Sudan-sites.csv": "SSD", "ssd_r37.csv": "SSD",
		"DTM Burkina Faso R5.xlsx": "BFA", "Niger_flows.csv": "NER", "sites_fr_per_round.csv": "", "idp_sites.csv": "",
	} {
		got, _, _ := CountryFromName(name)
		if got != want {
			t.Errorf("CountryFromName(%q) = %q, want %q", name, got, want)
		}
	}
	for name, want := range map[string]int64{"dtm_bdi_round_22.xlsx": 22, "R38 sites": 38, "sites-rnd5.csv": 5, "Round12": 12, "report_2024.csv": -1, "year22.csv": -1} {
		got, _, ok := RoundFromName(name)
		if !ok {
			got = -1
		}
		if got != want {
			t.Errorf("RoundFromName(%q) = %d, want %d", name, got, want)
		}
	}
}

// A population column routes each row's bare counts; the site type comes
// from the column whose values are site types; dnk is unknown.
func TestPopulationColumnRoutesRows(t *testing.T) {
	cols := []string{"Country Code", "Province", "Type", "Settlement Type", "Site Name", "Individuals", "Households"}
	rows := [][]string{
		{"AAA", "North", "IDP", "Camp", "A", "100", "20"},
		{"AAA", "North", "Retournés", "Host community", "B", "50", "10"},
		{"AAA", "South", "PDI", "dnk", "C", "30", "6"},
		{"AAA", "South", "Host community", "Collective centre", "D", "40", "8"},
		{"AAA", "South", "Visitors", "Camp", "E", "5", "1"},
	}
	m, rejects, out := convertNamed(t, schemas.SiteAssessment(), "x.csv", cols, rows, MapOptions{}, Options{})
	if m.PopulationCol != 2 || m.Columns[3].Field != "site_type" {
		t.Fatalf("mapping %s, population column %d", fieldsOf(m), m.PopulationCol)
	}
	got := func(i int, f string) string { return out[i][f] }
	if len(out) != 5 {
		t.Fatalf("%d rows", len(out))
	}
	checks := []struct {
		row         int
		field, want string
	}{
		{0, "idp_individuals", "100"}, {1, "returnee_individuals", "50"}, {1, "returnee_households", "10"},
		{1, "idp_individuals", ""}, {2, "idp_individuals", "30"}, {2, "site_type", ""}, {3, "host_individuals", "40"},
		{3, "idp_individuals", ""}, {4, "idp_individuals", "5"}, {0, "site_type", "camp"},
	}
	for _, c := range checks {
		if g := got(c.row, c.field); g != c.want {
			t.Errorf("row %d %s = %q, want %q", c.row+2, c.field, g, c.want)
		}
	}
	var codes []string
	for _, r := range rejects {
		codes = append(codes, r.Code+"@"+r.Column)
	}
	// host households have no field: a warning; "Visitors" names no population: a warning.
	if s := strings.Join(codes, " "); !strings.Contains(s, "constraint-error@Households") || !strings.Contains(s, "vocabulary@Type") {
		t.Errorf("rejects %s", s)
	}
}

// The file name says which population bare counts count, and the country
// and round when no column does.
func TestFileNameGivesPopulationCountryRound(t *testing.T) {
	cols := []string{"Commune", "Individuals"}
	rows := [][]string{{"Kaya", "12"}}
	m, _, out := convertNamed(t, schemas.SiteAssessment(), "/data/mali_returnees_round_7.csv", cols, rows, MapOptions{}, Options{})
	if len(out) != 1 || out[0]["returnee_individuals"] != "12" || out[0]["country_iso3"] != "MLI" || out[0]["round"] != "7" {
		t.Fatalf("%v (%s)", out, strings.Join(m.Notes(), "; "))
	}
	// --country wins over the name.
	_, _, out = convertNamed(t, schemas.SiteAssessment(), "/data/mali_round_7.csv", cols, rows, MapOptions{Country: "NER"}, Options{Country: "NER"})
	if out[0]["country_iso3"] != "NER" {
		t.Errorf("%v", out)
	}
}

func TestCheckHeadline(t *testing.T) {
	m, _ := Map(ingest.Header{Columns: []string{"Province", "Site Name", "IDP kids"}}, schemas.SiteAssessment(), MapOptions{})
	err := m.CheckHeadline()
	if err == nil || !strings.Contains(err.Error(), `"Site Name"`) || !strings.Contains(err.Error(), "Closest: \"IDP kids\"") {
		t.Fatalf("%v", err)
	}
	m, _ = Map(ingest.Header{Columns: []string{"Province", "Nb PDI"}}, schemas.SiteAssessment(), MapOptions{})
	if err := m.CheckHeadline(); err != nil {
		t.Error(err)
	}
	m, _ = Map(ingest.Header{Columns: []string{"Date", "IDPs"}}, schemas.DisplacementAdmin(), MapOptions{})
	if err := m.CheckHeadline(); err != nil {
		t.Error(err)
	}
}

// A national series has admin level 0; a row with an admin 1 column, 1.
func TestAdminLevelFromColumns(t *testing.T) {
	_, _, out := convertNamed(t, schemas.DisplacementAdmin(), "series.csv", []string{"Date", "IDPs"}, [][]string{{"2013-06-30", "300"}}, MapOptions{Country: "AAA"}, Options{Country: "AAA"})
	if len(out) != 1 || out[0]["admin_level"] != "0" {
		t.Fatalf("%v", out)
	}
	_, _, out = convertNamed(t, schemas.DisplacementAdmin(), "s.csv", []string{"Date", "State", "IDPs"}, [][]string{{"2013-06-30", "Unity", "300"}}, MapOptions{Country: "AAA"}, Options{Country: "AAA"})
	if len(out) != 1 || out[0]["admin_level"] != "1" {
		t.Fatalf("%v", out)
	}
}

func TestOverridesIgnoreAndPopulation(t *testing.T) {
	h := ingest.Header{Columns: []string{"Group", "Individuals", "Nb PDI"}}
	m, _ := Map(h, schemas.SiteAssessment(), MapOptions{Overrides: map[string]string{"Group": "population", "Nb PDI": ""}})
	if m.PopulationCol != 0 || m.Columns[2].Field != "" || m.Columns[1].Field != "idp_individuals" {
		t.Fatalf("%s %d", fieldsOf(m), m.PopulationCol)
	}
}
