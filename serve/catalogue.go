package serve

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// catalogue is what the server knows of its figures, built once at start
// from the same definitions as `dtm figures list` (query.Figures) plus
// their output columns (query.DescribeFigures) and HXL tags
// (query.ColumnHXL, as `dtm export` writes them).
type catalogue struct {
	Figures []figureEntry `json:"figures"`
	byName  map[string]*figureEntry
}

type figureEntry struct {
	Name        string        `json:"name"`
	Dataset     string        `json:"dataset"`
	Description string        `json:"description"`
	URL         string        `json:"url"`
	Suppressed  bool          `json:"small_cell_suppressed"`
	Parameters  []paramEntry  `json:"parameters"`
	Columns     []columnEntry `json:"columns"`
	Formats     []format      `json:"formats"`
	fig         query.Figure
	hxl         []string
}

type paramEntry struct {
	Name        string `json:"name"`
	Type        string `json:"type"`             // OpenAPI type: string, integer
	Format      string `json:"format,omitempty"` // OpenAPI format: date
	Description string `json:"description"`
	Default     string `json:"default,omitempty"` // the figure's default, in words
	dbType      string
}

type columnEntry struct {
	Name string `json:"name"`
	Type string `json:"type"` // DuckDB type
	HXL  string `json:"hxl,omitempty"`
}

var defaultText = regexp.MustCompile(`\(default:?\s*([^)]*)\)`)

func buildCatalogue(ctx context.Context, reg *schemas.Registry) (*catalogue, error) {
	figs, err := query.Figures()
	if err != nil {
		return nil, fmt.Errorf("reading the figures: %w", err)
	}
	cols, err := query.DescribeFigures(ctx, reg)
	if err != nil {
		return nil, err
	}
	c := &catalogue{byName: map[string]*figureEntry{}}
	for _, f := range figs {
		e := figureEntry{Name: f.Name, Dataset: f.Dataset, Description: f.Description,
			URL: "/api/v1/figures/" + f.Name, Suppressed: f.Suppress != "", fig: f,
			Parameters: []paramEntry{}, Columns: []columnEntry{}}
		for _, p := range f.Params {
			pe := paramEntry{Name: p.Name, Type: "string", Description: p.Description, dbType: p.Type}
			switch p.Type {
			case "INTEGER", "BIGINT":
				pe.Type = "integer"
			case "DATE":
				pe.Format = "date"
			}
			if m := defaultText.FindStringSubmatch(p.Description); m != nil {
				pe.Default = strings.TrimSpace(m[1])
			}
			e.Parameters = append(e.Parameters, pe)
		}
		var names []string
		for _, col := range cols[f.Name] {
			names = append(names, col.Name)
		}
		ds, _ := reg.Lookup(f.Dataset)
		e.hxl = query.ColumnHXL(f, names, ds)
		for i, col := range cols[f.Name] {
			e.Columns = append(e.Columns, columnEntry{Name: col.Name, Type: col.Type, HXL: e.hxl[i]})
		}
		e.Formats = []format{fmtJSON, fmtCSV, fmtHXL, fmtJSONL}
		if _, _, ok := sinks.DefaultGeoColumns.Find(&sinks.Table{Columns: names}); ok {
			e.Formats = append(e.Formats, fmtGeoJSON)
		}
		c.Figures = append(c.Figures, e)
	}
	for i := range c.Figures {
		c.byName[c.Figures[i].Name] = &c.Figures[i]
	}
	return c, nil
}
