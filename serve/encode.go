package serve

import (
	"encoding/json"
	"net/http"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/sinks"
)

// streamFormat maps a response format to the sinks row writer's.
var streamFormat = map[format]string{
	fmtJSON: sinks.StreamJSON, fmtCSV: sinks.StreamCSV, fmtHXL: sinks.StreamHXL,
	fmtJSONL: sinks.StreamJSONL, fmtGeoJSON: sinks.StreamGeoJSON,
}

// startRows sets the content headers of a rows response and returns the
// writer of its rows (nil for HEAD: headers only). The bytes are those of
// `dtm export` in the same format (sinks.RowWriter).
func startRows(w http.ResponseWriter, r *http.Request, f format, cols, hxl []string) (sinks.RowWriter, error) {
	rw, err := sinks.NewRowWriter(w, streamFormat[f], cols, hxl)
	if err != nil {
		return nil, clientProblem(badParams(paramProblem{Parameter: "format", Detail: "this result cannot be written as " + string(f)}))
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType())
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return nil, nil
	}
	return rw, nil
}

// writeTable writes a whole table in a format.
func writeTable(w http.ResponseWriter, r *http.Request, t *sinks.Table, f format) error {
	rw, err := startRows(w, r, f, t.Columns, t.HXL)
	if err != nil || rw == nil {
		return err
	}
	for _, row := range t.Rows {
		if err := rw.WriteRow(row); err != nil {
			return err
		}
	}
	return rw.Close()
}

// streamRows writes a cursor's rows; the first row is fetched before any
// byte is written, so that an error in the query (such as the generation's
// files having been removed) can still be answered properly.
func streamRows(w http.ResponseWriter, r *http.Request, c *query.Cursor, f format, hxl []string) error {
	first, err := c.Next()
	if err != nil {
		return err
	}
	rw, err := startRows(w, r, f, c.Columns, hxl)
	if err != nil || rw == nil {
		return err
	}
	for row := first; row != nil; {
		if err := rw.WriteRow(row); err != nil {
			return err
		}
		if row, err = c.Next(); err != nil {
			return err
		}
	}
	return rw.Close()
}

// writeJSON writes a JSON document (the catalogue, the OpenAPI document,
// run summaries).
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		writeProblem(w, r, problem{Type: probInternal, Status: http.StatusInternalServerError, Detail: "internal error"})
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(append(b, '\n'))
	}
}
