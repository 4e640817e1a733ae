package query_test

import (
	"testing"
)

// The expectations below are computed by hand from testdata/figures:
//
//	SSD R1 (2025-01-10/11): S1 SS01/SS0101/SS010101 camp  10 hh  50 ind, Conflict,        origin SS03
//	                        S2 SS01/SS0101/SS010102 host  20 hh 100 ind, Conflict; Flood, origin SS03
//	                        S3 SS02/SS0201/SS020101 camp  30 hh 150 ind, Flood,           origin SS07
//	SSD R2 (2025-04-10/11): S1 camp 16 hh 80 ind; S2 host 20 hh 100 ind (as in R1);
//	                        S4 SS02/SS0202/SS020201 collective centre 12 hh 60 ind, Conflict, no origin
//	NGA R4 (2024-12-01):    N1 NG008/NG008015 camp 30 hh 150 ind, Insurgency, origin NG008
//	NGA R5 (2025-03-01/02): N1 camp 40 hh 200 ind; N2 NG008/NG008013 host 10 hh 40 ind,
//	                        Insurgency; Communal clashes, origin NG002
//
// SADD bands (as published): SSD <1, 1-17, 18-59, 60+ for S1 and S2; NGA 0-4,
// 5-59, 60+ for N1 in R5 only.

func TestFigureIDPs(t *testing.T) {
	db, _ := openFixture(t)
	cols := []string{"country_iso3", "admin1_pcode", "admin2_pcode", "admin3_pcode", "round", "sites", "idp_households", "idp_individuals"}
	tests := []struct {
		name   string
		params map[string]string
		want   [][]string
	}{
		{"latest round per country, admin 1", nil, [][]string{
			{"NGA", "NG008", "", "", "5", "2", "50", "240"},
			{"SSD", "SS01", "", "", "2", "2", "36", "180"},
			{"SSD", "SS02", "", "", "2", "1", "12", "60"},
		}},
		{"chosen round, admin 3, lower-case country", map[string]string{"round": "1", "admin_level": "3", "country": "ssd"}, [][]string{
			{"SSD", "SS01", "SS0101", "SS010101", "1", "1", "10", "50"},
			{"SSD", "SS01", "SS0101", "SS010102", "1", "1", "20", "100"},
			{"SSD", "SS02", "SS0201", "SS020101", "1", "1", "30", "150"},
		}},
		{"admin 2 in the latest round of one country", map[string]string{"country": "SSD", "admin_level": "2"}, [][]string{
			{"SSD", "SS01", "SS0101", "", "2", "2", "36", "180"},
			{"SSD", "SS02", "SS0202", "", "2", "1", "12", "60"},
		}},
		{"date window picks the latest round within it", map[string]string{"to": "2025-01-31"}, [][]string{
			{"NGA", "NG008", "", "", "4", "1", "30", "150"},
			{"SSD", "SS01", "", "", "1", "2", "30", "150"},
			{"SSD", "SS02", "", "", "1", "1", "30", "150"},
		}},
		{"round that a country lacks", map[string]string{"round": "4"}, [][]string{
			{"NGA", "NG008", "", "", "4", "1", "30", "150"},
		}},
		{"unknown country", map[string]string{"country": "XXX"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			expectRows(t, runFigure(t, db, "idps", tc.params), cols, tc.want)
		})
	}
}

func TestFigureIDPTrend(t *testing.T) {
	db, _ := openFixture(t)
	cols := []string{"country_iso3", "admin1_pcode", "admin3_pcode", "round", "sites", "idp_individuals", "previous_round", "previous_idp_individuals", "change_individuals", "change_pct"}
	tests := []struct {
		name   string
		params map[string]string
		want   [][]string
	}{
		{"country totals", nil, [][]string{
			{"NGA", "", "", "4", "1", "150", "", "", "", ""},
			{"NGA", "", "", "5", "2", "240", "4", "150", "90", "60"},
			{"SSD", "", "", "1", "3", "300", "", "", "", ""},
			{"SSD", "", "", "2", "3", "240", "1", "300", "-60", "-20"},
		}},
		{"admin 1 of one country", map[string]string{"country": "SSD", "admin_level": "1"}, [][]string{
			{"SSD", "SS01", "", "1", "2", "150", "", "", "", ""},
			{"SSD", "SS01", "", "2", "2", "180", "1", "150", "30", "20"},
			{"SSD", "SS02", "", "1", "1", "150", "", "", "", ""},
			{"SSD", "SS02", "", "2", "1", "60", "1", "150", "-90", "-60"},
		}},
		{"admin 3: an area new in round 2 has no change", map[string]string{"country": "SSD", "admin_level": "3"}, [][]string{
			{"SSD", "SS01", "SS010101", "1", "1", "50", "", "", "", ""},
			{"SSD", "SS01", "SS010101", "2", "1", "80", "1", "50", "30", "60"},
			{"SSD", "SS01", "SS010102", "1", "1", "100", "", "", "", ""},
			{"SSD", "SS01", "SS010102", "2", "1", "100", "1", "100", "0", "0"},
			{"SSD", "SS02", "SS020101", "1", "1", "150", "", "", "", ""},
			{"SSD", "SS02", "SS020201", "2", "1", "60", "1", "", "", ""},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			expectRows(t, runFigure(t, db, "idp-trend", tc.params), cols, tc.want)
		})
	}
}

func TestFigureSites(t *testing.T) {
	db, _ := openFixture(t)
	cols := []string{"country_iso3", "round", "site_type", "sites", "idp_households", "idp_individuals", "share_pct"}
	expectRows(t, runFigure(t, db, "sites", nil), cols, [][]string{
		{"NGA", "5", "camp", "1", "40", "200", "83.3"},
		{"NGA", "5", "host_community", "1", "10", "40", "16.7"},
		{"SSD", "2", "host_community", "1", "20", "100", "41.7"},
		{"SSD", "2", "camp", "1", "16", "80", "33.3"},
		{"SSD", "2", "collective_centre", "1", "12", "60", "25"},
	})
	expectRows(t, runFigure(t, db, "sites", map[string]string{"round": "1"}), cols, [][]string{
		{"SSD", "1", "camp", "2", "40", "200", "66.7"},
		{"SSD", "1", "host_community", "1", "20", "100", "33.3"},
	})
}

func TestFigureSADD(t *testing.T) {
	db, _ := openFixture(t)
	cols := []string{"country_iso3", "round", "population_group", "sex", "age_min", "age_max", "age_band", "sites", "individuals"}
	expectRows(t, runFigure(t, db, "sadd", nil), cols, [][]string{
		{"NGA", "5", "idp", "f", "0", "4", "0-4", "1", "20"},
		{"NGA", "5", "idp", "f", "5", "59", "5-59", "1", "70"},
		{"NGA", "5", "idp", "f", "60", "", "60+", "1", "10"},
		{"NGA", "5", "idp", "m", "0", "4", "0-4", "1", "20"},
		{"NGA", "5", "idp", "m", "5", "59", "5-59", "1", "70"},
		{"NGA", "5", "idp", "m", "60", "", "60+", "1", "10"},
		{"SSD", "2", "idp", "f", "0", "0", "0-0", "2", "18"},
		{"SSD", "2", "idp", "f", "1", "17", "1-17", "2", "36"},
		{"SSD", "2", "idp", "f", "18", "59", "18-59", "2", "27"},
		{"SSD", "2", "idp", "f", "60", "", "60+", "2", "9"},
		{"SSD", "2", "idp", "m", "0", "0", "0-0", "2", "18"},
		{"SSD", "2", "idp", "m", "1", "17", "1-17", "2", "36"},
		{"SSD", "2", "idp", "m", "18", "59", "18-59", "2", "27"},
		{"SSD", "2", "idp", "m", "60", "", "60+", "2", "9"},
	})
	// Round 4 of Nigeria published no SADD: no rows, not zeros.
	expectRows(t, runFigure(t, db, "sadd", map[string]string{"country": "NGA", "round": "4"}), cols, nil)
}

func TestFigureReasons(t *testing.T) {
	db, _ := openFixture(t)
	cols := []string{"country_iso3", "round", "displacement_reason", "sites", "idp_households", "idp_individuals"}
	expectRows(t, runFigure(t, db, "reasons", nil), cols, [][]string{
		{"NGA", "5", "Insurgency", "2", "50", "240"},
		{"NGA", "5", "Communal clashes", "1", "10", "40"},
		{"SSD", "2", "Conflict", "3", "48", "240"},
		{"SSD", "2", "Flood", "1", "20", "100"},
	})
	expectRows(t, runFigure(t, db, "reasons", map[string]string{"country": "SSD", "round": "1"}), cols, [][]string{
		{"SSD", "1", "Flood", "2", "50", "250"},
		{"SSD", "1", "Conflict", "2", "30", "150"},
	})
}

func TestFigureOrigins(t *testing.T) {
	db, _ := openFixture(t)
	cols := []string{"country_iso3", "round", "origin_admin1_pcode", "origin_admin1_name", "admin1_pcode", "admin2_pcode", "sites", "idp_individuals"}
	expectRows(t, runFigure(t, db, "origins", nil), cols, [][]string{
		{"NGA", "5", "NG002", "Adamawa", "NG008", "", "1", "40"},
		{"NGA", "5", "NG008", "Borno", "NG008", "", "1", "200"},
		{"SSD", "2", "SS03", "Jonglei", "SS01", "", "2", "180"},
		{"SSD", "2", "", "", "SS02", "", "1", "60"},
	})
	expectRows(t, runFigure(t, db, "origins", map[string]string{"country": "SSD", "round": "1", "admin_level": "2"}), cols, [][]string{
		{"SSD", "1", "SS03", "Jonglei", "SS01", "SS0101", "2", "150"},
		{"SSD", "1", "SS07", "Upper Nile", "SS02", "SS0201", "1", "150"},
	})
}
