package serve

import (
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// format is a response encoding of rows.
type format string

const (
	fmtJSON    format = "json"    // a JSON array of objects, as `dtm export --format json`
	fmtCSV     format = "csv"     // RFC 4180 CSV with a header row
	fmtHXL     format = "hxl"     // CSV with the HXL tag row under the header
	fmtJSONL   format = "jsonl"   // one JSON object per line
	fmtGeoJSON format = "geojson" // RFC 7946 FeatureCollection of points (rows with latitude/longitude)
)

var allFormats = []format{fmtJSON, fmtCSV, fmtHXL, fmtJSONL, fmtGeoJSON}

// contentType is the media type of each format.
func (f format) contentType() string {
	switch f {
	case fmtCSV:
		return "text/csv; charset=utf-8; header=present"
	case fmtHXL:
		return "text/csv; charset=utf-8; header=present; hxl=present"
	case fmtJSONL:
		return "application/x-ndjson"
	case fmtGeoJSON:
		return "application/geo+json"
	}
	return "application/json"
}

// mediaFormats maps Accept media types to formats.
var mediaFormats = map[string]format{
	"application/json":        fmtJSON,
	"text/csv":                fmtCSV,
	"application/x-ndjson":    fmtJSONL,
	"application/jsonl":       fmtJSONL,
	"application/geo+json":    fmtGeoJSON,
	"application/vnd.hxl+csv": fmtHXL,
}

// negotiate picks the format of a response: the `format` parameter when
// given (an unknown one is a 400), else the Accept header's most preferred
// supported type (text/csv with the parameter hxl=present is hxl), else
// JSON. allowed limits the choice (nil: every format); an explicit choice
// outside it is a 400, an Accept header that allows nothing supported is a
// 406 (returned as ok=false with the problem).
func negotiate(r *http.Request, explicit string, allowed []format) (format, *problem) {
	ok := func(f format) bool {
		if allowed == nil {
			return true
		}
		for _, a := range allowed {
			if a == f {
				return true
			}
		}
		return false
	}
	if explicit != "" {
		f := format(strings.ToLower(explicit))
		for _, k := range allFormats {
			if k == f && ok(f) {
				return f, nil
			}
		}
		p := badParams(paramProblem{Parameter: "format", Detail: "unknown or unavailable format " + strconv.Quote(clip(explicit, 40)) + "; want one of " + formatList(allowed)})
		return "", &p
	}
	accept := r.Header.Get("Accept")
	if accept == "" {
		return fmtJSON, nil
	}
	type choice struct {
		f     format
		q     float64
		order int
		any   bool
	}
	var choices []choice
	for i, part := range strings.Split(accept, ",") {
		if i > 32 {
			break
		}
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				q = x
			}
		}
		if q <= 0 {
			continue
		}
		switch {
		case mt == "*/*" || mt == "application/*":
			choices = append(choices, choice{fmtJSON, q, i, true})
		case mt == "text/*":
			choices = append(choices, choice{fmtCSV, q, i, true})
		case mt == "text/csv" && params["hxl"] == "present":
			choices = append(choices, choice{fmtHXL, q, i, false})
		default:
			if f, found := mediaFormats[mt]; found {
				choices = append(choices, choice{f, q, i, false})
			}
		}
	}
	sort.SliceStable(choices, func(i, j int) bool {
		if choices[i].q != choices[j].q {
			return choices[i].q > choices[j].q
		}
		return !choices[i].any && choices[j].any
	})
	for _, c := range choices {
		if ok(c.f) {
			return c.f, nil
		}
		if c.any && ok(fmtJSON) {
			return fmtJSON, nil
		}
	}
	p := problem{Type: probNotAccept, Status: http.StatusNotAcceptable,
		Detail: "no supported media type in Accept; use format= with one of " + formatList(allowed)}
	return "", &p
}

func formatList(allowed []format) string {
	if allowed == nil {
		allowed = allFormats
	}
	s := make([]string, len(allowed))
	for i, f := range allowed {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}
