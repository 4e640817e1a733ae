package report

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/iom-dtm/dtm/query"
)

//go:embed assets/echarts.common.min.js
var echartsJS string

// EChartsVersion is the version of the embedded Apache ECharts build
// (assets/README.md).
const EChartsVersion = "6.1.0"

//go:embed web/report.html.tmpl
var pageTemplate string

//go:embed web/report.css
var pageCSS string

//go:embed web/report.js
var pageJS string

var page = template.Must(template.New("report").Parse(pageTemplate))

// maxSourcesShown caps the source files listed under a chart.
const maxSourcesShown = 10

// Render builds the report of db's committed state and writes it to w as
// one self-contained HTML5 page: styles, the ECharts library, the chart
// options and the script that draws them are inline, so the page loads
// nothing from the network (open it from disk, mail it, serve it).
//
// Contract:
//   - Everything is computed (Build) before the first byte is written: on
//     error nothing is written, so an HTTP handler can still answer 500.
//   - The output depends only on db's generation and opts: the same
//     generation and options give the same bytes when opts.GeneratedAt is
//     zero (a server may use the generation as its cache key and ETag).
//   - Errors wrap ErrBadOptions for bad options (a usage error, HTTP 400),
//     or the query error that failed, or the writer's error.
//   - db is only read; Render may be called concurrently on one db.
func Render(ctx context.Context, db *query.DB, opts Options, w io.Writer) error {
	r, err := Build(ctx, db, opts)
	if err != nil {
		return err
	}
	return Write(r, w)
}

// Write writes a built report as HTML (see Render).
func Write(r *Report, w io.Writer) error {
	v, err := newPageView(r)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := page.Execute(bw, v); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	return nil
}

// pageView is what the template reads.
type pageView struct {
	Title, Scope, Committed, RunID, GeneratedAt string
	Generation                                  int64
	Sections                                    []sectionView
	CSS                                         template.CSS
	ECharts, InitJS, ChartsJSON                 template.JS
	EChartsVersion                              string
}

type sectionView struct {
	ID, Title, Intro string
	Stats            []Stat
	Notes            []string
	Charts           []chartView
}

type chartView struct {
	ID, Title, Units, From, Dataset string
	Notes                           []string
	Sources                         []string
	SourceCount, MoreSources        int
	Drawn                           bool
	Height                          int
	Columns                         []Column
	Rows                            [][]cellView
	RowCount                        int
	CSV                             template.URL
	FileName                        string
}

type cellView struct{ Text, Class string }

// chartSpec is one chart's entry in the page's #dtm-charts JSON.
type chartSpec struct {
	Option map[string]any `json:"option"`
	Abs    bool           `json:"abs,omitempty"`
}

func newPageView(r *Report) (*pageView, error) {
	v := &pageView{
		Title:          "DTM displacement report",
		Generation:     r.Generation.Number,
		RunID:          r.Generation.RunID,
		CSS:            template.CSS(pageCSS),
		ECharts:        template.JS(echartsJS),
		InitJS:         template.JS(pageJS),
		EChartsVersion: EChartsVersion,
	}
	scope := "every country"
	if r.Scope.Country != "" {
		scope = r.Scope.Country
		v.Title += " — " + r.Scope.Country
	}
	if r.Scope.Round > 0 {
		scope += fmt.Sprintf(", round %d", r.Scope.Round)
	} else {
		scope += ", latest round of each country"
	}
	v.Scope = scope
	if !r.Generation.CommittedAt.IsZero() {
		v.Committed = r.Generation.CommittedAt.UTC().Format(time.RFC3339)
	}
	if !r.GeneratedAt.IsZero() {
		v.GeneratedAt = r.GeneratedAt.UTC().Format(time.RFC3339)
	}
	specs := map[string]chartSpec{} // drawn charts by id
	seen := map[string]bool{}
	for _, s := range r.Sections {
		sv := sectionView{ID: s.ID, Title: s.Title, Intro: s.Intro, Stats: s.Stats, Notes: s.Notes}
		for _, c := range s.Charts {
			if seen[c.ID] {
				return nil, fmt.Errorf("report: two charts with id %q", c.ID)
			}
			seen[c.ID] = true
			cv := chartView{ID: c.ID, Title: c.Title, Units: c.Units, From: c.From, Dataset: c.Dataset, Notes: c.Notes,
				Drawn: c.Option != nil, Height: max(c.Height, 160), Columns: c.Table.Columns, RowCount: len(c.Table.Rows),
				CSV: template.URL(c.Table.csvDataURI()), FileName: "dtm-" + c.ID + ".csv", SourceCount: len(c.Sources)}
			cv.Sources = c.Sources
			if len(c.Sources) > maxSourcesShown {
				cv.Sources, cv.MoreSources = c.Sources[:maxSourcesShown], len(c.Sources)-maxSourcesShown
			}
			cv.Rows = make([][]cellView, len(c.Table.Rows))
			for i, row := range c.Table.Rows {
				cells := make([]cellView, len(row))
				for j, cell := range row {
					cells[j] = cellView{Text: c.Table.display(j, cell)}
					switch {
					case cell.Suppressed:
						cells[j].Class = "num suppressed"
					case c.Table.Columns[j].Numeric:
						cells[j].Class = "num"
					}
				}
				cv.Rows[i] = cells
			}
			if c.Option != nil {
				specs[c.ID] = chartSpec{Option: c.Option, Abs: c.AbsValues}
			}
			sv.Charts = append(sv.Charts, cv)
		}
		v.Sections = append(v.Sections, sv)
	}
	js, err := json.Marshal(specs) // escapes <, > and & as \u003c...: safe in <script>
	if err != nil {
		return nil, fmt.Errorf("report: chart options: %w", err)
	}
	v.ChartsJSON = template.JS(js)
	return v, nil
}
