package pipeline

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
	"github.com/iom-dtm/dtm/transform"
)

// wantedSiteRounds is what the cross-source check looks for among the
// committed rows: this run's site-rounds (query.AppendSiteRoundKey keys)
// and what they say of where such rows can be, so that the committed data
// that cannot hold one is not read (cross_source_read.go).
type wantedSiteRounds struct {
	// keys are the site-rounds, in the order first seen (inputs in order).
	keys []string
	set  map[string]struct{}
	// countries and rounds are the keys' countries ("" for an empty one)
	// and rounds, sorted.
	countries []string
	rounds    []int64
	// ids are the site ids of the keys known by site id, sorted; names
	// is true when some key is known by p-codes and name instead.
	ids   []string
	names bool
	// dirs are the partition directories (relative to the warehouse)
	// that rows with these keys are written to (partitionDirOf); nil when
	// a key does not say (unparseable): then no file is left out by its
	// directory.
	dirs map[string]bool
	// partKey is the dataset's partition key ("round_part").
	partKey string
}

// newWantedSiteRounds gathers the site-rounds of the inputs idx.
func newWantedSiteRounds(idx []int, keys []*siteKeys) *wantedSiteRounds {
	ds := schemas.SiteAssessment()
	w := &wantedSiteRounds{set: map[string]struct{}{}, dirs: map[string]bool{}, partKey: ds.PartitionKey}
	if ds.Name != siteRoundDataset || ds.PartitionField != "round" {
		w.dirs = nil // not the layout partitionDirOf knows
	}
	cset, rset, iset := map[string]bool{}, map[int64]bool{}, map[string]bool{}
	for _, i := range idx {
		keys[i].each(func(k string, _ siteRow) {
			if _, dup := w.set[k]; dup {
				return
			}
			w.set[k] = struct{}{}
			w.keys = append(w.keys, k)
			p := strings.SplitN(k, "|", 4)
			cset[p[0]] = true
			r, err := strconv.ParseInt(p[min(2, len(p)-1)], 10, 64)
			if len(p) < 4 || err != nil {
				w.dirs = nil // a key this code cannot read: look everywhere
				return
			}
			rset[r] = true
			if id, ok := strings.CutPrefix(p[3], "id:"); ok {
				iset[id] = true
			} else {
				w.names = true
			}
			if w.dirs != nil {
				if d, ok := partitionDirOf(w.partKey, p[0], r); ok {
					w.dirs[d] = true
				} else {
					w.dirs = nil
				}
			}
		})
	}
	for c := range cset {
		w.countries = append(w.countries, c)
	}
	sort.Strings(w.countries)
	for r := range rset {
		w.rounds = append(w.rounds, r)
	}
	sort.Slice(w.rounds, func(a, b int) bool { return w.rounds[a] < w.rounds[b] })
	for id := range iset {
		w.ids = append(w.ids, id)
	}
	sort.Strings(w.ids)
	return w
}

// has reports whether key is one of the wanted site-rounds.
func (w *wantedSiteRounds) has(key []byte) bool {
	_, ok := w.set[string(key)]
	return ok
}

// partitionDirOf is the directory the converter writes a site_assessment
// row of this country and round to (partKey: the dataset's partition key) (transform's partitionOf: an empty
// country is "unknown"; the round in decimal), relative to the warehouse.
// false when the directory name is shortened by a hash (values past 200
// escaped bytes, whose layout changed once): such a key prunes nothing.
func partitionDirOf(partKey, country string, round int64) (string, bool) {
	if country == "" {
		country = transform.UnknownPartition
	}
	esc := sinks.EscapePartitionValue(country)
	if strings.Contains(esc, "~") {
		return "", false
	}
	return sinks.PartitionDir(siteRoundDataset, country, partKey, strconv.FormatInt(round, 10)), true
}

// mayHold reports whether the committed data file rel (relative to the
// warehouse) can hold a wanted site-round judged by its directory: a file
// in a partition directory of the dataset's layout holds rows of that
// partition only, so it can unless it is another partition's; a file in
// any other place (not written by this layout) can.
func (w *wantedSiteRounds) mayHold(rel string) bool {
	if w.dirs == nil {
		return true
	}
	dir := path.Dir(rel)
	p := strings.Split(dir, "/")
	if len(p) != 3 || p[0] != siteRoundDataset || !strings.HasPrefix(p[1], "country=") || !strings.HasPrefix(p[2], w.partKey+"=") {
		return true
	}
	return w.dirs[dir]
}
