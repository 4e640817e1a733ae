package serve

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// servedDataset is a dataset the server publishes row by row.
type servedDataset struct {
	ds      *schemas.Dataset
	fields  []schemas.Field // public stored fields, in schema order
	filters map[string]schemas.Field
	hxl     []string
	geo     bool
}

// publicDatasets are the datasets served by /api/v1/datasets/{name}: those
// without a sensitive field. flow_survey (one row per respondent with
// quasi-identifiers) is never served, nor are rejects (raw cell values)
// or runs (their own endpoint). A dataset's personal fields are never
// stored, so every stored field of a served dataset is public.
func publicDatasets(reg *schemas.Registry) map[string]*servedDataset {
	out := map[string]*servedDataset{}
	for _, ds := range reg.All() {
		sensitive := false
		var fields []schemas.Field
		for _, f := range ds.StoredFields() {
			switch f.Sensitivity {
			case schemas.Sensitive:
				sensitive = true
			case schemas.Public:
				fields = append(fields, f)
			}
		}
		if sensitive {
			continue
		}
		sd := &servedDataset{ds: ds, fields: fields, filters: map[string]schemas.Field{}}
		names := make([]string, len(fields))
		for i, f := range fields {
			names[i] = f.Name
			sd.hxl = append(sd.hxl, f.HXL)
			switch f.Kind {
			case schemas.String, schemas.Int, schemas.Date, schemas.Bool:
				sd.filters[f.Name] = f
			}
		}
		_, _, sd.geo = sinks.DefaultGeoColumns.Find(&sinks.Table{Columns: names})
		out[ds.Name] = sd
	}
	return out
}

func (sd *servedDataset) formats() []format {
	if sd.geo {
		return allFormats
	}
	return []format{fmtJSON, fmtCSV, fmtHXL, fmtJSONL}
}

// handleDataset is GET /api/v1/datasets/{name}: the rows of a public
// dataset, equality filters on its scalar fields (by field name, e.g.
// country_iso3=SSD&round=38), limit (1..MaxRows, default DefaultLimit)
// and offset, in a stable order (source file, sheet, row), streamed.
func (s *Server) handleDataset(w http.ResponseWriter, r *http.Request) {
	sd := s.datasets[r.PathValue("name")]
	if sd == nil {
		writeProblem(w, r, notFound("no public dataset of this name; GET /api/v1/datasets lists them"))
		return
	}
	known := []string{"limit", "offset"}
	for _, f := range sd.fields {
		if _, ok := sd.filters[f.Name]; ok {
			known = append(known, f.Name)
		}
	}
	ps, p := readParams(r, known)
	if p != nil {
		writeProblem(w, r, *p)
		return
	}
	limit := ps.intParam("limit", 1, int64(s.opt.MaxRows), int64(s.opt.DefaultLimit))
	offset := ps.intParam("offset", 0, maxOffset, 0)
	var where []string
	var args []any
	for _, f := range sd.fields {
		v := ps.get(f.Name)
		fl, ok := sd.filters[f.Name]
		if v == "" || !ok {
			continue
		}
		arg, ok := filterValue(ps, fl, v)
		if !ok {
			continue
		}
		where = append(where, quoteIdent(f.Name)+" = ?")
		args = append(args, arg)
	}
	f, fp := negotiate(r, ps.get("format"), sd.formats())
	if fp != nil {
		if fp.Status != http.StatusBadRequest {
			writeProblem(w, r, *fp)
			return
		}
		ps.errs = append(ps.errs, fp.Errors...)
	}
	if p := ps.problem(); p != nil {
		writeProblem(w, r, *p)
		return
	}
	cols := make([]string, len(sd.fields))
	for i, fl := range sd.fields {
		cols[i] = quoteIdent(fl.Name)
	}
	// Identifiers come from the schema, values are bound, limit and offset
	// are numbers parsed above: no client text reaches the SQL.
	stmt := "SELECT " + strings.Join(cols, ", ") + " FROM " + quoteIdent(sd.ds.Name)
	if len(where) > 0 {
		stmt += " WHERE " + strings.Join(where, " AND ")
	}
	stmt += " ORDER BY " + quoteIdent(schemas.ColSourceFile) + ", " + quoteIdent(schemas.ColSourceSheet) + " NULLS FIRST, " +
		quoteIdent(schemas.ColSourceRow) + " LIMIT " + strconv.FormatInt(limit, 10) + " OFFSET " + strconv.FormatInt(offset, 10)
	s.answer(w, r, ps.q, f, true, func(ctx context.Context, gen *generation, w http.ResponseWriter) error {
		c, err := gen.db.Stream(ctx, stmt, args...)
		if err != nil {
			return err
		}
		defer c.Close()
		return streamRows(w, r, c, f, sd.hxl)
	})
}

// filterValue converts a filter's text to the field's type, or records a
// parameter problem.
func filterValue(ps *params, f schemas.Field, v string) (any, bool) {
	switch f.Kind {
	case schemas.Int:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			ps.fail(f.Name, "must be a whole number, got "+strconv.Quote(clip(v, 40)))
			return nil, false
		}
		return n, true
	case schemas.Date:
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			ps.fail(f.Name, "must be a date YYYY-MM-DD, got "+strconv.Quote(clip(v, 40)))
			return nil, false
		}
		return t, true
	case schemas.Bool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			ps.fail(f.Name, "must be true or false, got "+strconv.Quote(clip(v, 40)))
			return nil, false
		}
		return b, true
	}
	if f.Name == "country_iso3" {
		ps.checkCountry(f.Name)
		return strings.ToUpper(v), true
	}
	return v, true
}

// handleDatasetList is GET /api/v1/datasets: the served datasets and
// their fields (name, kind, HXL tag, description, whether it filters).
func (s *Server) handleDatasetList(w http.ResponseWriter, r *http.Request) {
	if _, p := readParams(r, nil); p != nil {
		writeProblem(w, r, *p)
		return
	}
	s.static(w, r, s.datasetDocs())
}

type datasetDoc struct {
	Name        string     `json:"name"`
	Version     string     `json:"version"`
	Description string     `json:"description"`
	URL         string     `json:"url"`
	Formats     []format   `json:"formats"`
	Fields      []fieldDoc `json:"fields"`
}

type fieldDoc struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	HXL         string `json:"hxl,omitempty"`
	Description string `json:"description"`
	Filter      bool   `json:"filter"`
}

func (s *Server) datasetDocs() []datasetDoc {
	var out []datasetDoc
	for _, ds := range s.opt.Registry.All() {
		sd := s.datasets[ds.Name]
		if sd == nil {
			continue
		}
		d := datasetDoc{Name: ds.Name, Version: ds.Version, Description: ds.Description,
			URL: "/api/v1/datasets/" + ds.Name, Formats: sd.formats()}
		for _, f := range sd.fields {
			_, filt := sd.filters[f.Name]
			d.Fields = append(d.Fields, fieldDoc{Name: f.Name, Kind: string(f.Kind), HXL: f.HXL, Description: f.Description, Filter: filt})
		}
		out = append(out, d)
	}
	return out
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
