package serve

import (
	"encoding/json"
	"net/http"
	"unicode/utf8"
)

// problem is an RFC 9457 problem document (application/problem+json).
// Detail is written for the client: it may name a parameter and repeat
// (truncated) what the client sent, never a path, a stack or a DuckDB
// message.
type problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	Instance  string         `json:"instance,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []paramProblem `json:"errors,omitempty"`
}

// paramProblem names one bad query parameter (RFC 9457's "errors" member
// pattern: a pointer to the offending input and why).
type paramProblem struct {
	Parameter string `json:"parameter"`
	Detail    string `json:"detail"`
}

// Problem types: stable URNs a client can switch on.
const (
	probBadParam   = "urn:dtm:problem:bad-parameter"
	probNotFound   = "urn:dtm:problem:not-found"
	probTooMany    = "urn:dtm:problem:too-many-requests"
	probTooLarge   = "urn:dtm:problem:result-too-large"
	probTimeout    = "urn:dtm:problem:timeout"
	probInternal   = "urn:dtm:problem:internal"
	probUnauth     = "urn:dtm:problem:unauthorized"
	probNotAccept  = "urn:dtm:problem:not-acceptable"
	probURITooLong = "urn:dtm:problem:uri-too-long"
	probUnready    = "urn:dtm:problem:not-ready"
)

// writeProblem writes p with its status; HEAD gets the headers only.
func writeProblem(w http.ResponseWriter, r *http.Request, p problem) {
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	if r != nil {
		p.Instance = r.URL.Path
		p.RequestID = requestID(r.Context())
	}
	b, err := json.Marshal(p)
	if err != nil { // cannot happen for these fields; keep the status anyway
		b = []byte(`{"type":"about:blank","status":500}`)
	}
	h := w.Header()
	for _, k := range []string{"ETag", "Last-Modified", "Content-Disposition", "Link"} {
		h.Del(k)
	}
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	if r == nil || r.Method != http.MethodHead {
		w.Write(append(b, '\n'))
	}
}

// badParams is a 400 naming the bad parameters.
func badParams(errs ...paramProblem) problem {
	detail := "invalid query parameter"
	if len(errs) == 1 {
		detail = errs[0].Parameter + ": " + errs[0].Detail
	}
	return problem{Type: probBadParam, Title: "Bad parameter", Status: http.StatusBadRequest, Detail: detail, Errors: errs}
}

func notFound(detail string) problem {
	return problem{Type: probNotFound, Title: "Not found", Status: http.StatusNotFound, Detail: detail}
}

// clip shortens client text repeated in a problem document to n runes and
// makes it valid UTF-8.
func clip(s string, n int) string {
	if !utf8.ValidString(s) {
		s = string([]rune(s)) // replaces invalid bytes by U+FFFD
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
