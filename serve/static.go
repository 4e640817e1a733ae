package serve

import (
	"encoding/json"
	"hash/fnv"
	"net/http"
	"strconv"
	"time"
)

// static answers a JSON document that does not depend on a generation
// (the catalogue, the OpenAPI document, run summaries): its ETag is a hash
// of its bytes, so If-None-Match still gives 304.
func (s *Server) static(w http.ResponseWriter, r *http.Request, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		s.failed(w, r, err)
		return
	}
	h := fnv.New64a()
	h.Write(b)
	tag := `"s-` + strconv.FormatUint(h.Sum64(), 36) + `"`
	s.cacheHeaders(w.Header(), tag, time.Time{})
	if notModified(r, tag, time.Time{}) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(append(b, '\n'))
	}
}
