package transform

import (
	"fmt"
	"github.com/iom-dtm/dtm/transform/cast"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

// populationRouting caches, for one mapping, how population labels and
// p-code prefixes read. Not safe for concurrent use (one converter).
type populationRouting struct {
	byLabel  map[string][2]string // cell -> population, sub-population
	byPrefix map[string]string    // p-code letters -> ISO3 ("" none)
}

func (p *populationRouting) population(raw string) (pop, sub string) {
	if p.byLabel == nil {
		p.byLabel = map[string][2]string{}
	}
	if got, ok := p.byLabel[raw]; ok {
		return got[0], got[1]
	}
	pop, sub = PopulationOf(raw)
	if len(p.byLabel) < 10_000 {
		p.byLabel[raw] = [2]string{pop, sub}
	}
	return pop, sub
}

func (p *populationRouting) countryOf(code string) (string, bool) {
	letters := strings.ToUpper(pcodeLetters(strings.TrimSpace(code)))
	if letters == "" || len(letters) == len(strings.TrimSpace(code)) {
		return "", false
	}
	if p.byPrefix == nil {
		p.byPrefix = map[string]string{}
	}
	iso, seen := p.byPrefix[letters]
	if !seen {
		iso, _ = CountryFromPcode(code)
		if len(p.byPrefix) < 1000 {
			p.byPrefix[strings.Clone(letters)] = iso // letters may point into a reader's recycled rows
		}
	}
	return iso, iso != ""
}

// PopulationOf reads which population a cell names: "idp" (IDPs, PDI,
// Déplacés), "returnee" (Returnees, Retournés; sub "internal" for former
// IDPs, "abroad" for returnees from abroad) or "host" (Host community,
// Communauté hôte); "" when it names none.
func PopulationOf(raw string) (pop, sub string) {
	hm := readHeader(raw)
	if hm.Blocked || len(hm.Unknown) > 1 {
		return "", ""
	}
	return hm.Pop, hm.PopSub
}

// routedField returns the field that counts, for population pop, what the
// IDP field f counts ("idp_individuals", "returnee" -> "returnee_individuals");
// "" when the datasets have no such count.
func routedField(f, pop, sub string) string {
	switch pop {
	case "idp":
		return f
	case "returnee":
		switch f {
		case "idp_individuals":
			switch sub {
			case "internal":
				return "returnee_internal_individuals"
			case "abroad":
				return "returnee_abroad_individuals"
			}
			return "returnee_individuals"
		case "idp_households":
			return "returnee_households"
		}
	case "host":
		switch f {
		case "idp_individuals":
			return "host_individuals"
		case "idp_households":
			return "host_households"
		}
	}
	return ""
}

// routeBareColumns sends the bare count columns to the population the file
// says (its name: "…_returnees_…"), noting it on each column.
func (m *Mapping) routeBareColumns(pop, source string) {
	has := map[string]bool{}
	for _, f := range m.Dataset.Fields {
		has[f.Name] = true
	}
	for i := range m.Columns {
		col := &m.Columns[i]
		if !col.Bare || !bareFields[col.want] {
			continue
		}
		to := routedField(col.want, pop, "")
		if to == "" || !has[to] {
			col.wantNote = joinNote(col.wantNote, fmt.Sprintf("bare count of %s (%s): the dataset has no %s count of that kind; not read", pop, source, pop))
			col.want, col.wantRule = "", RuleUnmapped
			continue
		}
		col.wantNote = joinNote(col.wantNote, fmt.Sprintf("bare count: counts %s, as the %s says", populationWord(pop), source))
		col.want = to
	}
	m.decisions = append(m.decisions, fmt.Sprintf("bare counts (no population in their header) count %s, as the %s says", populationWord(pop), source))
}

func populationWord(pop string) string {
	switch pop {
	case "returnee":
		return "returnees"
	case "host":
		return "the host community"
	}
	return "IDPs"
}

// routePopulation moves the row's bare counts to the population its
// population column names (a "Returnees" row's Individuals are returnees,
// not IDPs). A label naming no population keeps the counts where the file
// put them, with a warning; a count the dataset has no field for in that
// population is emptied with a warning.
func (c *Converter) routePopulation(r ingest.Row, rc *rowContext) {
	pc := c.m.PopulationCol
	if pc < 0 || c.m.Inferred.Population != "idp" {
		return
	}
	col := c.m.Columns[pc]
	raw := cell(r.Cells, col.Index)
	if cast.IsMissing(raw) {
		return
	}
	pop, sub := c.m.routing.population(raw)
	if pop == "" {
		rc.warnf(col.Header, raw, schemas.CodeVocabulary,
			"population: %q names no population (IDPs, returnees, host community); the row's counts are kept as IDPs", strings.TrimSpace(raw))
		return
	}
	if pop == "idp" {
		return
	}
	for i := range c.m.Columns {
		bc := &c.m.Columns[i]
		if !bc.Bare || !bareFields[bc.Field] {
			continue
		}
		src := c.get(bc.Field)
		if src == nil || !src.set {
			continue
		}
		to := routedField(bc.Field, pop, sub)
		dst := c.get(to)
		switch {
		case dst == nil:
			rc.warnf(bc.Header, cell(r.Cells, bc.Index), schemas.CodeConstraintError,
				"%s: this row counts %s (column %q) and %s has no such count; cell left empty",
				bc.Field, populationWord(pop), CleanHeader(col.Header), c.m.Dataset.Name)
		case dst.set:
			rc.warnf(bc.Header, cell(r.Cells, bc.Index), schemas.CodeConstraintError,
				"%s: this row counts %s (column %q) and %s is already given by another column; cell left empty",
				bc.Field, populationWord(pop), CleanHeader(col.Header), to)
		default:
			*dst = *src
		}
		src.reset()
	}
}
