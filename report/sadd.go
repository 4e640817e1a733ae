package report

import (
	"fmt"
	"sort"
	"strings"
)

// maxPyramids caps the population pyramids (largest populations first).
const maxPyramids = 6

// saddCell is one row of figure sadd.
type saddCell struct {
	sex                string
	ageMin, ageMax     int64
	open               bool // no upper bound (60+)
	band               string
	sites, individuals int64
	hasCount           bool
}

// pyramid is the cells of one country and population group.
type pyramid struct {
	country, group string
	round          int64
	hasRound       bool
	cells          []saddCell
	total          int64
}

// saddSection is a population pyramid per country and population group
// from figure sadd: the bands exactly as published, never re-binned.
func (b *builder) saddSection() (Section, error) {
	sec := Section{ID: "sadd", Title: "Who the IDPs are: sex and age",
		Intro: "Sex and age disaggregated data (SADD) as published: each band is the one in the source files; bands are never merged or split."}
	res, err := b.roundFigure("sadd")
	if err != nil {
		return sec, err
	}
	f, err := newFrame("figure sadd", res, "country_iso3", "round", "population_group", "sex", "age_min", "age_max", "age_band", "sites", "individuals")
	if err != nil {
		return sec, err
	}
	var pyrs []*pyramid
	idx := map[string]*pyramid{}
	for i := range f.len() {
		key := f.str(i, "country_iso3") + "\x00" + f.str(i, "population_group")
		p := idx[key]
		if p == nil {
			p = &pyramid{country: f.str(i, "country_iso3"), group: f.str(i, "population_group")}
			p.round, p.hasRound = f.int(i, "round")
			idx[key] = p
			pyrs = append(pyrs, p)
		}
		c := saddCell{sex: f.str(i, "sex"), band: f.str(i, "age_band")}
		c.ageMin, _ = f.int(i, "age_min")
		c.ageMax, c.open = f.int(i, "age_max")
		c.open = !c.open
		c.sites, _ = f.int(i, "sites")
		c.individuals, c.hasCount = f.int(i, "individuals")
		p.cells = append(p.cells, c)
		p.total += c.individuals
	}
	if len(pyrs) == 0 {
		sec.Notes = append(sec.Notes, "No sex and age disaggregated counts in the site assessment rows of this scope.")
		return sec, nil
	}
	sort.SliceStable(pyrs, func(i, j int) bool { return pyrs[i].total > pyrs[j].total })
	if len(pyrs) > maxPyramids {
		sec.Notes = append(sec.Notes, fmt.Sprintf("The %d largest of %d populations are shown; choose a country for the others.", maxPyramids, len(pyrs)))
		pyrs = pyrs[:maxPyramids]
	}
	for n, p := range pyrs {
		src, err := b.sourcesIn(siteRound, p.country)
		if err != nil {
			return sec, err
		}
		sec.Charts = append(sec.Charts, b.pyramidChart(n, p, src))
	}
	return sec, nil
}

// bandKey orders bands: by lower bound, then upper bound, open last.
type bandKey struct {
	min, max int64
	open     bool
	label    string
}

func (b *builder) pyramidChart(n int, p *pyramid, src []string) Chart {
	bands := map[bandKey]int{}
	var keys []bandKey
	for _, c := range p.cells {
		k := bandKey{min: c.ageMin, max: c.ageMax, open: c.open, label: c.band}
		if _, ok := bands[k]; !ok {
			bands[k] = 0
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, c := keys[i], keys[j]
		if a.min != c.min {
			return a.min < c.min
		}
		if a.open != c.open {
			return !a.open
		}
		return a.max < c.max
	})
	labels := make([]string, len(keys))
	for i, k := range keys {
		bands[k] = i
		labels[i] = k.label
	}
	males := make([]*float64, len(keys))
	females := make([]*float64, len(keys))
	other := map[string]bool{}
	t := Table{Columns: []Column{col("age_band", "Age band"), ncol("age_min", "From age"), ncol("age_max", "To age"),
		col("sex", "Sex"), ncol("sites", "Sites"), ncol("individuals", "Individuals")}}
	for _, c := range p.cells {
		i := bands[bandKey{min: c.ageMin, max: c.ageMax, open: c.open, label: c.band}]
		v := val(float64(c.individuals))
		if !c.hasCount {
			v = nil
		}
		switch strings.ToLower(c.sex) {
		case "m", "male":
			males[i] = v
		case "f", "female":
			females[i] = v
		default:
			other[orNot(c.sex)] = true
		}
		t.add(text(c.band), num(c.ageMin), opt(c.ageMax, !c.open), text(c.sex), num(c.sites), opt(c.individuals, c.hasCount))
	}
	var notes []string
	if overlapping(keys) {
		notes = append(notes, "Some bands overlap: the sources publish different age bands. Each is drawn as published; they are not re-binned, so overlapping bars count different sites.")
	}
	if len(other) > 0 {
		var s []string
		for k := range other {
			s = append(s, k)
		}
		sort.Strings(s)
		notes = append(notes, "Counts of sex "+strings.Join(s, ", ")+" are in the table, not in the pyramid.")
	}
	round := "latest round"
	if p.hasRound {
		round = fmt.Sprintf("round %d", p.round)
	}
	return Chart{
		ID:    fmt.Sprintf("sadd-%d", n+1),
		Title: fmt.Sprintf("Population by sex and age, %s, %s, %s", p.country, groupName(p.group), round),
		Units: "individuals by age band (years)", From: "figure sadd", Dataset: "site_assessment", Sources: src, Notes: notes, Table: t,
		Option: pyramidOption(labels, males, females), AbsValues: true, Height: hbarHeight(len(labels), 2),
	}
}

// overlapping reports whether sorted bands overlap (a band starts at or
// below the end of the one before, or after an open band).
func overlapping(keys []bandKey) bool {
	for i := 1; i < len(keys); i++ {
		prev := keys[i-1]
		if prev.open || keys[i].min <= prev.max {
			return true
		}
	}
	return false
}

// groupName names a SADD population group for titles ("idp" -> "IDPs").
func groupName(g string) string {
	switch g {
	case "idp":
		return "IDPs"
	case "returnee", "returnees":
		return "returnees"
	}
	return g
}
