package transform

import (
	"fmt"
	"sort"
	"strings"
)

// requiredHint is the message of a required field left empty: for the
// country, "pass --country" only when no country was given; for another
// field, the field and the column override that would supply it.
func (c *Converter) requiredHint(field, header string) string {
	if header != "" {
		return fmt.Sprintf("required value %s is empty", field)
	}
	if field == "country_iso3" {
		if c.opts.Country == "" {
			return "required value country_iso3: no column of the file gives the country and none was inferred from p-codes or the file name; pass --country ISO3 (or the job source's country:)"
		}
		return "required value country_iso3 is empty"
	}
	return fmt.Sprintf("required value %s: no column of the file maps to it; name its column with --column 'HEADER=%s' (or the job source's columns: HEADER: %s)", field, field, field)
}

// headlineFields are, per dataset, the counts without which a file has
// nothing to say: at least one column must map to one of them.
var headlineFields = map[string][]string{
	"site_assessment":    {"idp_individuals", "idp_households", "returnee_individuals", "returnee_households", "returnee_internal_individuals", "returnee_abroad_individuals"},
	"displacement_admin": {"idp_individuals"},
	"flow_registry":      {"individuals"},
}

// CheckHeadline returns an error when no column maps to the dataset's
// headline measure (an IDP or returnee count for site and admin files,
// individuals for a flow registry): such a file would load with empty
// figures. The error names the columns seen and the closest candidates.
func (m *Mapping) CheckHeadline() error {
	want, ok := headlineFields[m.Dataset.Name]
	if !ok {
		return nil
	}
	for _, f := range want {
		if _, ok := m.fieldCol[f]; ok {
			return nil
		}
	}
	var seen, close []string
	type cand struct {
		h     string
		score int
	}
	var cands []cand
	for _, c := range m.Columns {
		h := CleanHeader(c.Header)
		if h == "" {
			continue
		}
		seen = append(seen, fmt.Sprintf("%q", h))
		if c.Field != "" {
			continue
		}
		hm := readHeader(c.Header)
		score := 0
		if hm.Pop != "" {
			score += 2
		}
		if hm.Unit != "" {
			score += 2
		}
		if hm.Count {
			score++
		}
		if score > 0 {
			cands = append(cands, cand{fmt.Sprintf("%q (%s)", h, hm.describe()), score})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	for i, c := range cands {
		if i == 3 {
			break
		}
		close = append(close, c.h)
	}
	msg := fmt.Sprintf("no column maps to the headline count of %s (%s): nothing would be counted. Columns seen: %s",
		m.Dataset.Name, strings.Join(want, ", "), strings.Join(seen, ", "))
	if len(close) > 0 {
		msg += ". Closest: " + strings.Join(close, ", ")
	} else {
		msg += ". No column reads as a count"
	}
	return fmt.Errorf("%s; name the count column with --column 'HEADER=%s' (or the job source's columns)", msg, want[0])
}

// Decisions returns the remarks on the whole mapping: the population bare
// counts count and which column says it per row, and where the country and
// round come from when no column gives them.
func (m *Mapping) Decisions() []string {
	out := append([]string(nil), m.decisions...)
	if m.PopulationCol >= 0 {
		col := m.Columns[m.PopulationCol]
		var bare []string
		for _, c := range m.Columns {
			if c.Bare && c.Field != "" {
				bare = append(bare, fmt.Sprintf("%q", CleanHeader(c.Header)))
			}
		}
		if len(bare) > 0 {
			out = append(out, fmt.Sprintf("column %q says which population each row counts: the bare counts %s go to that population row by row", CleanHeader(col.Header), strings.Join(bare, ", ")))
		} else {
			out = append(out, fmt.Sprintf("column %q says which population each row counts, but no count column is bare (every count names its population): it changes nothing", CleanHeader(col.Header)))
		}
	} else {
		for _, c := range m.Columns {
			if c.Bare && c.Field != "" && m.Inferred.Population == "idp" {
				out = append(out, fmt.Sprintf("column %q names no population and no column or file name says one: counted as %s", CleanHeader(c.Header), c.Field))
			}
		}
	}
	if m.needsCountry() && m.Inferred.Country != "" {
		out = append(out, m.countryNote())
	}
	if _, ok := m.fieldCol["round"]; !ok && m.Inferred.RoundSource != "" && m.hasField("round") {
		out = append(out, fmt.Sprintf("round %d read from the %s (no round column)", m.Inferred.Round, m.Inferred.RoundSource))
	}
	if m.hasField("admin_level") {
		if _, ok := m.fieldCol["admin_level"]; !ok {
			out = append(out, "admin_level from the finest admin column filled in each row (0, a national figure, when there is none)")
		}
	}
	return out
}

func (m *Mapping) hasField(name string) bool {
	for _, f := range m.Dataset.Fields {
		if f.Name == name {
			return true
		}
	}
	return false
}
