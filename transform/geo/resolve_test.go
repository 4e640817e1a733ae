package geo

import (
	"errors"
	"testing"
)

func TestResolve(t *testing.T) {
	c := New()
	ok := map[string]string{
		"SSD": "SSD", "ssd": "SSD", " tcd ": "TCD", "SS": "SSD", "South Sudan": "SSD", "south  sudan": "SSD",
		"Tchad": "TCD", "Chad": "TCD", "Democratic Republic of the Congo": "COD", "République centrafricaine": "CAF",
		"Cote d'Ivoire": "CIV", "Côte d’Ivoire": "CIV", "XKX": "XKX", "Kosovo": "XKX", "AAA": "AAA", "": "",
		"Nigeria": "NGA", "Soudan du Sud": "SSD", "QMZ": "QMZ",
	}
	for in, want := range ok {
		got, err := c.Resolve(in)
		if err != nil || got != want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"SDD", "XY", "UN", "EU", "../../etc/passwd", "South Sudann", "ZZ", "12", "unknown", "OOO", "QAA"} {
		if got, err := c.Resolve(in); !errors.Is(err, ErrUnknownCountry) {
			t.Errorf("Resolve(%q) = %q, %v; want ErrUnknownCountry", in, got, err)
		}
	}
}
