package lake

import (
	"context"
	"path"
	"sort"
	"strings"
)

// LocationStatus is the state of an object-store warehouse as dtm's
// documents give it.
type LocationStatus struct {
	Head *Head // nil before the first complete publish
	// InFlight are the publishes that wrote their journal and have not
	// ended (running, or interrupted and not yet recovered), sorted.
	InFlight []string
}

// Status reads the head and the in-flight markers of a location.
func Status(ctx context.Context, env S3Env, location string) (*LocationStatus, error) {
	loc, err := ParseLocation(location)
	if err != nil {
		return nil, err
	}
	st, err := newStore(ctx, env, loc)
	if err != nil {
		return nil, err
	}
	h, _, _, err := st.readHead(ctx)
	if err != nil {
		return nil, err
	}
	keys, err := st.list(ctx, inflightPrefix)
	if err != nil {
		return nil, err
	}
	out := &LocationStatus{Head: h}
	for _, k := range keys {
		out.InFlight = append(out.InFlight, strings.TrimSuffix(path.Base(k), ".json"))
	}
	sort.Strings(out.InFlight)
	return out, nil
}
