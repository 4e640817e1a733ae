package pipeline_test

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/ingest/formats"
	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

// pipeFormat is a toy input format declared in test code: text whose first
// line is "#pipes", then '|'-separated cells, the first row a header.
type pipeFormat struct{}

func (pipeFormat) Name() string { return "pipes" }

func (pipeFormat) Sniff(path string, head []byte) ingest.Confidence {
	if strings.HasPrefix(string(head), "#pipes\n") {
		return ingest.ByContent
	}
	return ingest.NotMine
}

func (pipeFormat) Open(src ingest.Source, opts ingest.Options) (ingest.Reader, error) {
	stream, err := ingest.OpenStream(src, opts.Limits)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(stream)
	sc.Scan() // #pipes
	sc.Scan()
	return &pipeReader{sc: sc, c: stream, line: 2,
		hdr: ingest.Header{File: src.Path, Format: "pipes", HeaderLine: 2, Columns: strings.Split(sc.Text(), "|")}}, nil
}

type pipeReader struct {
	sc   *bufio.Scanner
	c    io.Closer
	hdr  ingest.Header
	line int
}

func (r *pipeReader) Header() ingest.Header { return r.hdr }

func (r *pipeReader) Next(max int) ([]ingest.Row, error) {
	var rows []ingest.Row
	for len(rows) < max && r.sc.Scan() {
		r.line++
		rows = append(rows, ingest.Row{Line: r.line, Cells: strings.Split(r.sc.Text(), "|")})
	}
	if len(rows) == 0 {
		return nil, io.EOF
	}
	return rows, nil
}

func (r *pipeReader) Close() error { return r.c.Close() }

// returnsToy is a toy dataset kind declared in test code: no rules of its
// own in package transform, only the generic converter.
func returnsToy() *schemas.Dataset {
	return &schemas.Dataset{
		Name: "returns_toy", Version: "0.1", Description: "returnees by admin 1 (a toy kind)",
		PartitionKey: "year_part", PartitionField: "reporting_date", PartitionDoc: "year of the reporting date",
		Fields: []schemas.Field{
			{Name: "country_iso3", Kind: schemas.String, Description: "country", HXL: "#country+code", Sensitivity: schemas.Public, Required: true},
			{Name: "admin1_pcode", Kind: schemas.String, Description: "admin 1 p-code", HXL: "#adm1+code", Sensitivity: schemas.Public, Aliases: []string{"Province code"}},
			{Name: "reporting_date", Kind: schemas.Date, Description: "reporting date", HXL: "#date+reported", Sensitivity: schemas.Public},
			{Name: "returnee_individuals", Kind: schemas.Int, Unit: "persons", Description: "returnees", HXL: "#affected+returnees+ind", Sensitivity: schemas.Public, Aliases: []string{"Returnees"}},
		},
	}
}

// TestToyKindAndFormatThroughTheRegistries is the proof of the seams: a
// dataset kind and an input format declared only in this file are
// registered, and a file of that format is ingested as that kind end to
// end (format detection by content, mapping, casting, the run's country
// default, Parquet, the warehouse view).
func TestToyKindAndFormatThroughTheRegistries(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "returns.data") // an extension no format knows
	body := "#pipes\nProvince code|Reporting date|Returnees\nAA01|2024-03-01|120\nAA02|2024-03-01|80\nAA02|2024-04-01|1,040\nAA02|2024-04-01|1,040\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	kinds := schemas.NewRegistry(append(schemas.Default().All(), returnsToy())...)
	fmts := ingest.NewFormats(append([]ingest.Format{pipeFormat{}}, defaultFormats()...)...)
	rules := transform.DefaultRules()
	rules.Register("returns_toy", transform.Rules{Dedupe: true, Headline: []transform.Headline{{Field: "returnee_individuals", Label: "returnees"}}})
	wh := t.TempDir()
	res, err := pipeline.Run(context.Background(), pipeline.Config{Warehouse: wh, Registry: kinds, Formats: fmts, Rules: rules,
		RunID: "toy", MaxRejectRatio: 1},
		[]pipeline.Input{{Path: path, Kind: "returns_toy", Country: "AAA", Duplicates: transform.DuplicatesDrop}})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Sources[0]
	if s.Status != pipeline.StatusCommitted || s.RowsIn != 4 || s.RowsWritten != 3 {
		t.Fatalf("source %+v", s)
	}
	// The toy kind's rules came through the rules registry: its repeated
	// row was found (and dropped, as the run asked) and its headline
	// figure reconciled.
	if len(s.Reconciliation) != 1 || s.Reconciliation[0].InFile != 2280 || s.Reconciliation[0].Written != 1240 {
		t.Errorf("reconciliation of the toy kind's headline: %+v", s.Reconciliation)
	}
	db, err := query.Open(context.Background(), wh, kinds)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Query(context.Background(), "SELECT string_agg(DISTINCT country_iso3) || '/' || sum(returnee_individuals) || '/' || count(*) FROM returns_toy")
	if err != nil {
		t.Fatal(err)
	}
	if v := asText(got.Rows[0][0]); v != "AAA/1240/3" {
		t.Errorf("returns_toy: got %s, want AAA/1240/3", v)
	}
}

// defaultFormats lists the members of formats.Default() (a test helper: a
// registry is read-only, so the toy one is built from the same members).
func defaultFormats() []ingest.Format {
	reg := formats.Default()
	var out []ingest.Format
	for _, n := range []string{"xlsx", "dtmapi", "csv"} {
		f, err := reg.Lookup(n)
		if err != nil {
			panic(err)
		}
		out = append(out, f)
	}
	return out
}
