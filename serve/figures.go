package serve

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/sinks"
)

// handleCatalogue is GET /api/v1/figures.
func (s *Server) handleCatalogue(w http.ResponseWriter, r *http.Request) {
	if _, p := readParams(r, nil); p != nil {
		writeProblem(w, r, *p)
		return
	}
	s.static(w, r, s.cat)
}

// handleFigure is GET /api/v1/figures/{name}: the figure's declared
// parameters, validated, bound by query.DB.Run; suppression with the
// server's MinCell.
func (s *Server) handleFigure(w http.ResponseWriter, r *http.Request) {
	e := s.cat.byName[r.PathValue("name")]
	if e == nil {
		writeProblem(w, r, notFound("no figure of this name; GET /api/v1/figures lists them"))
		return
	}
	names := make([]string, len(e.Parameters))
	for i, p := range e.Parameters {
		names[i] = p.Name
	}
	ps, p := readParams(r, names)
	if p != nil {
		writeProblem(w, r, *p)
		return
	}
	values := map[string]string{}
	for _, pe := range e.Parameters {
		v := ps.get(pe.Name)
		if v == "" {
			continue
		}
		switch {
		case pe.Name == "country":
			ps.checkCountry(pe.Name)
		case pe.Name == "admin_level":
			ps.intParam(pe.Name, 0, 4, 0)
		case pe.Type == "integer":
			ps.intParam(pe.Name, 0, 1<<31-1, 0)
		case pe.Format == "date":
			ps.checkDate(pe.Name)
		}
		values[pe.Name] = v
	}
	f, fp := negotiate(r, ps.get("format"), e.Formats)
	if fp != nil {
		ps.errs = append(ps.errs, fp.Errors...)
		if fp.Status != http.StatusBadRequest {
			writeProblem(w, r, *fp)
			return
		}
	}
	if p := ps.problem(); p != nil {
		writeProblem(w, r, *p)
		return
	}
	s.answer(w, r, ps.q, f, true, func(ctx context.Context, gen *generation, w http.ResponseWriter) error {
		t, err := s.runFigure(ctx, gen, e, values)
		if err != nil {
			return err
		}
		return writeTable(w, r, t, f)
	})
}

// runFigure runs a catalogue figure on one generation, with the row cap.
func (s *Server) runFigure(ctx context.Context, gen *generation, e *figureEntry, values map[string]string) (*sinks.Table, error) {
	res, err := gen.db.Run(ctx, e.fig, values, query.RunOptions{MinCell: s.opt.MinCell})
	if err != nil {
		if errors.Is(err, query.ErrBadParam) { // the checks above should have caught it
			return nil, clientProblem(badParams(paramProblem{Parameter: "(figure)", Detail: "a parameter value is not valid for this figure"}))
		}
		return nil, err
	}
	if len(res.Rows) > s.opt.MaxRows {
		return nil, clientProblem(problem{Type: probTooLarge, Status: http.StatusUnprocessableEntity,
			Detail: "the figure has more than " + strconv.Itoa(s.opt.MaxRows) + " rows; narrow it with parameters (country, round, dates)"})
	}
	hxl := e.hxl
	if len(hxl) != len(res.Columns) {
		hxl = nil
	}
	return &sinks.Table{Columns: res.Columns, Types: res.Types, Rows: res.Rows, HXL: hxl}, nil
}
