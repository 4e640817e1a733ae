package transform

import (
	"math/rand/v2"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform/cast"
)

// isTotalsRowRef is isTotalsRow as first written (no caches), the
// reference of the cached one.
func isTotalsRowRef(c *Converter, cells []string) bool {
	label := ""
	for i, s := range cells {
		s = cast.Trim(s)
		if s == "" {
			continue
		}
		if _, field := c.columnAt(i); field == "country_iso3" || field == "country_name" {
			if _, known := ISO3FromCountry(s); known || len(s) == 3 && isUpperAlpha(s) {
				continue
			}
		}
		if _, missing, err := cast.ParseFloat(s); err == nil || missing {
			continue
		}
		label = s
		break
	}
	if label == "" || len(label) > 24 || !totalsLabels[NormalizeLabel(label)] {
		return false
	}
	for i, s := range cells {
		_, field := c.columnAt(i)
		if f, ok := c.m.Dataset.Field(field); !ok || !f.PlaceCode {
			continue
		}
		if s = cast.Trim(s); s != "" && !cast.IsMissing(s) && !totalsLabels[NormalizeLabel(s)] {
			return false
		}
	}
	return true
}

// TestTotalsMemoMatchesReference: on random rows of totals labels, names,
// numbers, countries and missing tokens, repeated so that the caches
// answer, and past the caches' bounds, isTotalsRow answers as the
// uncached reference does.
func TestTotalsMemoMatchesReference(t *testing.T) {
	cols := []string{"Country", "Country Code", "Admin 1 Pcode", "Site Name", "IDP Individuals"}
	m, err := Map(ingest.Header{File: "f.csv", Columns: cols}, schemas.SiteAssessment(), MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := NewConverter(m, Provenance{File: "f.csv"}, Options{})
	defer c.Release()
	words := []string{"", " ", "Total", "TOTAL ", "Grand total", "Total général", "Totaux", "Somme", "Chad", "TCD",
		"tcd", "XYZ", "Unknown", "N/A", "-", "12", "1,234", "3.5", "Alpha", "Sum", "TD07", "total général",
		"Totals row of the file here", "#N/A", "0"}
	rng := rand.New(rand.NewPCG(1, 2))
	n := 0
	for i := range 5000 {
		cells := make([]string, 1+rng.IntN(len(cols)+1))
		for j := range cells {
			cells[j] = words[rng.IntN(len(words))]
			if i > 2500 && j == 3 {
				cells[j] = "Site " + string(rune('A'+rng.IntN(26))) + string(rune('a'+i%26)) + string(rune('0'+i%10)) // fills the caches
			}
		}
		got, want := c.isTotalsRow(cells), isTotalsRowRef(c, cells)
		if got != want {
			t.Fatalf("isTotalsRow(%q) = %v, reference %v", cells, got, want)
		}
		if got {
			n++
		}
	}
	if n == 0 {
		t.Fatal("no totals row among the random rows: the test does not test")
	}
	for i, byCell := range c.totalsMemo.skips {
		if byCell.len() > totalsMemoMax {
			t.Errorf("column %d: %d cells cached, bound %d", i, byCell.len(), totalsMemoMax)
		}
	}
}
