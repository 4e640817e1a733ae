package pipeline

import (
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
)

// CodeCrossSourceDuplicate is the warning code of a site-round (country,
// site, round, assessment type) that two different inputs both hold.
const CodeCrossSourceDuplicate = "cross-source-duplicate"

// siteRoundDataset is the dataset whose rows have a site-round identity.
const siteRoundDataset = "site_assessment"

// maxSiteKeys bounds the site-rounds remembered per input (about 100 bytes
// each); an input with more is compared on its first maxSiteKeys only, and
// its result says so in a note.
const maxSiteKeys = 500_000

// siteKeys remembers the site-rounds of one input, each with the first
// source row (and sheet) holding it. Safe for concurrent use.
type siteKeys struct {
	mu        sync.Mutex
	first     map[string]siteRow
	truncated bool
}

// siteRow locates a row of an input.
type siteRow struct {
	sheet string
	row   int64
}

// add records the site-rounds of a converted record (of siteRoundDataset);
// rows without a round, or without a site id and a site name, have none.
func (k *siteKeys) add(rec arrow.RecordBatch) {
	sc := rec.Schema()
	col := func(name string) arrow.Array {
		if idx := sc.FieldIndices(name); len(idx) > 0 {
			return rec.Column(idx[0])
		}
		return nil
	}
	country, atype, id, name := col("country_iso3"), col("assessment_type"), col("site_id"), col("site_name")
	a1, a2, a3, a4 := col("admin1_pcode"), col("admin2_pcode"), col("admin3_pcode"), col("admin4_pcode")
	sheet, row := col(schemas.ColSourceSheet), col(schemas.ColSourceRow)
	round, _ := col("round").(*array.Int64)
	if round == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.first == nil {
		k.first = map[string]siteRow{}
	}
	for i := 0; i < int(rec.NumRows()); i++ {
		if round.IsNull(i) {
			continue
		}
		key := query.SiteRoundKey(str(country, i), str(atype, i), round.Value(i), str(id, i),
			[4]string{str(a1, i), str(a2, i), str(a3, i), str(a4, i)}, str(name, i))
		if key == "" {
			continue
		}
		if _, seen := k.first[key]; seen {
			continue
		}
		if len(k.first) >= maxSiteKeys {
			k.truncated = true
			return
		}
		var r int64
		if rr, ok := row.(*array.Int64); ok && !rr.IsNull(i) {
			r = rr.Value(i)
		}
		k.first[key] = siteRow{sheet: str(sheet, i), row: r}
	}
}

// str is the string at row i of a string column ("" when null or absent).
func str(a arrow.Array, i int) string {
	switch c := a.(type) {
	case *array.String:
		if !c.IsNull(i) {
			return c.Value(i)
		}
	case *array.LargeString:
		if !c.IsNull(i) {
			return c.Value(i)
		}
	case *array.Dictionary:
		if !c.IsNull(i) {
			return str(c.Dictionary(), c.GetValueIndex(i))
		}
	}
	return ""
}

// describeSiteRound renders a site-round key for people: "SSD, site
// SS-0001, round 38, SA" (or "site "Bentiu POC" in SS0101").
func describeSiteRound(key string) string {
	parts := strings.SplitN(key, "|", 4)
	if len(parts) < 4 {
		return key
	}
	site := parts[3]
	switch {
	case strings.HasPrefix(site, "id:"):
		site = "site " + strings.TrimPrefix(site, "id:")
	case strings.HasPrefix(site, "name:"):
		p := strings.Split(strings.TrimPrefix(site, "name:"), "/")
		name, codes := p[len(p)-1], ""
		for _, c := range p[:len(p)-1] {
			if c != "" {
				codes = c
			}
		}
		site = strconv.Quote(name)
		if codes != "" {
			site = "site " + site + " in " + codes
		} else {
			site = "site " + site
		}
	}
	out := parts[0] + ", " + site + ", round " + parts[2]
	if parts[1] != "" {
		out += ", " + parts[1]
	}
	return out
}
