package transform

import (
	"fmt"
	"github.com/iom-dtm/dtm/transform/cast"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
)

// Refine checks the mapping against the first data rows and corrects what
// the header alone cannot settle: which column holds site types and which
// says the row's population (by their values), the admin level of each
// place column (by p-code lengths), name and code columns swapped, and the
// country (from the p-codes, when no column or option gives it). It runs
// once per mapping (later calls return nil) and returns a note per decision.
func (m *Mapping) Refine(sample []ingest.Row) []string {
	if m.refined {
		return nil
	}
	m.refined = true
	var notes []string
	notes = append(notes, m.settleMonthColumns(sample)...)
	notes = append(notes, m.chooseTypeColumns(sample)...)
	m.settleAdminLevels(sample)
	m.resolve()
	notes = append(notes, m.FixSwappedAdmin(sample)...)
	notes = append(notes, m.settleDuplicateColumns(sample)...)
	m.noteBareColumns()
	if m.needsCountry() {
		before := m.Inferred.Country
		m.inferCountryFromSample(sample)
		if m.Inferred.Country != "" && m.Inferred.Country != before {
			notes = append(notes, m.countryNote())
		}
	}
	return notes
}

// noteBareColumns says on each bare count column what it will count.
func (m *Mapping) noteBareColumns() {
	for i := range m.Columns {
		col := &m.Columns[i]
		if !col.Bare || col.Field == "" {
			continue
		}
		switch {
		case m.PopulationCol >= 0 && m.Inferred.Population == "idp":
			col.Note = joinNote(col.Note, fmt.Sprintf("bare count (names no population): counts the population column %q names on each row", CleanHeader(m.Columns[m.PopulationCol].Header)))
		case m.Inferred.PopulationSource == "":
			col.Note = joinNote(col.Note, "bare count (names no population): no column or file name says one, counted as IDPs")
		}
	}
}

// needsCountry reports a dataset with a country field that no column and
// no run option fills.
func (m *Mapping) needsCountry() bool {
	if m.noInference {
		return false
	}
	has := false
	for _, f := range m.Dataset.Fields {
		has = has || f.Name == "country_iso3"
	}
	if !has {
		return false
	}
	for _, f := range []string{"country_iso3", "country_name", "admin0_name"} {
		if _, ok := m.fieldCol[f]; ok {
			return false
		}
	}
	return true
}

func (m *Mapping) countryNote() string {
	return fmt.Sprintf("country %s inferred from the %s (no country column; pass --country to set it)", m.Inferred.Country, m.Inferred.CountrySource)
}

// typeStats counts how a column's sample values read: n values, site of
// them site types, pop populations, both of them both ("Host community" is
// a site type and a population).
type typeStats struct{ n, site, pop, both int }

// saysPopulation reports whether the values read as the row's population
// rather than as a site type: most are populations, and more are only
// populations than only site types (a host-community value proves neither).
func (st typeStats) saysPopulation() bool {
	return st.pop*10 >= st.n*6 && st.pop-st.both > st.site-st.both
}

func typeStatsOf(sample []ingest.Row, col int) typeStats {
	var st typeStats
	for _, r := range sample {
		v := strings.TrimSpace(cell(r.Cells, col))
		if v == "" || cast.IsMissing(v) || IsDontKnow(v) {
			continue
		}
		st.n++
		c, ok := NormalizeSiteType(v)
		site := ok && c != "other"
		p, _ := PopulationOf(v)
		if site {
			st.site++
		}
		if p != "" {
			st.pop++
		}
		if site && p != "" {
			st.both++
		}
	}
	return st
}

// chooseTypeColumns decides, by their values, between the columns whose
// header could be the site type ("Location_type", "Site Type", "Type"):
// a column whose values are mostly populations (IDPs, Returnees) says the
// row's population; of the others, the one with the most site-type values
// feeds site_type.
func (m *Mapping) chooseTypeColumns(sample []ingest.Row) []string {
	if len(sample) == 0 {
		return nil
	}
	var notes []string
	var siteCands []int
	for i := range m.Columns {
		col := &m.Columns[i]
		if col.wantRule == RuleOverride || col.wantRule == RuleHXL {
			continue
		}
		hm := readHeader(col.Header)
		isCand := col.want == "site_type" || col.wantRule == RulePopulation ||
			col.wantRule == RuleUnmapped && hm.Role == "type" && hm.Pop == "" && hm.Unit == ""
		if !isCand {
			continue
		}
		st := typeStatsOf(sample, col.Index)
		if st.n == 0 {
			continue
		}
		if st.saysPopulation() {
			if col.wantRule != RulePopulation {
				col.want, col.wantRule = "", RulePopulation
				col.wantNote = fmt.Sprintf("its values are populations (%d of %d sampled: IDPs, returnees…): it says which population the row counts, and the row's bare counts go to that population", st.pop, st.n)
				notes = append(notes, fmt.Sprintf("column %q says which population each row counts (by its values)", CleanHeader(col.Header)))
			}
			continue
		}
		if col.wantRule == RulePopulation {
			continue // the header says so; values that are no population are warned per row
		}
		siteCands = append(siteCands, i)
	}
	best, bestShare := -1, -1.0
	shares := map[int]typeStats{}
	for _, i := range siteCands {
		st := typeStatsOf(sample, m.Columns[i].Index)
		shares[i] = st
		share := float64(st.site) / float64(st.n)
		if share > bestShare {
			best, bestShare = i, share
		}
	}
	if best < 0 {
		return notes
	}
	if bestShare < 0.5 && m.Columns[best].want != "site_type" {
		return notes // no column's values are site types
	}
	bc := &m.Columns[best]
	if len(siteCands) > 1 || bc.want != "site_type" {
		st := shares[best]
		bc.want, bc.wantRule = "site_type", RuleMeaning
		bc.wantNote = joinNote(bc.wantNote, fmt.Sprintf("site type chosen by its values: %d of %d sampled values are site types", st.site, st.n))
	}
	for _, i := range siteCands {
		if i == best {
			continue
		}
		col := &m.Columns[i]
		if col.want == "site_type" {
			st := shares[i]
			col.want, col.wantRule = "", RuleUnmapped
			col.wantNote = fmt.Sprintf("not the site type: %d of %d sampled values are site types; column %q has more", st.site, st.n, CleanHeader(bc.Header))
		}
	}
	return notes
}

// settleMonthColumns checks the date columns named by a month or period
// word ("Mois", "Month", "Période"): their values are dates ("janv.-2023",
// "2013-06") or months without a year (1-12 or month names "janvier",
// beside a Year column). Month numbers would read as Excel serials of
// January 1900 and month names as no date: such a column feeds
// month_reporting_date where the dataset has it (parseIntCell reads the
// names), else nothing, with a note.
func (m *Mapping) settleMonthColumns(sample []ingest.Row) []string {
	var notes []string
	has := map[string]bool{}
	for _, f := range m.Dataset.Fields {
		has[f.Name] = true
	}
	for i := range m.Columns {
		col := &m.Columns[i]
		if col.wantRule != RuleMeaning || !readHeader(col.Header).Month {
			continue
		}
		n, months := 0, 0
		for _, r := range sample {
			v := strings.TrimSpace(cell(r.Cells, col.Index))
			if v == "" || cast.IsMissing(v) {
				continue
			}
			n++
			if k, ok := cast.Digits(v); ok && k >= 1 && k <= 12 || cast.MonthNumber(v) > 0 {
				months++
			}
		}
		if n == 0 || months != n {
			continue
		}
		why := fmt.Sprintf("its values are months without a year (numbers 1-12 or month names: %d of %d sampled), not dates", months, n)
		if has["month_reporting_date"] {
			col.want, col.wantNote = "month_reporting_date", why
		} else {
			col.want, col.wantRule, col.wantNote = "", RuleUnmapped, why+"; not read"
		}
		notes = append(notes, fmt.Sprintf("column %q: %s", CleanHeader(col.Header), why))
	}
	return notes
}
