package export

import (
	"errors"
	"sort"
	"strings"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// Formats are the export formats.
var Formats = []string{"csv", "hxl", "json", "jsonl", "geojson", "parquet"}

// RejectsView is the view of every reject (those of failed inputs
// included); exporting it gives the field teams the rows to correct.
const RejectsView = "rejects"

// Request is one export as asked for.
type Request struct {
	// Name is a figure (query.Figures), a dataset of the registry, or
	// RejectsView.
	Name string
	// Format is one of Formats.
	Format string
	// Out is the file to write; "" or "-" writes to Run's stdout (not
	// for parquet).
	Out string
	// Params are parameter values as text, by name: a figure's declared
	// parameters (country as an ISO 3166 alpha-3 code), or a dataset's
	// filters (ParamCountry, ParamRound, ParamFrom, ParamTo). The rejects
	// take none.
	Params map[string]string
	// MinCell is the small-cell threshold of a suppressed figure (0:
	// query.DefaultMinCell).
	MinCell int
}

// Plan is a Request checked against the registry and the figures: exactly
// one of Figure, Dataset and Rejects is set.
type Plan struct {
	Request
	Figure  *query.Figure
	Dataset *schemas.Dataset
	Rejects bool
	// filter narrows a dataset export.
	filter Filter
	// hxlDataset gives a figure's columns their HXL tags (nil: none).
	hxlDataset *schemas.Dataset
}

// NewPlan checks a request before any warehouse is opened. Errors match
// ErrUsage.
func NewPlan(reg *schemas.Registry, req Request) (*Plan, error) {
	p := &Plan{Request: req}
	if !contains(Formats, req.Format) {
		return nil, usagef("unknown --format %q (want one of %s)", req.Format, strings.Join(Formats, ", "))
	}
	if req.Format == "parquet" && p.toStdout() {
		return nil, usagef("--format parquet needs --out FILE")
	}
	if req.MinCell < 0 {
		return nil, usagef("--min-cell must be at least 1, got %d", req.MinCell)
	}
	if req.Name == RejectsView {
		if req.Format == "geojson" {
			return nil, usagef("rejects have no coordinates: use csv, json, jsonl or parquet")
		}
		if n := firstParam(req.Params); n != "" {
			return nil, usagef("%s applies to figures and datasets; rejects are exported whole (filter with dtm query)", flagName(n))
		}
		p.Rejects = true
		return p, nil
	}
	fig, figErr := query.LookupFigure(req.Name)
	if figErr == nil {
		if err := CheckFigure(reg, fig); err != nil {
			return nil, err
		}
		declared := map[string]bool{}
		for _, d := range fig.Params {
			declared[d.Name] = true
		}
		for _, k := range sortedKeys(req.Params) {
			if !declared[k] {
				return nil, usagef("figure %s has no parameter %q (see `dtm figures list`)", fig.Name, k)
			}
		}
		p.Figure = &fig
		if ds, err := reg.Lookup(fig.Dataset); err == nil {
			p.hxlDataset = ds
		}
		return p, nil
	}
	if !errors.Is(figErr, query.ErrUnknownFigure) {
		return nil, figErr
	}
	ds, err := reg.Lookup(req.Name)
	if err != nil {
		return nil, usagef("%q is neither a figure nor a dataset: %v; %v", req.Name, figErr, err)
	}
	if err := RefuseRawMicrodata(ds); err != nil {
		return nil, err
	}
	f, err := ParseFilter(ds, req.Params)
	if err != nil {
		return nil, err
	}
	if req.Format == "geojson" && !hasCoordinates(fieldNames(ds)) {
		return nil, noCoordinates(ds.Name)
	}
	p.Dataset, p.filter = ds, f
	return p, nil
}

// Suppressed tells whether the export is small-cell suppressed (a figure
// that declares it), i.e. whether MinCell applies.
func (p *Plan) Suppressed() bool { return p.Figure != nil && p.Figure.Suppress != "" }

func (p *Plan) toStdout() bool { return p.Out == "" || p.Out == "-" }

func noCoordinates(name string) error {
	return usagef("%s has no latitude and longitude columns: GeoJSON needs site coordinates (try `dtm export site_assessment --format geojson`)", name)
}

func hasCoordinates(cols []string) bool {
	_, _, ok := sinks.DefaultGeoColumns.Find(&sinks.Table{Columns: cols})
	return ok
}

func fieldNames(ds *schemas.Dataset) []string {
	fields := ds.StoredFields()
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Name
	}
	return out
}

// firstParam names the first parameter given, in name order ("" for none).
func firstParam(params map[string]string) string {
	for _, k := range sortedKeys(params) {
		return k
	}
	return ""
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
