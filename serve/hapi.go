package serve

import (
	"context"
	"io"
	"net/http"

	"github.com/iom-dtm/dtm/sinks"
)

// HAPI is the shape of HDX HAPI's `GET /api/v1/affected-people/idps`:
// its query parameters and, from the hapi-idps figure, its columns. The
// rows (before filtering and paging) are those of `dtm export hapi-idps`.
const (
	hapiFigure       = "hapi-idps"
	hapiDefaultLimit = 10000 // HAPI's default and maximum page length
)

// hapiParams are the HAPI parameters the endpoint takes. app_identifier is
// accepted (HAPI clients send it) and ignored.
var hapiParams = []string{"location_code", "admin1_code", "admin2_code", "admin_level",
	"start_date", "end_date", "output_format", "limit", "offset", "app_identifier"}

// handleHAPIIdps is GET /api/v1/affected-people/idps. location_code,
// admin_level, start_date and end_date are the figure's country,
// admin_level, from and to; admin1_code and admin2_code select rows of
// the result (exact match, case-insensitive); limit/offset page it in the
// figure's order. output_format=json (default) is HAPI's {"data": [...]};
// output_format=csv is the CSV of `dtm export hapi-idps --format csv`.
// format= (json, csv, hxl, jsonl) may be used instead of output_format.
func (s *Server) handleHAPIIdps(w http.ResponseWriter, r *http.Request) {
	e := s.cat.byName[hapiFigure]
	if e == nil {
		writeProblem(w, r, notFound("this server has no hapi-idps figure"))
		return
	}
	ps, p := readParams(r, hapiParams)
	if p != nil {
		writeProblem(w, r, *p)
		return
	}
	ps.checkCountry("location_code")
	ps.checkCode("admin1_code")
	ps.checkCode("admin2_code")
	ps.intParam("admin_level", 0, 2, 0)
	ps.checkDate("start_date")
	ps.checkDate("end_date")
	limit := int(ps.intParam("limit", 1, hapiDefaultLimit, hapiDefaultLimit))
	offset := int(ps.intParam("offset", 0, maxOffset, 0))
	if ps.get("app_identifier") != "" && len(ps.get("app_identifier")) > 200 {
		ps.fail("app_identifier", "too long")
	}
	envelope := false
	var f format
	switch of := ps.get("output_format"); {
	case of != "" && ps.get("format") != "":
		ps.fail("output_format", "give output_format or format, not both")
	case of == "" && ps.get("format") == "" || of == "json":
		f, envelope = fmtJSON, true
	case of == "csv":
		f = fmtCSV
	case of != "":
		ps.fail("output_format", "must be json or csv")
	default:
		var fp *problem
		f, fp = negotiate(r, ps.get("format"), []format{fmtJSON, fmtCSV, fmtHXL, fmtJSONL})
		if fp != nil {
			ps.errs = append(ps.errs, fp.Errors...)
		}
	}
	if p := ps.problem(); p != nil {
		writeProblem(w, r, *p)
		return
	}
	values := map[string]string{}
	for from, to := range map[string]string{"location_code": "country", "admin_level": "admin_level", "start_date": "from", "end_date": "to"} {
		if v := ps.get(from); v != "" {
			values[to] = v
		}
	}
	s.answer(w, r, ps.q, f, true, func(ctx context.Context, gen *generation, w http.ResponseWriter) error {
		t, err := s.runFigure(ctx, gen, e, values)
		if err != nil {
			return err
		}
		t.Rows = pageRows(selectRows(t, map[string]string{"admin1_code": ps.get("admin1_code"), "admin2_code": ps.get("admin2_code")}), offset, limit)
		if !envelope {
			return writeTable(w, r, t, f)
		}
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodHead {
			w.WriteHeader(http.StatusOK)
			return nil
		}
		if _, err := io.WriteString(w, `{"data":`); err != nil {
			return err
		}
		if err := writeTable(w, r, t, fmtJSON); err != nil {
			return err
		}
		_, err = io.WriteString(w, "}\n")
		return err
	})
}

// selectRows keeps the rows whose named columns equal the given values
// (case-insensitively; an empty value selects everything).
func selectRows(t *sinks.Table, eq map[string]string) [][]any {
	idx := map[int]string{}
	for i, c := range t.Columns {
		if v := eq[c]; v != "" {
			idx[i] = v
		}
	}
	if len(idx) == 0 {
		return t.Rows
	}
	var out [][]any
	for _, row := range t.Rows {
		keep := true
		for i, v := range idx {
			if i >= len(row) || !equalFoldValue(row[i], v) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, row)
		}
	}
	return out
}

func equalFoldValue(v any, want string) bool {
	s := sinks.FormatValue(v)
	if len(s) != len(want) {
		return false
	}
	for i := 0; i < len(s); i++ {
		a, b := s[i], want[i]
		if 'a' <= a && a <= 'z' {
			a -= 'a' - 'A'
		}
		if 'a' <= b && b <= 'z' {
			b -= 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// pageRows returns rows[offset : offset+limit], clipped.
func pageRows(rows [][]any, offset, limit int) [][]any {
	if offset >= len(rows) {
		return nil
	}
	end := len(rows)
	if limit < end-offset {
		end = offset + limit
	}
	return rows[offset:end]
}
