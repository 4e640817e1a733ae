package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
)

// sitesCSV writes a site assessment with one row per site: "ID;date;idps"
// (an empty ID gives a row known by its p-code and name only).
func sitesCSV(t *testing.T, dir, name string, round int, sites ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("Country,Admin1 Pcode,Site ID,Site Name,Round,Reporting Date,IDP Individuals\n")
	for _, s := range sites {
		p := strings.Split(s, ";")
		site := p[0]
		siteName := "Site " + site
		if strings.HasPrefix(site, "name=") {
			siteName, site = strings.TrimPrefix(site, "name="), ""
		}
		fmt.Fprintf(&b, "SSD,SS01,%s,%s,%d,%s,%s\n", site, siteName, round, p[1], p[2])
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func crossOf(t *testing.T, res *RunResult, file string) []CrossSourceDuplicate {
	t.Helper()
	for _, s := range res.Sources {
		if filepath.Base(s.File) == file {
			return s.CrossSource
		}
	}
	t.Fatalf("no result for %s", file)
	return nil
}

// TestCrossSourceDuplicates: the same site-round in two files is a warning
// on both (in one run), on the new one (against a committed file), in a
// dry run too; other rounds and other sites are not; a site known by name
// matches by p-code and name whatever the case.
func TestCrossSourceDuplicates(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	wh := filepath.Join(dir, "wh")
	a := sitesCSV(t, dir, "a.csv", 5, "S1;2025-05-01;10", "S2;2025-05-01;20", "S3;2025-05-01;30", "name=Bentiu Camp;2025-05-01;40")
	b := sitesCSV(t, dir, "b.csv", 5, "S2;2025-05-20;21", "S3;2025-05-20;31", "S4;2025-05-20;41", "name=bentiu camp ;2025-05-20;41")
	other := sitesCSV(t, dir, "r6.csv", 6, "S1;2025-06-01;11", "S2;2025-06-01;22")
	cfg := Config{Warehouse: wh, Registry: schemas.Default(), RunID: "r1"}
	in := func(p, src, repl string) Input {
		return Input{Path: p, Kind: "site_assessment", Source: src, Replaces: repl}
	}

	// A dry run on an empty warehouse already sees it.
	dry := cfg
	dry.DryRun = true
	res, err := Run(ctx, dry, []Input{in(a, "old", ""), in(b, "new", ""), in(other, "old", "")})
	if err != nil {
		t.Fatal(err)
	}
	if got := crossOf(t, res, "a.csv"); len(got) != 1 || got[0].SiteRounds != 3 || got[0].OtherFile != b || got[0].Committed {
		t.Errorf("dry run, a.csv: %+v", got)
	}
	if got := crossOf(t, res, "r6.csv"); len(got) != 0 {
		t.Errorf("another round is not a duplicate: %+v", got)
	}

	res, err = Run(ctx, cfg, []Input{in(a, "old", ""), in(b, "new", "")})
	if err != nil {
		t.Fatal(err)
	}
	ga, gb := crossOf(t, res, "a.csv"), crossOf(t, res, "b.csv")
	if len(ga) != 1 || ga[0].SiteRounds != 3 || ga[0].OtherSource != "new" || !strings.Contains(ga[0].Example, "SSD, site S2, round 5") ||
		ga[0].Row != 3 || ga[0].OtherRow != 2 || ga[0].Replaces {
		t.Errorf("a.csv: %+v", ga)
	}
	if len(gb) != 1 || gb[0].OtherFile != a || gb[0].Row != 2 || gb[0].OtherRow != 3 {
		t.Errorf("b.csv: %+v", gb)
	}
	for _, s := range res.Sources {
		if s.WarningCodes[CodeCrossSourceDuplicate] != 3 {
			t.Errorf("%s: warning codes %v", s.File, s.WarningCodes)
		}
		found := false
		for _, r := range s.RejectSamples {
			if r.Code == CodeCrossSourceDuplicate && strings.Contains(r.Message, "figures count them twice") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no cross-source-duplicate sample: %+v", s.File, s.RejectSamples)
		}
	}

	// A new file against the committed ones (not read again).
	c := sitesCSV(t, dir, "c.csv", 5, "S3;2025-05-25;32", "S9;2025-05-25;90")
	cfg.RunID = "r2"
	res, err = Run(ctx, cfg, []Input{in(a, "old", ""), in(b, "new", ""), in(c, "new", "")})
	if err != nil {
		t.Fatal(err)
	}
	gc := crossOf(t, res, "c.csv")
	if len(gc) != 2 || gc[0].OtherFile != a || gc[1].OtherFile != b || !gc[0].Committed || gc[0].SiteRounds != 1 || gc[0].OtherRow != 4 {
		t.Errorf("c.csv against the committed files: %+v", gc)
	}
}

// TestReplacesRound: with replaces: round, the views count each
// site-round once, from the input with the later date; without it, twice.
func TestReplacesRound(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := sitesCSV(t, dir, "a.csv", 5, "S1;2025-05-01;10", "S2;2025-05-01;20", "S3;2025-05-30;30")
	b := sitesCSV(t, dir, "b.csv", 5, "S2;2025-05-20;21", "S3;2025-05-20;31", "S4;2025-05-20;41")
	count := func(wh string) string {
		db, err := query.Open(ctx, wh, schemas.Default())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		r, err := db.Query(ctx, `SELECT string_agg(site_id || '=' || idp_individuals, ' ' ORDER BY site_id, idp_individuals) FROM site_assessment`)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(r.Rows[0][0])
	}
	for _, c := range []struct {
		name, replA, replB, want string
	}{
		{"none", "", "", "S1=10 S2=20 S2=21 S3=30 S3=31 S4=41"},
		// S2: b is newer (05-20 > 05-01); S3: a is newer (05-30), though only b replaces.
		{"b replaces", "", "round", "S1=10 S2=21 S3=30 S4=41"},
		{"both", "round", "round", "S1=10 S2=21 S3=30 S4=41"},
	} {
		wh := filepath.Join(dir, "wh-"+strings.ReplaceAll(c.name, " ", "-"))
		cfg := Config{Warehouse: wh, Registry: schemas.Default(), RunID: "r1"}
		res, err := Run(ctx, cfg, []Input{
			{Path: a, Kind: "site_assessment", Source: "a", Replaces: c.replA},
			{Path: b, Kind: "site_assessment", Source: "b", Replaces: c.replB}})
		if err != nil || res.Status != RunOK {
			t.Fatalf("%s: %v %+v", c.name, err, res)
		}
		if got := count(wh); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
		if c.replB == "round" && !crossOf(t, res, "a.csv")[0].Replaces {
			t.Errorf("%s: the warning does not say the site-rounds are counted once", c.name)
		}
	}
	// Declaring replaces later, on unchanged inputs, takes effect without
	// reading them again.
	wh := filepath.Join(dir, "wh-none")
	res, err := Run(ctx, Config{Warehouse: wh, Registry: schemas.Default(), RunID: "r2"}, []Input{
		{Path: a, Kind: "site_assessment", Source: "a"},
		{Path: b, Kind: "site_assessment", Source: "b", Replaces: "round"}})
	if err != nil || !res.Committed || res.Sources[1].Status != StatusUnchanged {
		t.Fatalf("replaces declared later: %v committed=%v %+v", err, res.Committed, res.Sources)
	}
	if got := count(wh); got != "S1=10 S2=21 S3=30 S4=41" {
		t.Errorf("replaces declared later: %s", got)
	}
}

// TestSiteRoundKeySQLMatchesGo: the key DuckDB computes for committed rows
// is the key Go computes for rows being converted.
func TestSiteRoundKeySQLMatchesGo(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := sitesCSV(t, dir, "a.csv", 7, "S1;2025-05-01;10", "name=  Camp Été ;2025-05-01;20")
	wh := filepath.Join(dir, "wh")
	res, err := Run(ctx, Config{Warehouse: wh, Registry: schemas.Default(), RunID: "r1"}, []Input{{Path: a, Kind: "site_assessment"}})
	if err != nil || res.RowsWritten != 2 {
		t.Fatalf("%v %+v", err, res)
	}
	db, err := query.Open(ctx, wh, schemas.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got []string
	if err := db.SiteRounds(ctx, []string{a}, nil, nil, nil, func(sr query.SiteRound) error { got = append(got, sr.Key); return nil }); err != nil {
		t.Fatal(err)
	}
	want := []string{
		query.SiteRoundKey("SSD", "", 7, "S1", [4]string{"SS01"}, "Site S1"),
		query.SiteRoundKey("SSD", "", 7, "", [4]string{"SS01"}, "  Camp Été "),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("DuckDB keys\n%s\nGo keys\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
