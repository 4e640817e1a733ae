package inspect_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/internal/inspect"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

func fixture(dir, name string) string { return filepath.Join("..", "..", "testdata", dir, name) }

// TestFileGuessesTheDataset: with every dataset as a candidate, the one
// mapping the most columns is chosen, and each candidate is listed with
// its count.
func TestFileGuessesTheDataset(t *testing.T) {
	reg := schemas.Default()
	cases := []struct{ file, want string }{
		{fixture("site", "d01_title_banner.csv"), "site_assessment"},
		{fixture("site", "sadd_chad.csv"), "site_assessment"},
		{fixture("flow", "fmr_daily_en.csv"), "flow_registry"},
		{fixture("flow", "fms_kobo_en.csv"), "flow_survey"},
	}
	for _, tc := range cases {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			rep, err := inspect.File(tc.file, "", reg.All(), transform.MapOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Dataset != tc.want || !strings.Contains(rep.DatasetChoice, "maps the most columns") {
				t.Errorf("dataset %s (%s), want %s; candidates %+v", rep.Dataset, rep.DatasetChoice, tc.want, rep.Candidates)
			}
			if len(rep.Candidates) != len(reg.All()) {
				t.Fatalf("%d candidates listed, want %d", len(rep.Candidates), len(reg.All()))
			}
			for _, c := range rep.Candidates {
				if c.Error == "" && c.Mapped > rep.Mapped {
					t.Errorf("%s maps %d columns, more than the chosen %s (%d)", c.Dataset, c.Mapped, rep.Dataset, rep.Mapped)
				}
			}
			if rep.Mapped == 0 || rep.Mapped+len(rep.Unmapped) > len(rep.Columns) || rep.RowsSampled == 0 {
				t.Errorf("mapped %d, unmapped %d of %d columns, %d rows sampled", rep.Mapped, len(rep.Unmapped), len(rep.Columns), rep.RowsSampled)
			}
		})
	}
}

// TestFileNamedKind: one candidate is the dataset named with --kind, even
// when another would map more columns.
func TestFileNamedKind(t *testing.T) {
	ds, err := schemas.Default().Lookup("flow_registry")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := inspect.File(fixture("site", "d01_title_banner.csv"), "", []*schemas.Dataset{ds}, transform.MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Dataset != "flow_registry" || rep.DatasetChoice != "named with --kind" || rep.Candidates != nil {
		t.Errorf("%s (%s), candidates %v", rep.Dataset, rep.DatasetChoice, rep.Candidates)
	}
}

func TestFileErrors(t *testing.T) {
	all := schemas.Default().All()
	missing := filepath.Join(t.TempDir(), "no_such.csv")
	if _, err := inspect.File(missing, "", all, transform.MapOptions{}); err == nil || !strings.Contains(err.Error(), "no_such.csv") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := inspect.File(fixture("site", "sadd_chad.csv"), "", nil, transform.MapOptions{}); err == nil || !strings.Contains(err.Error(), "no dataset to try") {
		t.Errorf("no candidates: %v", err)
	}
}

func TestWriteText(t *testing.T) {
	rep := &inspect.Report{File: "x.csv", Format: "csv", Encoding: "windows-1252", Delimiter: ";", Dataset: "site_assessment",
		DatasetChoice: "named with --kind", HeaderRow: 3, SkippedAbove: 2, UnitsRow: 4, RowsSampled: 7, Mapped: 1,
		Columns:  []transform.Column{{Index: 0, Header: "Total IDP\n(Individuals)", Field: "idp_individuals", Rule: "alias"}, {Index: 1, Header: "Method"}},
		Unmapped: []string{"Method"}, Headline: "no column maps to idp_individuals", Notes: []string{"a note"}}
	var buf bytes.Buffer
	inspect.WriteText(&buf, rep)
	out := buf.String()
	for _, want := range []string{"encoding:    windows-1252\n", "delimiter:   ;\n", "dataset:     site_assessment (named with --kind)\n",
		"header row:  3, units row 4 (2 title or banner rows above)\n", "HXL row:     none\n", "columns:     2, 1 mapped (checked against 7 rows)\n",
		"Total IDP (Individuals)", `unmapped (1): "Method"`, "note: a note\n", "ERROR (ingest would fail, exit 3): no column maps to idp_individuals\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}
