package transform

import "testing"

func TestPcodeIsPseudo(t *testing.T) {
	for _, c := range []string{"Temp03", "TEMP03", "temp-1", "TEMP-1", "tmp_4", "TMP4", "DTM12", "dtm 12",
		"DTM", "Temp", "NA", "n/a", "", "-", "Not available", "XXX", "000", "0", "OOO", "PSEUDO5",
		"UNKNOWN", "Temporary 7"} {
		if !PcodeIsPseudo(c) {
			t.Errorf("PcodeIsPseudo(%q) = false, want true", c)
		}
	}
	for _, c := range []string{"TD0704", "NG002003", "SS0102", "UA1202003", "IQG01", "TCD07", "SO1101",
		"TM01", "DT12X", "TEMPO12", "DTMA1", "X1"} {
		if PcodeIsPseudo(c) {
			t.Errorf("PcodeIsPseudo(%q) = true, want false", c)
		}
	}
}

func TestPcodeShapeOK(t *testing.T) {
	good := []struct {
		code, iso3 string
		level      int
	}{
		{"TD0704", "TCD", 2}, {"TD07", "TCD", 1}, {"td0704", "tcd", 2}, {" TD0704 ", "TCD", 2},
		{"TCD07", "TCD", 1}, {"NG002003", "NGA", 2}, {"NG002", "NGA", 1}, {"SS0102", "SSD", 2},
		{"UA1202003", "UKR", 2}, {"UA12", "UKR", 1}, {"IQG01", "IRQ", 1}, {"SO1101", "SOM", 2},
		{"TD", "TCD", 0}, {"TCD", "TCD", 0}, {"BI0101", "BDI", 2}, {"CD7204", "COD", 2},
		{"YE1101", "YEM", 2}, {"AF0101", "AFG", 2}, {"HT01", "HTI", 1}, {"SY020000", "SYR", 2},
		{"ABC123", "", 2}, {"AB1", "XYZ", 1}, {"TD0704", "", 2}, {"TD", "", 0}, {"TD0704", "TCD", -1},
	}
	for _, c := range good {
		if !PcodeShapeOK(c.code, c.iso3, c.level) {
			t.Errorf("PcodeShapeOK(%q, %q, %d) = false, want true", c.code, c.iso3, c.level)
		}
	}
	bad := []struct {
		code, iso3 string
		level      int
	}{
		{"NG002003", "TCD", 2}, {"Temp03", "TCD", 2}, {"DTM12", "NGA", 1}, {"TD", "TCD", 1},
		{"TD-0704", "TCD", 2}, {"0704", "TCD", 2}, {"TDABC", "TCD", 2}, {"TD1", "TCD", 2},
		{"TD07", "TCD", 0}, {"", "TCD", 1}, {"T1", "", 1}, {"TD 0704", "", 2}, {"1234", "", 1},
		{"TDÉ12", "TCD", 1}, {"ABC", "", 1},
	}
	for _, c := range bad {
		if PcodeShapeOK(c.code, c.iso3, c.level) {
			t.Errorf("PcodeShapeOK(%q, %q, %d) = true, want false", c.code, c.iso3, c.level)
		}
	}
}

func TestPcodeUnder(t *testing.T) {
	cases := []struct {
		child, parent string
		want          bool
	}{
		{"TD0704", "TD07", true}, {"td0704", "TD07", true}, {"NG002003", "NG002", true},
		{"TD0704", "TD08", false}, {"TD07", "TD07", false}, {"TD07", "TD0704", false},
		{"TD0704", "", false}, {"", "TD07", false}, {"SS0102", "SS01", true},
	}
	for _, c := range cases {
		if got := PcodeUnder(c.child, c.parent); got != c.want {
			t.Errorf("PcodeUnder(%q, %q) = %v, want %v", c.child, c.parent, got, c.want)
		}
	}
}

func TestISO3FromCountry(t *testing.T) {
	cases := map[string]string{
		"Tchad": "TCD", "Chad": "TCD", "TD": "TCD", "tcd": "TCD", "TCD": "TCD", " td ": "TCD",
		"Soudan du Sud": "SSD", "South Sudan": "SSD", "south sudan": "SSD", "SS": "SSD",
		"Nigeria": "NGA", "Nigéria": "NGA", "NG": "NGA", "Niger": "NER", "Sudan": "SDN", "Soudan": "SDN",
		"Côte d'Ivoire": "CIV", "Cote d'Ivoire": "CIV", "Ivory Coast": "CIV",
		"République démocratique du Congo": "COD", "DRC": "COD", "RDC": "COD", "Congo": "COG",
		"Central African Republic": "CAF", "Centrafrique": "CAF", "Ukraine": "UKR", "UA": "UKR",
		"Italy": "ITA", "Italie": "ITA", "Espagne": "ESP", "Spain": "ESP", "France": "FRA",
		"Germany": "DEU", "Allemagne": "DEU", "Greece": "GRC", "Grèce": "GRC", "Libya": "LBY",
		"Libye": "LBY", "Tunisie": "TUN", "Algérie": "DZA", "Maroc": "MAR", "Egypt": "EGY",
		"Saudi Arabia": "SAU", "Arabie saoudite": "SAU", "KSA": "SAU", "Djibouti": "DJI",
		"Ethiopia": "ETH", "Éthiopie": "ETH", "Somalia": "SOM", "Yemen": "YEM", "Yémen": "YEM",
		"Syrian Arab Republic": "SYR", "Iraq": "IRQ", "Afghanistan": "AFG", "Burundi": "BDI",
		"Burkina Faso": "BFA", "Mali": "MLI", "Mozambique": "MOZ", "Haiti": "HTI", "Haïti": "HTI",
		"Cameroun": "CMR", "Türkiye": "TUR", "Turkey": "TUR", "United Kingdom": "GBR",
		"OOO": "OOO", "ooo": "OOO", "unknown": "OOO", "Unknown": "OOO", "inconnu": "OOO",
		"Inconnue": "OOO", "NS/NR": "OOO", "Guinée-Bissau": "GNB", "Guinée": "GIN",
		"Gambia": "GMB", "Senegal": "SEN", "Sénégal": "SEN", "Eritrea": "ERI", "Érythrée": "ERI",
	}
	for in, want := range cases {
		got, ok := ISO3FromCountry(in)
		if !ok || got != want {
			t.Errorf("ISO3FromCountry(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "NA", "n/a", "Atlantis", "XYZ", "Q1", "Chadd", "Sud"} {
		if got, ok := ISO3FromCountry(in); ok {
			t.Errorf("ISO3FromCountry(%q) = %q, want not ok", in, got)
		}
	}
}

func TestCountryIndex(t *testing.T) {
	for _, iso := range []string{"AFG", "BDI", "BFA", "CAF", "CMR", "COD", "ETH", "HTI", "IRQ", "LBY",
		"MLI", "MOZ", "NER", "NGA", "SDN", "SOM", "SSD", "SYR", "TCD", "UKR", "YEM", "ITA", "ESP",
		"FRA", "DEU", "GRC", "TUN", "DZA", "MAR", "EGY", "SAU", "DJI", "JPN", "AUS", "KOR", "KHM", "LAO"} {
		if got, ok := ISO3FromCountry(iso); !ok || got != iso {
			t.Errorf("ISO3FromCountry(%q) = %q, %v", iso, got, ok)
		}
	}
	// Shape checks know the new countries' prefixes too.
	if !PcodeShapeOK("KH0102", "KHM", 2) || PcodeShapeOK("TD0102", "KHM", 2) {
		t.Error("PcodeShapeOK ignores Cambodia's KH prefix")
	}
}
