package transform

import (
	"sort"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// convertAs maps cols for ds, converts rows (lines from 2) with opts and
// returns the rejects and the stored rows as field -> text, by source row.
func convertAs(t *testing.T, ds *schemas.Dataset, file string, cols []string, rows [][]string, opts Options) ([]schemas.Reject, []map[string]string) {
	t.Helper()
	h := ingest.Header{File: file, Columns: cols}
	m, err := Map(h, ds, MapOptions{})
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
	rejects = append(rejects, c.Finish()...)
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
	sort.Slice(out, func(i, j int) bool {
		return len(out[i]["source_row"]) < len(out[j]["source_row"]) ||
			len(out[i]["source_row"]) == len(out[j]["source_row"]) && out[i]["source_row"] < out[j]["source_row"]
	})
	return rejects, out
}

// column returns one field of every row, joined with '|' ("-" for null).
func column(rows []map[string]string, field string) string {
	var vals []string
	for _, r := range rows {
		v, ok := r[field]
		if !ok {
			v = "-"
		}
		vals = append(vals, v)
	}
	return strings.Join(vals, "|")
}

// TestSiteTypeColumnBesidePopulationColumn: files of the population_type
// field case in other languages. A site-type column whose values include
// host communities (a site type and a population at once) stays the site
// type when a population column says each row's population.
func TestSiteTypeColumnBesidePopulationColumn(t *testing.T) {
	cases := []struct {
		name          string
		cols          []string
		rows          [][]string
		siteType, idp string
		returnee      string
	}{
		{"spanish", []string{"Código país", "Departamento", "Tipo de población", "Tipo de sitio", "Nombre del sitio", "Hogares", "Personas"},
			[][]string{{"COL", "Nariño", "Desplazados internos", "Albergue", "Sitio A", "20", "100"},
				{"COL", "Nariño", "Retornados", "Comunidad de acogida", "Sitio B", "10", "50"},
				{"COL", "Chocó", "Desplazados internos", "Comunidad de acogida", "Sitio C", "6", "30"}},
			"collective_centre|host_community|host_community", "100|-|30", "-|50|-"},
		{"portuguese", []string{"Código do país", "Província", "Tipo de local", "Tipo de população", "Indivíduos"},
			[][]string{{"MOZ", "Cabo Delgado", "Centro de reassentamento", "Deslocados", "100"},
				{"MOZ", "Cabo Delgado", "Comunidade de acolhimento", "Retornados", "50"},
				{"MOZ", "Niassa", "Comunidade de acolhimento", "Deslocados internos", "30"}},
			"displacement_site|host_community|host_community", "100|-|30", "-|50|-"},
		{"english, host rows in the population column", []string{"Country Code", "Population Type", "Site Type", "Individuals"},
			[][]string{{"SOM", "IDPs", "Camp", "100"}, {"SOM", "Host community", "Host community", "50"},
				{"SOM", "Host community", "Host community", "30"}},
			"camp|host_community|host_community", "100|-|-", "-|-|-"},
	}
	for _, c := range cases {
		rejects, rows := convertAs(t, schemas.SiteAssessment(), "sites.csv", c.cols, c.rows, Options{})
		if len(rows) != len(c.rows) {
			t.Fatalf("%s: %d rows written, want %d (rejects %+v)", c.name, len(rows), len(c.rows), rejects)
		}
		if got := column(rows, "site_type"); got != c.siteType {
			t.Errorf("%s: site_type %s, want %s", c.name, got, c.siteType)
		}
		if got := column(rows, "idp_individuals"); got != c.idp {
			t.Errorf("%s: idp_individuals %s, want %s", c.name, got, c.idp)
		}
		if got := column(rows, "returnee_individuals"); got != c.returnee {
			t.Errorf("%s: returnee_individuals %s, want %s", c.name, got, c.returnee)
		}
	}
}

// TestDisplacementCountryFromAdmin0: a national series or an API export
// whose only country column is a name or an admin 0 p-code gets its ISO3
// code from it.
func TestDisplacementCountryFromAdmin0(t *testing.T) {
	for _, c := range []struct {
		header, cell, want string
	}{
		{"Country", "Afghanistan", "AFG"},
		{"admin0Name", "Nigeria", "NGA"},
		{"Admin 0 pcode", "SO", "SOM"},
		{"Pays", "Tchad", "TCD"},
	} {
		rejects, rows := convertAs(t, schemas.DisplacementAdmin(), "series.csv",
			[]string{c.header, "Reporting Date", "Number of IDPs"},
			[][]string{{c.cell, "2022-01-31", "500"}, {c.cell, "2022-02-28", "520"}}, Options{})
		if len(rows) != 2 {
			t.Errorf("%s %q: %d rows written, want 2 (rejects %+v)", c.header, c.cell, len(rows), rejects)
			continue
		}
		if got := column(rows, "country_iso3"); got != c.want+"|"+c.want {
			t.Errorf("%s %q: country_iso3 %s, want %s", c.header, c.cell, got, c.want)
		}
	}
}

// TestDate1904BareSerials: in a workbook of the 1904 date system (the
// date1904 field case), a date cell Excel did not format as a date reaches
// the transform as a bare serial; it is read in that system, for site,
// admin and flow dates alike. Date-formatted cells arrive as ISO text and
// are unchanged; without the flag a serial is of the 1900 system.
func TestDate1904BareSerials(t *testing.T) {
	convert := func(ds *schemas.Dataset, date1904 bool, cols []string, rows [][]string) []map[string]string {
		t.Helper()
		h := ingest.Header{File: "book.xlsx", Sheet: "Data", Columns: cols, Date1904: date1904}
		m, err := Map(h, ds, MapOptions{Country: "TCD"})
		if err != nil {
			t.Fatal(err)
		}
		in := make([]ingest.Row, len(rows))
		for i, r := range rows {
			in[i] = ingest.Row{Line: i + 2, Cells: r}
		}
		m.Refine(in)
		c := NewConverter(m, Provenance{File: h.File, Sheet: h.Sheet, RunID: "t"}, Options{Country: "TCD"})
		defer c.Release()
		rejects := append(c.Convert(in), c.Finish()...)
		var out []map[string]string
		for _, pr := range c.Drain(true) {
			for r := 0; r < int(pr.Record.NumRows()); r++ {
				row := map[string]string{}
				for j, f := range pr.Record.Schema().Fields() {
					if col := pr.Record.Column(j); !col.IsNull(r) {
						row[f.Name] = cellText(col, r)
					}
				}
				out = append(out, row)
			}
			pr.Record.Release()
		}
		if len(out) != len(rows) {
			t.Fatalf("%s: %d rows written, want %d (rejects %+v)", ds.Name, len(out), len(rows), rejects)
		}
		return out
	}
	site := convert(schemas.SiteAssessment(), true, []string{"Admin 1 Pcode", "Reporting Date", "Survey Date", "IDP Individuals"},
		[][]string{{"TD01", "43904", "43900.25", "600"}, {"TD01", "2024-03-15", "43901", "410"}})
	if got := column(site, "reporting_date"); got != "2024-03-15|2024-03-15" {
		t.Errorf("1904 site reporting_date %s", got)
	}
	if got := column(site, "assessment_date") + " " + column(site, "assessment_date_end"); got != "2024-03-11|2024-03-12 2024-03-11|2024-03-12" {
		t.Errorf("1904 site assessment_date and end %s", got)
	}
	admin := convert(schemas.DisplacementAdmin(), true, []string{"Date", "IDPs"}, [][]string{{"43890", "300"}})
	if got := column(admin, "reporting_date"); got != "2024-03-01" {
		t.Errorf("1904 admin reporting_date %s", got)
	}
	flow := convert(schemas.FlowRegistry(), true, []string{"Date", "FMP", "Direction", "Individuals"}, [][]string{{"43904", "Point A", "incoming", "5"}})
	if got := column(flow, "period_start") + " " + column(flow, "period_type"); got != "2024-03-15 day" {
		t.Errorf("1904 flow period %s", got)
	}
	plain := convert(schemas.SiteAssessment(), false, []string{"Admin 1 Pcode", "Reporting Date", "IDP Individuals"}, [][]string{{"TD01", "45366", "600"}})
	if got := column(plain, "reporting_date"); got != "2024-03-15" {
		t.Errorf("1900 site reporting_date %s", got)
	}
}

// TestMonthColumnOfASeries: national series (the national_monthly_series
// field case) dated by a month column: "Mois" with French month names is
// the reporting date (the month's first day); a "Month" column of month
// numbers beside a Year column is never read as January-1900 serials.
func TestMonthColumnOfASeries(t *testing.T) {
	admin := schemas.DisplacementAdmin()
	rejects, rows := convertAs(t, admin, "serie.csv", []string{"Mois", "PDI"},
		[][]string{{"janv.-2023", "1 200"}, {"févr.-2023", "1 150"}, {"mars-2023", "1 100"}}, Options{Country: "AAA"})
	if len(rows) != 3 {
		t.Fatalf("Mois: %d rows written, want 3 (rejects %+v)", len(rows), rejects)
	}
	if got := column(rows, "reporting_date") + " " + column(rows, "idp_individuals"); got != "2023-01-01|2023-02-01|2023-03-01 1200|1150|1100" {
		t.Errorf("Mois: %s", got)
	}
	for _, label := range []string{"Month", "Mes", "Mois"} {
		_, rows = convertAs(t, admin, "series.csv", []string{"Year", label, "Reporting Date", "IDP Individuals"},
			[][]string{{"2021", "1", "2021-01-31", "100"}, {"2021", "2", "2021-02-28", "110"}}, Options{Country: "AAA"})
		if got := column(rows, "reporting_date") + " " + column(rows, "month_reporting_date"); got != "2021-01-31|2021-02-28 1|2" {
			t.Errorf("%s of month numbers: %s", label, got)
		}
	}
}

// TestCountryFromLevelLetterPcodes: variants of no_country_column_pcodes
// whose COD puts a level letter after the alpha-2 code (governorates
// IQG15, districts IQD001): the country is inferred when two place
// columns agree; one column of such codes, or codes that disagree, infer
// nothing (pseudo-codes such as CMP01 must not name Cameroon).
func TestCountryFromLevelLetterPcodes(t *testing.T) {
	cols := []string{"Governorate", "Governorate Pcode", "District", "District Pcode", "IDP Individuals"}
	rejects, rows := convertAs(t, schemas.SiteAssessment(), "master_list.csv", cols,
		[][]string{{"Ninewa", "IQG15", "Mosul", "IQD085", "180"}, {"Anbar", "IQG01", "Falluja", "IQD003", "62"}}, Options{})
	if got := column(rows, "country_iso3"); got != "IRQ|IRQ" {
		t.Errorf("IQG/IQD codes: country %s (rejects %+v)", got, rejects)
	}
	for name, r := range map[string][][]string{
		"one column": {{"Camp A", "CMP01", "", "", "10"}, {"Camp B", "CMP02", "", "", "5"}},
		"disagree":   {{"A", "IQG15", "B", "SYD01", "10"}},
	} {
		_, rows := convertAs(t, schemas.SiteAssessment(), "sites.csv", cols, r, Options{})
		if len(rows) != 0 {
			t.Errorf("%s: country inferred: %s", name, column(rows, "country_iso3"))
		}
	}
}
