package serve

import (
	"hash/fnv"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// etag is the entity tag of a response: the generation it was read from
// and a hash of what was asked (path, parameters in canonical order,
// negotiated format), so that two requests for the same thing from the
// same generation share it, and any commit changes it.
func etag(gen int64, path string, q url.Values, f format) string {
	h := fnv.New64a()
	h.Write([]byte(path))
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range q[k] {
			h.Write([]byte{0})
			h.Write([]byte(k))
			h.Write([]byte{'='})
			h.Write([]byte(v))
		}
	}
	h.Write([]byte{0})
	h.Write([]byte(f))
	return `"g` + strconv.FormatInt(gen, 10) + "-" + strconv.FormatUint(h.Sum64(), 36) + `"`
}

// notModified reports whether the request's validators match (RFC 9110
// 13.1: If-None-Match, compared weakly, takes precedence over
// If-Modified-Since).
func notModified(r *http.Request, tag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == tag {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !modified.IsZero() {
		if t, err := http.ParseTime(ims); err == nil && !modified.Truncate(time.Second).After(t) {
			return true
		}
	}
	return false
}

// cacheHeaders sets the validators and caching policy of a data response.
// With a token the response is private to the client.
func (s *Server) cacheHeaders(h http.Header, tag string, modified time.Time) {
	h.Set("ETag", tag)
	if !modified.IsZero() {
		h.Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
	}
	scope := "public"
	if s.opt.Token != "" {
		scope = "private"
	}
	h.Set("Cache-Control", scope+", max-age="+strconv.Itoa(int(s.opt.MaxAge.Seconds()))+", must-revalidate")
	if s.opt.Token != "" {
		h.Set("Vary", "Accept, Authorization")
	} else {
		h.Set("Vary", "Accept")
	}
}
