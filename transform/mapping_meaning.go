package transform

import (
	"fmt"
	"strings"
)

// meaningFields returns the fields a header meaning names, best first (the
// first one the dataset has is taken), and whether it is a bare count: a
// count of individuals or households that names no population ("Individuals",
// "Total households"), which counts the population the row or the file says.
// It returns nil when the words do not say enough, or say something else
// (an age group, a share, an average, a word not understood in a count).
func meaningFields(m headerMeaning) (fields []string, bare bool) {
	if m.Blocked || m.PopType {
		return nil, false
	}
	switch {
	case (m.Lat || m.Lon) && m.Pop == "" && m.Unit == "" && m.Place == "" && len(m.Unknown) == 0:
		if m.Lat {
			return []string{"latitude"}, false
		}
		return []string{"longitude"}, false
	case m.Round && m.Date == "" && m.Pop == "" && m.Unit == "" && len(m.Unknown) <= 1:
		return []string{"round"}, false
	case m.Date != "" && m.Pop == "" && m.Unit == "" && len(m.Unknown) <= 1:
		switch m.Date {
		case "assessment":
			return []string{"assessment_date", "period_start"}, false
		case "reporting":
			return []string{"reporting_date", "period_start"}, false
		}
		return []string{"reporting_date", "assessment_date", "period_start"}, false
	case m.Reason && (m.Pop == "" || m.Pop == "idp") && m.Unit == "" && len(m.Unknown) == 0:
		return []string{"displacement_reasons", "reasons"}, false
	case m.Origin && m.Place != "":
		if len(m.Unknown) > 1 {
			return nil, false
		}
		switch {
		case m.Place == "country" && m.Role == "code" || m.Place == "country" && m.Role == "" || m.Place == "country" && m.Role == "name":
			return []string{"origin_country"}, false
		case m.Place == "admin" && m.Level == 1 && m.Role == "code":
			return []string{"origin_admin1_pcode"}, false
		case m.Place == "admin" && m.Level == 1:
			return []string{"origin_admin1_name"}, false
		}
		return nil, false
	}
	placeFirst := m.Place != "" && (m.Role != "" || m.Pop == "" && m.Unit == "")
	if !placeFirst && (m.Pop != "" || m.Unit != "" || m.Sex != "" && m.Count) {
		if len(m.Unknown) > 0 || m.Origin {
			return nil, false
		}
		return countFields(m)
	}
	if m.Place == "" || len(m.Unknown) > 1 {
		return nil, false
	}
	switch m.Place {
	case "country":
		if m.Role == "code" {
			return []string{"country_iso3"}, false
		}
		if m.Role == "type" {
			return nil, false
		}
		return []string{"country_name", "admin0_name"}, false
	case "admin":
		lvl := fmt.Sprintf("admin%d", m.Level)
		switch m.Role {
		case "code":
			return []string{lvl + "_pcode"}, false
		case "type":
			return nil, false
		}
		return []string{lvl + "_name"}, false
	case "village", "site":
		switch m.Role {
		case "code":
			return []string{"site_id"}, false
		case "type":
			return []string{"site_type"}, false
		}
		return []string{"site_name"}, false
	}
	return nil, false
}

// countFields resolves a count column by population, unit and sex.
func countFields(m headerMeaning) ([]string, bool) {
	if m.Sex != "" {
		if m.Pop != "" && m.Pop != "idp" || m.Unit == "hh" {
			return nil, false
		}
		if m.Sex == "m" {
			return []string{"idp_males"}, m.Pop == ""
		}
		return []string{"idp_females"}, m.Pop == ""
	}
	switch m.Pop {
	case "idp":
		if m.Unit == "hh" {
			return []string{"idp_households"}, false
		}
		return []string{"idp_individuals"}, false
	case "returnee":
		switch {
		case m.Unit == "hh":
			if m.PopSub != "" {
				return nil, false
			}
			return []string{"returnee_households"}, false
		case m.PopSub == "internal":
			return []string{"returnee_internal_individuals"}, false
		case m.PopSub == "abroad":
			return []string{"returnee_abroad_individuals"}, false
		}
		return []string{"returnee_individuals"}, false
	case "host":
		if m.Unit == "hh" {
			return []string{"host_households"}, false
		}
		return []string{"host_individuals"}, false
	}
	switch m.Unit {
	case "hh":
		return []string{"idp_households"}, true
	case "ind":
		return []string{"idp_individuals", "individuals"}, true
	}
	return nil, false
}

// saysSomething reports a label with a word of meaning (population, unit,
// sex, place, date, round, reason, age or share words) or a word not
// understood; count words alone ("Total") say nothing.
func (m headerMeaning) saysSomething() bool {
	return m.Pop != "" || m.Unit != "" || m.Sex != "" || m.Place != "" || m.Date != "" || m.Round ||
		m.Reason || m.PopType || m.Blocked || m.Lat || m.Lon || len(m.Unknown) > 0
}

// describe renders what the words of a header say, for notes and `dtm
// inspect` ("IDP individuals", "admin 1 (state) code").
func (m headerMeaning) describe() string {
	var parts []string
	switch {
	case m.PopType:
		parts = append(parts, "which population the row counts")
	case m.Pop != "" || m.Unit != "" || m.Sex != "":
		pop := map[string]string{"idp": "IDP", "returnee": "returnee", "host": "host community"}[m.Pop]
		if m.PopSub == "internal" {
			pop += " (former IDPs)"
		} else if m.PopSub == "abroad" {
			pop += " (from abroad)"
		}
		if pop == "" {
			pop = "no population named"
		}
		parts = append(parts, pop)
		if m.Sex != "" {
			parts = append(parts, map[string]string{"m": "males", "f": "females"}[m.Sex])
		}
		switch m.Unit {
		case "ind":
			parts = append(parts, "individuals")
		case "hh":
			parts = append(parts, "households")
		}
	case m.Place != "":
		p := m.Place
		if m.Place == "admin" {
			p = fmt.Sprintf("admin %d", m.Level)
			if !m.Explicit {
				p += fmt.Sprintf(" (%s, by its usual level)", m.PlaceKey)
			}
		}
		parts = append(parts, p)
		if m.Role != "" {
			parts = append(parts, m.Role)
		}
	case m.Date != "":
		parts = append(parts, m.Date+" date")
	case m.Round:
		parts = append(parts, "round")
	}
	s := strings.Join(parts, ", ")
	if len(m.Unknown) > 0 {
		s += fmt.Sprintf("; word %q not understood", strings.Join(m.Unknown, " "))
	}
	return s
}

// byMeaning maps a header by the meaning of its words (headerMeaning), then,
// for a label joined from a two-row header ("Family size / Total
// individuals"), by its parts, the sub-label first. It returns the field,
// whether it is a bare count, and a note saying what was read.
func byMeaning(header string, ix *fieldIndex) (field string, bare bool, note string, ok bool) {
	try := func(label string) (string, bool, string, bool) {
		hm := readHeader(label)
		cands, bare := meaningFields(hm)
		for _, f := range cands {
			if ix.has[f] {
				return f, bare && bareFields[f], fmt.Sprintf("read by its words as %s", hm.describe()), true
			}
		}
		return "", false, "", false
	}
	if f, b, n, ok := try(header); ok {
		return f, b, n, true
	}
	// Parts: the sub-label first; the group label only when the sub-label
	// says nothing of its own ("Family size / Males" is not a count of
	// individuals: its sub-label names a sex the dataset has no field for).
	for _, part := range headerSplitParts(CleanHeader(header)) {
		for _, k := range HeaderKeys(part) {
			if f, ok := ix.alias[k]; ok {
				hm := readHeader(part)
				return f, isBareCount(f, hm), fmt.Sprintf("two-row header: mapped by its part %q", part), true
			}
		}
		if f, b, n, ok := try(part); ok {
			return f, b, fmt.Sprintf("two-row header: part %q %s", part, n), true
		}
		if readHeader(part).saysSomething() {
			break
		}
	}
	return "", false, "", false
}

// bareFields are the fields a bare count maps to (counts of IDPs by
// default: the population the row or file says replaces it).
var bareFields = map[string]bool{"idp_individuals": true, "idp_households": true, "idp_males": true, "idp_females": true}

// isBareCount reports a count column mapped to an IDP field whose header
// names no population ("Individuals", "Households", "Male").
func isBareCount(field string, hm headerMeaning) bool {
	return bareFields[field] && hm.Pop == "" && !hm.PopType
}
