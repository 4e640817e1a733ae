package ingest

import (
	"reflect"
	"testing"
)

func scanOf(rows ...[]string) []ScanRow {
	out := make([]ScanRow, len(rows))
	for i, r := range rows {
		out[i] = ScanRow{Line: i + 1, Cells: r}
	}
	return out
}

func r(cells ...string) []string { return cells }

func TestFindHeader(t *testing.T) {
	tests := []struct {
		name                   string
		rows                   []ScanRow
		header, sub, units, hx int
		columns                []string
	}{
		{"two-row header, merged group at the end",
			scanOf(
				r("Form no", "Date", "FMP", "Direction", "Family size"),
				r("", "", "", "", "Males", "Females", "Total individuals"),
				r("1", "2016-10-02", "Point A", "incoming", "2", "3", "5")),
			0, 1, -1, -1,
			[]string{"Form no", "Date", "FMP", "Direction", "Family size / Males", "Family size / Females", "Family size / Total individuals"}},
		{"two-row header, CSV padded, group in the middle, title above",
			scanOf(
				r("Registre des flux, janvier", "", "", "", ""),
				r("Point", "Ménages", "", "Personnes", "", "Remarque"),
				r("", "Entrée", "Sortie", "Entrée", "Sortie", ""),
				r("P1", "3", "4", "12", "15", "")),
			1, 2, -1, -1,
			[]string{"Point", "Ménages / Entrée", "Ménages / Sortie", "Personnes / Entrée", "Personnes / Sortie", "Remarque"}},
		{"two-row header under which an HXL row sits",
			scanOf(
				r("Site", "IDPs", "", "Date"),
				r("", "HH", "Ind", ""),
				r("#loc+name", "#affected+idps+hh", "#affected+idps+ind", "#date"),
				r("A", "1", "5", "2024-01-01")),
			0, 1, -1, 2,
			[]string{"Site", "IDPs / HH", "IDPs / Ind", "Date"}},
		{"the scorer prefers the sub-labels: the group row above still joins",
			scanOf(
				r("Province", "Returnees", "", ""),
				r("", "Households", "Individuals", "Individuals"),
				r("Kivu", "1", "2", "3")),
			0, 1, -1, -1,
			[]string{"Province", "Returnees / Households", "Returnees / Individuals", "Returnees / Individuals"}},
		{"group labels repeated in each column (unmerged export)",
			scanOf(
				r("Site", "IDPs", "IDPs", "Returnees", "Returnees"),
				r("", "HH", "Ind", "HH", "Ind"),
				r("A", "1", "5", "2", "9")),
			0, 1, -1, -1,
			[]string{"Site", "IDPs / HH", "IDPs / Ind", "Returnees / HH", "Returnees / Ind"}},
		{"banner over a complete row of sub-labels is a banner",
			scanOf(
				r("DATE", "", "METHODE DE COLLECTE", "", ""),
				r("Jour", "Mois", "Enquêteur", "Mode", "Lieu"),
				r("12", "3", "A. Traoré", "KI", "Gao")),
			1, -1, -1, -1,
			[]string{"Jour", "Mois", "Enquêteur", "Mode", "Lieu"}},
		{"units row between header and HXL row does not move the header",
			scanOf(
				r("Region", "Site", "IDP households", "IDP individuals"),
				r("", "", "(HH)", "(persons)"),
				r("#adm1+name", "#loc+name", "#affected+idps+hh", "#affected+idps+ind"),
				r("Nord", "A", "3", "15")),
			0, -1, 1, 2,
			[]string{"Region", "Site", "IDP households", "IDP individuals"}},
		{"units row with a word under every label, then HXL",
			scanOf(
				r("Région", "Date", "Ménages", "Taux"),
				r("texte", "jj/mm/aaaa", "nombre", "%"),
				r("#adm1+name", "#date", "#affected+hh", "#indicator+pct"),
				r("Nord", "01/02/2024", "3", "15")),
			0, -1, 1, 2,
			[]string{"Région", "Date", "Ménages", "Taux"}},
		{"units row without HXL is header material",
			scanOf(
				r("Title of the report"),
				r("Region", "IDPs", "Share"),
				r("", "persons", "%"),
				r("Nord", "12", "4")),
			1, -1, 2, -1,
			[]string{"Region", "IDPs", "Share"}},
		{"a short header row over its HXL row is the header (not units)",
			scanOf(
				r("DATE", "METHODE DE COLLECTE", "LOCALISATION", "REMARQUES", "AUTRE"),
				r("d", "m", "l"),
				r("#date", "#meta", "#loc"),
				r("1", "2", "3")),
			1, -1, -1, 2,
			[]string{"d", "m", "l"}},
		{"data with text only under a header is not a sub-header",
			scanOf(
				r("Region", "Site", "Type"),
				r("Nord", "Camp A", "camp"),
				r("Sud", "Camp B", "host")),
			0, -1, -1, -1,
			[]string{"Region", "Site", "Type"}},
		{"a title over the header is not a group",
			scanOf(
				r("Displacement figures round 5", "", ""),
				r("Region", "Site", "IDPs"),
				r("Nord", "A", "3")),
			1, -1, -1, -1,
			[]string{"Region", "Site", "IDPs"}},
		{"metadata pairs over the header are not groups",
			scanOf(
				r("Country:", "Chad", "", ""),
				r("Region", "Site", "HH", "Ind"),
				r("Lac", "A", "3", "15")),
			1, -1, -1, -1,
			[]string{"Region", "Site", "HH", "Ind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := FindHeader(tt.rows, nil)
			if !f.Found || f.Header != tt.header || f.Sub != tt.sub || f.Units != tt.units || f.HXL != tt.hx {
				t.Fatalf("header %d sub %d units %d hxl %d; want %d %d %d %d (notes %q)",
					f.Header, f.Sub, f.Units, f.HXL, tt.header, tt.sub, tt.units, tt.hx, f.Notes)
			}
			if !reflect.DeepEqual(f.Columns, tt.columns) {
				t.Errorf("columns %q; want %q", f.Columns, tt.columns)
			}
			if want := max(tt.header, tt.sub, tt.units, tt.hx) + 1; f.DataStart() != want {
				t.Errorf("data start %d; want %d", f.DataStart(), want)
			}
		})
	}
}

func TestApplyTwoRowHeader(t *testing.T) {
	rows := scanOf(
		r("Title"),
		r("Site", "IDPs", ""),
		r("", "HH", "Ind"),
		r("#loc+name", "#affected+hh", "#affected+ind", "#meta+x"),
		r("A", "1", "5"))
	f := FindHeader(rows, nil)
	var h Header
	f.Apply(&h, rows)
	if h.HeaderLine != 2 || h.SubHeaderLine != 3 || h.HXLLine != 4 || h.SkippedAbove != 1 {
		t.Fatalf("header %+v", h)
	}
	if !reflect.DeepEqual(h.Columns, []string{"Site", "IDPs / HH", "IDPs / Ind", ""}) ||
		!reflect.DeepEqual(h.HXL, []string{"#loc+name", "#affected+hh", "#affected+ind", "#meta+x"}) {
		t.Errorf("columns %q hxl %q", h.Columns, h.HXL)
	}
}

func TestIsNumeric(t *testing.T) {
	for s, want := range map[string]bool{
		"12": true, "-10.5": true, "14,46382": true, "1 952": true, "1,952": true, "1\u00a0952": true,
		"12%": true, "1.234.567": true, "R5": false, "": false, "02/04/2024": false, "Nord": false, "%": false,
	} {
		if got := IsNumeric(s); got != want {
			t.Errorf("IsNumeric(%q) = %v", s, got)
		}
	}
}
