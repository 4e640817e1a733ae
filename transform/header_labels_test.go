package transform

import (
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// mapLabel maps a one-column header (a label starting with '#' and no
// space is the header's own HXL tag) and returns the column.
func mapLabel(t *testing.T, ds *schemas.Dataset, label string) Column {
	t.Helper()
	m, err := Map(ingest.Header{Columns: []string{label}}, ds, MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m.Columns[0]
}

// TestRealWorldHeaderLabels holds header labels of the kinds seen in DTM
// files (English, French, Spanish, Kobo names, Excel-mangled, pre-1.0 HXL),
// written for this test, with the field each must map to ("" = must not
// map to a field; "population" = the column saying each row's population).
func TestRealWorldHeaderLabels(t *testing.T) {
	site, admin, flow := schemas.SiteAssessment(), schemas.DisplacementAdmin(), schemas.FlowRegistry()
	cases := []struct {
		ds    *schemas.Dataset
		label string
		want  string
		bare  bool
	}{
		// DTM's own templates and English variants
		{site, "Total No. of IDPs Ind.", "idp_individuals", false},
		{site, "Total No. of IDPs HH", "idp_households", false},
		{site, "Total No# of IDPs Ind#", "idp_individuals", false},
		// the unit or population in brackets is part of the meaning (DTM
		// templates): never dropped to match the words before it
		{site, "Total Returnees (HH)", "returnee_households", false},
		{site, "Total Returnees (Ind)", "returnee_individuals", false},
		{site, "Total IDPs (HH)", "idp_households", false},
		{site, "Total IDPs [Ind.]", "idp_individuals", false},
		{site, "Individuals (returnees)", "returnee_individuals", false},
		{site, "Retournés (ménages)", "returnee_households", false},
		{site, "Number of IDP Individuals", "idp_individuals", false},
		{site, "Number of IDPs", "idp_individuals", false},
		{site, "Ind_IDPs", "idp_individuals", false},
		{site, "IDPs Ind", "idp_individuals", false},
		{site, "IDP_HHs", "idp_households", false},
		{site, "Total IDP Ind", "idp_individuals", false},
		{site, "IDP Males", "idp_males", false},
		{site, "IDP Female", "idp_females", false},
		{site, "Total Returnees HH", "returnee_households", false},
		{site, "Returnees from abroad (ind)", "returnee_abroad_individuals", false},
		{site, "Returnees former IDPs ind", "returnee_internal_individuals", false},
		{site, "Host community individuals", "host_individuals", false},
		{site, "Total individuals", "idp_individuals", true},
		{site, "No. of households", "idp_households", true},
		{site, "Camp Name", "site_name", false},
		{site, "Displacement Site Name", "site_name", false},
		{site, "Settlement_ID", "site_id", false},
		{site, "Village_code", "site_id", false},
		{site, "Site typology", "site_type", false},
		{site, "Date of Survey", "assessment_date", false},
		{site, "Date of snapshot", "reporting_date", false},
		{site, "Assessment round", "round", false},
		{site, "Admin 1 Name", "admin1_name", false},
		{site, "Admin2_Name_EN", "admin2_name", false},
		{site, "Adm3Code", "admin3_pcode", false},
		{site, "State code", "admin1_pcode", false},
		{site, "LGA code", "admin2_pcode", false},
		{site, "Payam P-Code", "admin3_pcode", false},
		{site, "GPS_Lat", "latitude", false},
		{site, "Population type", "population", false},
		// French
		{site, "Nb PDI", "idp_individuals", false},
		{site, "Nb individus PDI", "idp_individuals", false},
		{site, "Nombre de ménages déplacés", "idp_households", false},
		{site, "Retournés (individus)", "returnee_individuals", false},
		{site, "Hommes PDI", "idp_males", false},
		{site, "Femmes PDI", "idp_females", false},
		{site, "Raison du déplacement", "displacement_reasons", false},
		{site, "Date de collecte", "assessment_date", false},
		{site, "P-code Région", "admin1_pcode", false},
		{site, "Code du site", "site_id", false},
		{site, "Cercle", "admin2_name", false},
		{site, "Code sous-préfecture", "admin3_pcode", false},
		{site, "Nom de la localité", "site_name", false},
		{site, "Type de population", "population", false},
		// Spanish
		{site, "Número de desplazados", "idp_individuals", false},
		{site, "Hogares desplazados", "idp_households", false},
		{site, "Nombre del sitio", "site_name", false},
		{site, "Código del sitio", "site_id", false},
		{site, "Fecha de la encuesta", "assessment_date", false},
		{site, "Departamento", "admin1_name", false},
		{site, "Municipio", "admin2_name", false},
		{site, "Ronda", "round", false},
		// Kobo names
		{site, "num_idp_ind", "idp_individuals", false},
		{site, "num_idp_hh", "idp_households", false},
		{site, "num_returnee_ind", "returnee_individuals", false},
		{site, "num_host_ind", "host_individuals", false},
		{site, "date_survey", "assessment_date", false},
		{site, "wards", "admin3_name", false},
		{site, "group_location/camp_name", "site_name", false},
		// pre-1.0 HXL as the header
		{site, "#people_num", "idp_individuals", true},
		{site, "#households_num", "idp_households", true},
		{site, "#adm3", "admin3_name", false},
		{site, "#loctype", "site_type", false},
		{site, "#report_date", "reporting_date", false},
		{site, "#adm1_id", "admin1_pcode", false},
		// two-row headers joined by the reader
		{site, "Family size / Total individuals", "idp_individuals", true},
		{site, "IDPs / Households", "idp_households", false},
		{flow, "Family size / Males", "", false},
		{flow, "Family size / Total individuals", "individuals", false},
		{site, "IDP population / Total", "idp_individuals", false},
		// not the headline figure: must stay unmapped
		{site, "% of IDPs", "", false},
		{site, "New IDP arrivals", "", false},
		{site, "Average household size", "", false},
		{site, "IDPs with disabilities", "", false},
		{site, "Number of IDPs who received food", "", false},
		// other datasets
		{admin, "Date", "reporting_date", false},
		{admin, "Total No. of IDPs Ind.", "idp_individuals", false},
		{admin, "State code", "admin1_pcode", false},
		{flow, "Total No. of individuals", "individuals", false},
		{flow, "IDPs", "", false},
	}
	if n := len(cases); n < 60 {
		t.Fatalf("only %d labels", n)
	}
	for _, c := range cases {
		col := mapLabel(t, c.ds, c.label)
		got := col.Field
		if col.Rule == RulePopulation {
			got = "population"
		}
		if got != c.want {
			t.Errorf("%s %q: field %q (rule %s, note %q), want %q", c.ds.Name, c.label, got, col.Rule, col.Note, c.want)
			continue
		}
		if col.Bare != c.bare {
			t.Errorf("%s %q: bare %v, want %v", c.ds.Name, c.label, col.Bare, c.bare)
		}
	}
}
