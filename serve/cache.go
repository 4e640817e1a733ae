package serve

import (
	"container/list"
	"net/http"
	"sync"
)

// respCache keeps the bodies of recent responses (figures, HAPI, dataset
// pages, the report), keyed by their ETag (generation + request + format),
// so that the many clients polling the same thing cost one DuckDB query
// per generation. Entries of older
// generations are never served (their ETag differs) and age out. It holds
// at most max bytes of bodies; a body larger than max/8 is not kept.
type respCache struct {
	mu   sync.Mutex
	max  int64
	size int64
	ll   *list.List // front: most recently used
	m    map[string]*list.Element
}

type cached struct {
	key         string
	contentType string
	extra       http.Header // other headers the handler set (CSP)
	body        []byte
}

func newRespCache(max int64) *respCache {
	return &respCache{max: max, ll: list.New(), m: map[string]*list.Element{}}
}

func (c *respCache) get(key string) *cached {
	if c == nil || c.max <= 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.m[key]
	if e == nil {
		return nil
	}
	c.ll.MoveToFront(e)
	return e.Value.(*cached)
}

// maxEntry is the largest body the cache keeps.
func (c *respCache) maxEntry() int64 {
	if c == nil || c.max <= 0 {
		return 0
	}
	return c.max / 8
}

func (c *respCache) put(v *cached) {
	if c == nil || c.max <= 0 || int64(len(v.body)) > c.maxEntry() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[v.key]; ok {
		return
	}
	c.m[v.key] = c.ll.PushFront(v)
	c.size += int64(len(v.body))
	for c.size > c.max {
		last := c.ll.Back()
		old := last.Value.(*cached)
		c.ll.Remove(last)
		delete(c.m, old.key)
		c.size -= int64(len(old.body))
	}
}

// send writes a cached response (headers only for HEAD).
func (v *cached) send(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, vs := range v.extra {
		h[k] = vs
	}
	h.Set("Content-Type", v.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(v.body)
	}
}

// flights tracks the cacheable requests being answered, by ETag, so that
// identical requests arriving together (every poller after a commit) wait
// for the first one's body instead of each running the same query.
type flights struct {
	mu sync.Mutex
	m  map[string]chan struct{}
}

// join returns nil when the caller leads the request for key (it must
// call leave when done), or a channel closed when the leader is done.
func (f *flights) join(key string) <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = map[string]chan struct{}{}
	}
	if ch, ok := f.m[key]; ok {
		return ch
	}
	f.m[key] = make(chan struct{})
	return nil
}

// leave ends the lead of key and wakes the waiters.
func (f *flights) leave(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ch, ok := f.m[key]; ok {
		close(ch)
		delete(f.m, key)
	}
}
