package report

import (
	"fmt"
	"strings"

	"github.com/iom-dtm/dtm/query"
)

// surveyDimensions are the dimensions of figure survey-profile, in order,
// with their titles.
var surveyDimensions = []struct{ name, title string }{
	{"sex", "sex"}, {"age_band", "age band"}, {"nationality", "nationality"}, {"reason", "reason for travel"},
}

// surveySection is the flow monitoring survey profile (figure
// survey-profile), small-cell suppressed exactly as `dtm export` does with
// the report's min-cell: a suppressed count is neither drawn nor printed.
func (b *builder) surveySection() (Section, error) {
	sec := Section{ID: "survey", Title: "Flow monitoring survey respondents",
		Intro: fmt.Sprintf("Survey counts are small-cell suppressed: counts below %d, and the counts that would reveal them, are withheld (\"suppressed\").", b.opt.MinCell)}
	res, err := b.runFigure("survey-profile", nil)
	if err != nil {
		return sec, err
	}
	f, err := newFrame("figure survey-profile", res, "country_iso3", "dimension", "category", "respondents", query.SuppressedColumn)
	if err != nil {
		return sec, err
	}
	if f.len() == 0 {
		s := "No flow monitoring survey rows"
		if b.opt.Country != "" {
			s += " for " + b.opt.Country
		}
		sec.Notes = append(sec.Notes, s+" in this warehouse generation.")
		return sec, nil
	}
	src, err := b.sourcesOf(flowSurvey)
	if err != nil {
		return sec, err
	}
	for _, d := range surveyDimensions {
		if ch := b.surveyChart(f, d.name, d.title, src); ch != nil {
			sec.Charts = append(sec.Charts, *ch)
		}
	}
	return sec, nil
}

// surveyChart is one dimension's bars (one series per country); nil when
// the dimension has no rows. The chart is table-only when every count is
// suppressed.
func (b *builder) surveyChart(f *frame, dim, title string, src []string) *Chart {
	t := Table{Columns: []Column{col("country_iso3", "Country"), col("category", title), ncol("respondents", "Respondents")}}
	var cats, countries []string
	ci, ki := map[string]int{}, map[string]int{}
	type cell struct {
		country, cat string
		n            int64
		ok           bool
	}
	var cells []cell
	suppressed := 0
	for i := range f.len() {
		if f.str(i, "dimension") != dim {
			continue
		}
		c := cell{country: f.str(i, "country_iso3"), cat: f.str(i, "category")}
		c.n, c.ok = f.int(i, "respondents")
		cellOut := opt(c.n, c.ok)
		if !c.ok {
			cellOut = Cell{Suppressed: true}
			suppressed++
		}
		t.add(text(c.country), text(c.cat), cellOut)
		if c.cat == "total" {
			continue
		}
		if _, ok := ci[c.cat]; !ok {
			ci[c.cat] = len(cats)
			cats = append(cats, c.cat)
		}
		if _, ok := ki[c.country]; !ok {
			ki[c.country] = len(countries)
			countries = append(countries, c.country)
		}
		cells = append(cells, c)
	}
	if len(t.Rows) == 0 {
		return nil
	}
	ss := make([]series, len(countries))
	for i, c := range countries {
		ss[i] = series{name: c, values: make([]*float64, len(cats))}
	}
	drawable := false
	for _, c := range cells {
		if c.ok {
			ss[ki[c.country]].values[ci[c.cat]] = val(float64(c.n))
			drawable = true
		}
	}
	notes := []string{}
	if suppressed > 0 {
		notes = append(notes, fmt.Sprintf("%d counts suppressed (min-cell %d): their bars are missing.", suppressed, b.opt.MinCell))
	}
	if dim == "reason" {
		notes = append(notes, "A respondent may give several reasons; the reasons do not add up to the respondents.")
	}
	ch := &Chart{
		ID: "survey-" + strings.ReplaceAll(dim, "_", "-"), Title: "Survey respondents by " + title, Units: "respondents",
		From:    fmt.Sprintf("figure survey-profile (dimension %s, min-cell %d)", dim, b.opt.MinCell),
		Dataset: "flow_survey", Sources: src, Notes: notes, Table: t, Height: hbarHeight(len(cats), len(ss)),
	}
	if drawable {
		ch.Option = hbarOption(cats, ss, "respondents", false)
	} else {
		ch.Notes = append(ch.Notes, "Every count is suppressed: nothing to draw.")
	}
	return ch
}
