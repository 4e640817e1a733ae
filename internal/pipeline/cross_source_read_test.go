package pipeline

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
	"go.uber.org/zap"
)

// genSite is one generated site-assessment row.
type genSite struct {
	country, atype, id, name string
	round                    int
	site                     int // the site's number in the pool
	day                      int // of the reporting date in May 2025 (0: none)
}

// genPcode is the admin 1 p-code of a generated country.
var genPcode = map[string]string{"SSD": "SS01", "NGA": "NG02", "SDN": "SD03", "ETH": "ET04"}

// writeGenSites writes rows as a CSV; row r of rows is source row r+2.
func writeGenSites(t *testing.T, path string, rows []genSite) {
	t.Helper()
	var b strings.Builder
	b.WriteString("Country,Admin1 Pcode,Site ID,Site Name,Assessment Type,Round,Reporting Date,IDP Individuals\n")
	for i, r := range rows {
		date := ""
		if r.day > 0 {
			date = fmt.Sprintf("2025-05-%02d", r.day)
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%d,%s,%d\n", r.country, genPcode[r.country], r.id, r.name, r.atype, r.round, date, 10+i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// genSites draws n rows of the given countries and rounds: site ids from
// a small pool (so that files overlap), one in five known by name only
// (in varying case and spaces), assessment types BA or SA, reporting
// dates in May 2025 (one in ten without).
func genSites(rng *rand.Rand, n int, countries []string, rounds []int) []genSite {
	out := make([]genSite, n)
	for i := range out {
		c := countries[rng.Intn(len(countries))]
		s := genSite{country: c, round: rounds[rng.Intn(len(rounds))], atype: []string{"BA", "SA"}[rng.Intn(2)]}
		k := rng.Intn(60)
		s.site = k
		if rng.Intn(10) > 0 {
			s.day = 1 + rng.Intn(28)
		}
		if rng.Intn(5) == 0 {
			s.name = []string{"Camp %d", "camp %d ", " CAMP %d"}[rng.Intn(3)]
			s.name = fmt.Sprintf(s.name, k)
		} else {
			s.id, s.name = fmt.Sprintf("%s-%04d", c, k), fmt.Sprintf("Site %d", k)
		}
		out[i] = s
	}
	return out
}

// genKeys are the site keys the converter would remember of rows (as
// siteKeys.add: the first row of each site-round).
func genKeys(rows []genSite) *siteKeys {
	k := &siteKeys{}
	for i, r := range rows {
		key := query.AppendSiteRoundKey(nil, r.country, r.atype, int64(r.round), r.id, [4]string{genPcode[r.country]}, r.name)
		k.insert(key, "", int64(i+2))
	}
	return k
}

// duckDBCheck is the check as it was before the Go reader: DuckDB over the
// site_assessment view, every committed source file not read again,
// filtered by the countries and rounds of this run's keys.
func duckDBCheck(ctx context.Context, cfg Config, base *sinks.Manifest, inputs []Input, idx []int, keys []*siteKeys,
	reread map[string]bool, note func(int, string, CrossSourceDuplicate, string)) error {
	byFile := map[string]*sinks.Source{}
	var files []string
	for _, s := range base.Sources {
		if s.Dataset != siteRoundDataset || reread[s.Key] {
			continue
		}
		if _, dup := byFile[s.File]; !dup {
			files = append(files, s.File)
		}
		byFile[s.File] = s
	}
	sort.Strings(files)
	return duckSiteRounds(ctx, cfg, files, newWantedSiteRounds(idx, keys), noteCommitted(byFile, inputs, idx, keys, note))
}

// genWarehouse commits generated files over several runs (small row
// groups, so that files have several) and returns the warehouse and the
// committed rows by file name.
func genWarehouse(t *testing.T, dir string, rng *rand.Rand, replaces map[string]bool) (string, map[string][]genSite) {
	t.Helper()
	wh := filepath.Join(dir, "wh")
	committed := map[string][]genSite{}
	plan := []struct {
		name      string
		countries []string
		rounds    []int
	}{
		{"a.csv", []string{"SSD", "NGA"}, []int{5, 6}},
		{"b.csv", []string{"SSD"}, []int{6}},
		{"c.csv", []string{"SDN", "NGA"}, []int{5, 7}},
		{"d.csv", []string{"SSD", "SDN", "NGA"}, []int{7}},
		{"e.csv", []string{"ETH"}, []int{5, 6, 7}},
	}
	for i, p := range plan {
		path := filepath.Join(dir, p.name)
		rows := genSites(rng, 150, p.countries, p.rounds)
		// Sorted by site as many published lists are, so row groups cover
		// ranges of ids (the statistics then leave some out); the sites
		// known by name only are among the others.
		sort.SliceStable(rows, func(a, b int) bool { return rows[a].site < rows[b].site })
		writeGenSites(t, path, rows)
		committed[p.name] = rows
		repl := ""
		if replaces[p.name] {
			repl = "round"
		}
		cfg := Config{Warehouse: wh, Registry: schemas.Default(), RunID: fmt.Sprintf("r%d", i), RecordRows: 8, BatchRows: 8}
		res, err := Run(context.Background(), cfg, []Input{{Path: path, Kind: "site_assessment", Source: strings.TrimSuffix(p.name, ".csv"), Replaces: repl}})
		if err != nil || res.Status != RunOK {
			t.Fatalf("%s: %v %+v", p.name, err, res)
		}
	}
	return wh, committed
}

// checkBoth runs the check of the inputs (generated rows, not committed)
// against the warehouse both ways and returns the results.
func checkBoth(t *testing.T, wh string, inputs []Input, rows [][]genSite) (goRes, duckRes []SourceResult) {
	t.Helper()
	ctx := context.Background()
	base, err := sinks.ReadManifest(wh)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Warehouse: wh, Registry: schemas.Default(), Logger: zap.NewNop()}
	run := func(by committedCheck) []SourceResult {
		out := make([]SourceResult, len(inputs))
		keys := make([]*siteKeys, len(inputs))
		for i := range inputs {
			out[i].Status = StatusDryRun
			keys[i] = genKeys(rows[i])
		}
		if err := crossSourceCheckBy(ctx, cfg, base, inputs, out, keys, by); err != nil {
			t.Fatal(err)
		}
		return out
	}
	return run(againstCommitted), run(duckDBCheck)
}

// TestCrossSourceGoReaderMatchesDuckDB: on generated warehouses (several
// countries, rounds, sources and runs; sites by id and by name), the
// findings of the pruned Go reader are those of the DuckDB scan, finding
// by finding (messages, pairs, order), for new inputs that overlap the
// committed ones, that do not, that are of new rounds or countries, and
// that are committed inputs read again.
func TestCrossSourceGoReaderMatchesDuckDB(t *testing.T) {
	for _, c := range []struct {
		name     string
		replaces map[string]bool
	}{
		{"plain", nil},
		// Replacing sources: the site_assessment view DuckDB reads leaves
		// out the rows of the older files of their site-rounds, and so
		// must the Go reader.
		{"replaces here", map[string]bool{"b.csv": true}},
		{"replaces twice", map[string]bool{"a.csv": true, "d.csv": true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			rng := rand.New(rand.NewSource(int64(len(c.name))))
			wh, _ := genWarehouse(t, dir, rng, c.replaces)
			in := func(name, src string) Input {
				return Input{Path: filepath.Join(dir, name), Kind: "site_assessment", Source: src}
			}
			cases := []struct {
				name   string
				inputs []Input
				rows   [][]genSite
			}{
				{"overlap", []Input{in("new1.csv", "n"), in("new2.csv", "n")},
					[][]genSite{genSites(rng, 80, []string{"SSD", "NGA"}, []int{5, 6}), genSites(rng, 40, []string{"SDN"}, []int{7})}},
				{"new round", []Input{in("new3.csv", "n")}, [][]genSite{genSites(rng, 50, []string{"SSD", "NGA", "SDN"}, []int{9})}},
				{"new country", []Input{in("new4.csv", "n")}, [][]genSite{genSites(rng, 50, []string{"XXX", "SSD"}, []int{5})}},
				{"reread", []Input{in("b.csv", "b"), in("new5.csv", "n")},
					[][]genSite{genSites(rng, 30, []string{"SSD"}, []int{6}), genSites(rng, 60, []string{"SSD", "ETH"}, []int{6, 7})}},
			}
			for _, k := range cases {
				goRes, duckRes := checkBoth(t, wh, k.inputs, k.rows)
				if !reflect.DeepEqual(goRes, duckRes) {
					t.Errorf("%s: Go reader\n%+v\nDuckDB\n%+v", k.name, goRes, duckRes)
				}
				n := 0
				for _, r := range goRes {
					n += len(r.CrossSource)
				}
				if (k.name == "overlap" || k.name == "reread") && n == 0 {
					t.Errorf("%s: no finding: the test compares nothing", k.name)
				}
				if k.name == "new round" && n != 0 {
					t.Errorf("new round: %d findings", n)
				}
			}
		})
	}
}

// TestCrossSourceReadsOnlyWhatCanMatch: the Go reader opens only the data
// files of the partitions this run's site-rounds are in, and of those
// reads only the row groups whose statistics allow one; none at all for
// a new round. Counted, not timed.
func TestCrossSourceReadsOnlyWhatCanMatch(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	wh, committed := genWarehouse(t, dir, rand.New(rand.NewSource(7)), nil)
	base, err := sinks.ReadManifest(wh)
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]bool{}
	for _, s := range base.Sources {
		sources[s.File] = true
	}
	data := base.DataFiles(siteRoundDataset)
	read := func(rows []genSite) (committedReadStats, []query.SiteRound) {
		want := newWantedSiteRounds([]int{0}, []*siteKeys{genKeys(rows)})
		var got []query.SiteRound
		st, err := readCommittedSiteRounds(ctx, wh, data, sources, nil, want, func(sr query.SiteRound) error {
			got = append(got, sr)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return st, got
	}
	// A site of b.csv (SSD round 6): a.csv's and b.csv's files of that
	// partition only.
	var known genSite
	for _, r := range committed["b.csv"] {
		if r.id != "" {
			known = r
			break
		}
	}
	st, got := read([]genSite{known})
	if st.Files != len(data) || st.FilesOpened != 2 || st.FilesPruned != len(data)-2 {
		t.Errorf("SSD round 6: %+v of %d files", st, len(data))
	}
	if st.RowGroupsSkipped == 0 || st.RowGroupsRead == 0 {
		t.Errorf("SSD round 6: no row group left out by its site ids: %+v", st)
	}
	if len(got) == 0 {
		t.Errorf("SSD round 6: %+v not found", known)
	}
	// Known by name: row groups whose site ids are all set are left out.
	st, _ = read([]genSite{{country: "SSD", atype: "BA", name: "Camp 3", round: 6}})
	if st.FilesOpened != 2 || st.RowGroupsSkipped == 0 {
		t.Errorf("SSD round 6 by name: %+v", st)
	}
	// A new round: no file opened (DuckDB not started either: the check
	// then costs what the new input's keys cost).
	known.round = 9
	st, got = read([]genSite{known})
	if st.FilesOpened != 0 || st.FilesPruned != len(data) || len(got) != 0 {
		t.Errorf("new round: %+v %v", st, got)
	}
	// The Go reader's site-rounds are DuckDB's.
	rows := genSites(rand.New(rand.NewSource(3)), 200, []string{"SSD", "NGA", "SDN", "ETH"}, []int{5, 6, 7})
	_, got = read(rows)
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := newWantedSiteRounds([]int{0}, []*siteKeys{genKeys(rows)})
	var files []string
	for f := range sources {
		files = append(files, f)
	}
	sort.Strings(files)
	var duck []query.SiteRound
	if err := db.SiteRounds(ctx, files, want.countries, want.rounds, want.keys, func(sr query.SiteRound) error {
		sr.Sheet = ""
		duck = append(duck, sr)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(duck) == 0 || !reflect.DeepEqual(got, duck) {
		t.Errorf("Go reader %d site-rounds, DuckDB %d:\n%v\n%v", len(got), len(duck), got, duck)
	}
}

// TestWantedSiteRoundsDirs: the partition directories of the wanted keys
// are those the converter writes to; a file elsewhere (another layout)
// is read.
func TestWantedSiteRoundsDirs(t *testing.T) {
	k := &siteKeys{}
	k.insert(query.AppendSiteRoundKey(nil, "SSD", "BA", 38, "S1", [4]string{}, ""), "", 2)
	k.insert(query.AppendSiteRoundKey(nil, "", "BA", 7, "S1", [4]string{}, ""), "", 3)
	w := newWantedSiteRounds([]int{0}, []*siteKeys{k})
	for rel, want := range map[string]bool{
		"site_assessment/country=SSD/round_part=38/part-a-r1.parquet":      true,
		"site_assessment/country=SSD/round_part=37/part-a-r1.parquet":      false,
		"site_assessment/country=NGA/round_part=38/part-a-r1.parquet":      false,
		"site_assessment/country=unknown/round_part=7/part-a-r1.parquet":   true,
		"site_assessment/country=SSD/round_part=unknown/part-a-r1.parquet": false,
		"site_assessment/part-a-r1.parquet":                                true,
		"site_assessment/country=SSD/part-a-r1.parquet":                    true,
	} {
		if got := w.mayHold(rel); got != want {
			t.Errorf("%s: mayHold %v, want %v", rel, got, want)
		}
	}
	if !reflect.DeepEqual(w.countries, []string{"", "SSD"}) || !reflect.DeepEqual(w.rounds, []int64{7, 38}) || !reflect.DeepEqual(w.ids, []string{"S1"}) || w.names {
		t.Errorf("wanted: %+v", w)
	}
}
