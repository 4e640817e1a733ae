package inspect

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/ingest/xlsx"
	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
)

// inspection is the result of reading a file as one dataset.
type inspection struct {
	ds     *schemas.Dataset
	h      ingest.Header
	m      *transform.Mapping
	notes  []string
	rows   int
	mapped int
}

// File reads path as each candidate dataset (sheet: the worksheet to
// read, "" = detected) and reports the one that maps the most columns
// (the first of equals, in the order given); with one candidate, that one
// ("named with --kind"). A candidate that cannot read or map the file is
// listed with its error; when none can, the first error is returned. Any
// panic of a reader is returned as an error naming the file.
func File(path, sheet string, cands []*schemas.Dataset, mo transform.MapOptions) (rep *Report, err error) {
	defer func() {
		if p := recover(); p != nil {
			rep, err = nil, fmt.Errorf("inspecting %q: internal error: %v", path, p)
		}
	}()
	in := pipeline.Input{Path: path}
	if sheet != "" {
		in.Sheets = []string{sheet}
	}
	rep = &Report{File: path, Format: in.Format()}
	var best *inspection
	var firstErr error
	for _, ds := range cands {
		got, err := inspectAs(in, ds, mo)
		c := Candidate{Dataset: ds.Name}
		if err != nil {
			c.Error = err.Error()
			if firstErr == nil {
				firstErr = err
			}
		} else {
			c.Mapped = got.mapped
			if best == nil || got.mapped > best.mapped {
				best = got
			}
		}
		rep.Candidates = append(rep.Candidates, c)
	}
	if best == nil {
		if firstErr == nil {
			firstErr = errors.New("no dataset to try")
		}
		return nil, fmt.Errorf("inspecting %q: %w", path, firstErr)
	}
	rep.Dataset = best.ds.Name
	switch {
	case len(cands) == 1:
		rep.DatasetChoice = "named with --kind"
		rep.Candidates = nil
	default:
		rep.DatasetChoice = fmt.Sprintf("maps the most columns (%d); use --kind to choose another", best.mapped)
	}
	h := best.h
	rep.Encoding, rep.Sheet = h.Encoding, h.Sheet
	rep.Delimiter = delimiterName(h.Delimiter)
	rep.HeaderRow, rep.HXLRow, rep.SkippedAbove = h.HeaderLine, h.HXLLine, h.SkippedAbove
	rep.SubHeaderRow, rep.UnitsRow = h.SubHeaderLine, h.UnitsLine
	rep.RowsSampled = best.rows
	rep.Columns = best.m.Columns
	rep.Mapped = best.mapped
	rep.Unmapped = []string{}
	for _, c := range best.m.Columns {
		if c.Rule == transform.RuleUnmapped && strings.TrimSpace(c.Header) != "" {
			rep.Unmapped = append(rep.Unmapped, transform.CleanHeader(c.Header))
		}
	}
	rep.Decisions = best.m.Decisions()
	said := map[string]bool{}
	for _, d := range rep.Decisions {
		said[d] = true
	}
	rep.Notes = append([]string{}, h.Notes...)
	for _, n := range best.notes {
		if !said[n] {
			rep.Notes = append(rep.Notes, n)
		}
	}
	if inf := best.m.Inferred; inf.Country != "" || inf.RoundSource != "" || inf.PopulationSource != "" {
		rep.Inferred = &inf
	}
	if err := best.m.CheckHeadline(); err != nil {
		rep.Headline = err.Error()
	}
	if rep.Format == "xlsx" {
		infos, err := xlsx.Sheets(path, ingest.Options{Sheet: sheet, Scorer: transform.NewHeaderScorer(best.ds)})
		if err != nil {
			return nil, fmt.Errorf("listing the sheets of %q: %w", path, err)
		}
		for _, si := range infos {
			rep.Sheets = append(rep.Sheets, Sheet{Name: si.Name, HeaderRow: si.HeaderLine, HasHXL: si.HasHXL,
				Score: si.Score, Chosen: si.Chosen, Reason: si.Reason})
		}
	}
	return rep, nil
}

// inspectAs opens the file with the dataset's header scorer, maps its
// columns and checks the mapping against the first rows.
func inspectAs(in pipeline.Input, ds *schemas.Dataset, mo transform.MapOptions) (*inspection, error) {
	rd, err := pipeline.OpenReader(in, ingest.Options{Scorer: transform.NewHeaderScorer(ds)})
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	h := rd.Header()
	m, err := transform.Map(h, ds, mo)
	if err != nil {
		return nil, fmt.Errorf("mapping %q: %w", in.Path, err)
	}
	got := &inspection{ds: ds, h: h, m: m}
	rows, err := rd.Next(SampleRows)
	if err != nil && !errors.Is(err, io.EOF) {
		got.notes = append(got.notes, fmt.Sprintf("reading the first rows: %v", err))
	}
	got.rows = len(rows)
	got.notes = append(got.notes, m.Refine(rows)...)
	for _, c := range m.Columns {
		if c.Field != "" {
			got.mapped++
		}
	}
	return got, nil
}

func delimiterName(r rune) string {
	switch r {
	case 0:
		return ""
	case '\t':
		return "tab"
	case ' ':
		return "space"
	}
	return string(r)
}
