package cast

import "testing"

func TestParseBool(t *testing.T) {
	trues := []string{"1", "yes", "Yes", "YES", "y", "Y", "true", "TRUE", "True", "t", "oui", "Oui",
		"OUI", "vrai", "sí", "Sí", "SÍ", "si", "Si", "x", "X", " x ", "1.0", "o"}
	falses := []string{"0", "no", "No", "NO", "n", "N", "false", "FALSE", "f", "non", "Non", "NON",
		"faux", "0.0", " 0 "}
	for _, s := range trues {
		v, missing, err := ParseBool(s)
		if !v || missing || err != nil {
			t.Errorf("ParseBool(%q) = %v, %v, %v; want true", s, v, missing, err)
		}
	}
	for _, s := range falses {
		v, missing, err := ParseBool(s)
		if v || missing || err != nil {
			t.Errorf("ParseBool(%q) = %v, %v, %v; want false", s, v, missing, err)
		}
	}
	for _, s := range []string{"", " ", "n/a", "NA", "NULL", "-", "nan", "Not available"} {
		v, missing, err := ParseBool(s)
		if v || !missing || err != nil {
			t.Errorf("ParseBool(%q) = %v, %v, %v; want missing", s, v, missing, err)
		}
	}
	for _, s := range []string{"2", "maybe", "yess", "peut-être", "10", "-1", "+", "ja", "nein", "oui non"} {
		v, missing, err := ParseBool(s)
		if v || missing || err == nil {
			t.Errorf("ParseBool(%q) = %v, %v, %v; want error", s, v, missing, err)
		}
	}
}
