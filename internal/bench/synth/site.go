package synth

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
)

// SiteHeader is the English header of the synthetic site assessment CSV (20
// columns, as DTM South Sudan / Nigeria exports name them) and its HXL row.
var SiteHeader = []string{
	"Country Code", "State", "State Pcode", "County", "County Pcode", "Payam", "Payam Pcode",
	"Site ID", "Site Name", "Site Type", "Latitude", "Longitude", "Assessment Type", "Round",
	"Survey Date", "Total IDP (Households)", "Total IDP (Individuals)", "Males", "Females",
	"Type of Displacement",
}

// SiteHXL is the HXL hashtag row under SiteHeader.
var SiteHXL = []string{
	"#country+code", "#adm1+name", "#adm1+code", "#adm2+name", "#adm2+code", "#adm3+name", "#adm3+code",
	"#loc+code", "#loc+name", "#loc+type", "#geo+lat", "#geo+lon", "#assessment+type", "#round+code",
	"#date+occurred", "#affected+idps+hh", "#affected+idps+ind", "#affected+idps+m", "#affected+idps+f",
	"#cause+type",
}

type country struct {
	iso3, prefix string
	lat, lon     float64
	admin1       []string
}

var siteCountries = []country{
	{"SSD", "SS", 7.0, 30.0, []string{"Central Equatoria", "Jonglei", "Unity", "Upper Nile", "Warrap", "Lakes"}},
	{"NGA", "NG", 11.0, 13.0, []string{"Borno", "Adamawa", "Yobe"}},
	{"SDN", "SD", 13.0, 25.0, []string{"North Darfur", "South Darfur", "West Darfur", "Central Darfur", "East Darfur"}},
}

var siteTypes = []string{"Camp", "Collective Centre", "Host Community", "Displacement site", "Village", "Urban", "Dispersed"}

var reasons = []string{"Conflict", "Natural disaster", "Conflict; Flood", "Communal clashes", "Flood", "Drought; Food insecurity"}

var assessmentTypes = []string{"BA", "SA", "ETT"}

// WriteSiteCSV writes a deterministic site assessment CSV of n data rows.
func WriteSiteCSV(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	writeLine(bw, SiteHeader)
	writeLine(bw, SiteHXL)
	rng := rand.New(rand.NewPCG(42, uint64(n)))
	buf := make([]byte, 0, 512)
	for i := range n {
		buf = appendSiteRow(buf[:0], rng, i)
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// siteRow is the values of one synthetic row, shared by the CSV and XLSX
// generators.
type siteRow struct {
	c                      country
	a1, a2, a3             int
	site                   int
	siteName, siteType     string
	lat, lon               float64
	atype                  string
	round                  int
	month, day             int
	hh, ind, males, female int
	reason                 string
}

func newSiteRow(rng *rand.Rand, i int) siteRow {
	c := siteCountries[rng.IntN(len(siteCountries))]
	r := siteRow{c: c, a1: rng.IntN(len(c.admin1)), a2: rng.IntN(12), a3: rng.IntN(9), site: i + 1}
	r.siteType = siteTypes[rng.IntN(len(siteTypes))]
	r.lat = c.lat + rng.Float64()*4 - 2
	r.lon = c.lon + rng.Float64()*4 - 2
	r.atype = assessmentTypes[rng.IntN(len(assessmentTypes))]
	r.round = 37 + rng.IntN(2)
	r.month, r.day = 1+rng.IntN(12), 1+rng.IntN(28)
	r.hh = rng.IntN(2000)
	r.ind = r.hh*(3+rng.IntN(4)) + rng.IntN(5)
	r.males = r.ind * (40 + rng.IntN(20)) / 100
	r.female = r.ind - r.males
	r.reason = reasons[rng.IntN(len(reasons))]
	if rng.IntN(10) == 0 {
		r.siteName = fmt.Sprintf("%s, %s site %d", c.admin1[r.a1], "block B", r.site)
	} else {
		r.siteName = fmt.Sprintf("%s site %d", c.admin1[r.a1], r.site)
	}
	return r
}

// cells returns the row as text cells in SiteHeader order.
func (r siteRow) cells() []string {
	return []string{
		r.c.iso3, r.c.admin1[r.a1], pcode(r.c.prefix, r.a1+1), "County " + strconv.Itoa(r.a2+1),
		pcode(r.c.prefix, r.a1+1, r.a2+1), "Payam " + strconv.Itoa(r.a3+1), pcode(r.c.prefix, r.a1+1, r.a2+1, r.a3+1),
		fmt.Sprintf("%s-%07d", r.c.iso3, r.site), r.siteName, r.siteType,
		strconv.FormatFloat(r.lat, 'f', 5, 64), strconv.FormatFloat(r.lon, 'f', 5, 64), r.atype,
		"R" + strconv.Itoa(r.round), fmt.Sprintf("2025-%02d-%02d", r.month, r.day),
		strconv.Itoa(r.hh), thousands(r.ind), thousands(r.males), thousands(r.female), r.reason,
	}
}

func appendSiteRow(buf []byte, rng *rand.Rand, i int) []byte {
	for j, s := range newSiteRow(rng, i).cells() {
		if j > 0 {
			buf = append(buf, ',')
		}
		buf = appendField(buf, s)
	}
	return append(buf, '\n')
}

func pcode(prefix string, parts ...int) string {
	b := []byte(prefix)
	for _, p := range parts {
		if p < 10 {
			b = append(b, '0')
		}
		b = strconv.AppendInt(b, int64(p), 10)
	}
	return string(b)
}

// thousands formats n with comma thousands separators ("2,180").
func thousands(n int) string {
	s := strconv.Itoa(n)
	if len(s) <= 3 {
		return s
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	pre := len(s) % 3
	if pre > 0 {
		out = append(out, s[:pre]...)
	}
	for k := pre; k < len(s); k += 3 {
		if len(out) > 0 {
			out = append(out, ',')
		}
		out = append(out, s[k:k+3]...)
	}
	return string(out)
}

// appendField appends s as a CSV field, quoted when it needs to be.
func appendField(buf []byte, s string) []byte {
	need := false
	for k := 0; k < len(s); k++ {
		if c := s[k]; c == ',' || c == '"' || c == '\n' || c == '\r' {
			need = true
			break
		}
	}
	if !need {
		return append(buf, s...)
	}
	buf = append(buf, '"')
	for k := 0; k < len(s); k++ {
		if s[k] == '"' {
			buf = append(buf, '"')
		}
		buf = append(buf, s[k])
	}
	return append(buf, '"')
}

func writeLine(w *bufio.Writer, cells []string) {
	var buf []byte
	for j, s := range cells {
		if j > 0 {
			buf = append(buf, ',')
		}
		buf = appendField(buf, s)
	}
	w.Write(append(buf, '\n'))
}

// SiteCSV returns a site assessment CSV of n data rows in memory.
func SiteCSV(n int) []byte {
	var b bytes.Buffer
	_ = WriteSiteCSV(&b, n) // a bytes.Buffer never fails
	return b.Bytes()
}

// SiteRows returns n synthetic site rows as text cells (SiteHeader order),
// the same values as SiteCSV's data rows.
func SiteRows(n int) [][]string {
	rng := rand.New(rand.NewPCG(42, uint64(n)))
	out := make([][]string, n)
	for i := range out {
		out[i] = newSiteRow(rng, i).cells()
	}
	return out
}
