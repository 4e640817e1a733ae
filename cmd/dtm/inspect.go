package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/ingest/xlsx"
	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/transform"
	"github.com/spf13/cobra"
)

// inspectSampleRows is how many data rows inspect reads to check the
// mapping against values (swapped name and code columns).
const inspectSampleRows = 200

// InspectReport is what `dtm inspect` prints: what dtm sees in one file.
type InspectReport struct {
	File     string `json:"file"`
	Format   string `json:"format"`
	Encoding string `json:"encoding,omitempty"`
	// Delimiter is the CSV delimiter as text ("," ";" "tab"); "" otherwise.
	Delimiter string `json:"delimiter,omitempty"`
	// Dataset is the dataset whose mapping is shown: --kind, or the one
	// that maps the most columns.
	Dataset string `json:"dataset"`
	// DatasetChoice says why Dataset was chosen.
	DatasetChoice string `json:"dataset_choice"`
	// Candidates gives, per dataset tried, the number of mapped columns.
	Candidates []InspectCandidate `json:"candidates,omitempty"`
	Sheets     []InspectSheet     `json:"sheets,omitempty"`
	Sheet      string             `json:"sheet,omitempty"`
	HeaderRow  int                `json:"header_row"`
	HXLRow     int                `json:"hxl_row,omitempty"`
	// SubHeaderRow is the second row of a two-row header, UnitsRow a units
	// row under the header (0: none).
	SubHeaderRow int                `json:"sub_header_row,omitempty"`
	UnitsRow     int                `json:"units_row,omitempty"`
	SkippedAbove int                `json:"skipped_above,omitempty"`
	RowsSampled  int                `json:"rows_sampled"`
	Columns      []transform.Column `json:"columns"`
	Mapped       int                `json:"mapped"`
	// Unmapped lists the (cleaned) headers of the columns no field took.
	Unmapped []string `json:"unmapped"`
	// Inferred is what was read from outside the columns (country, round,
	// population from the file name or p-codes).
	Inferred *transform.Inferred `json:"inferred,omitempty"`
	// Decisions say how the rows will be read: population routing, bare
	// counts, country and round sources, admin levels.
	Decisions []string `json:"decisions,omitempty"`
	// Headline is the error an ingest would fail with because no column
	// maps to the dataset's headline count ("" when one does).
	Headline string   `json:"headline_error,omitempty"`
	Notes    []string `json:"notes,omitempty"`
}

// InspectCandidate is one dataset tried by inspect.
type InspectCandidate struct {
	Dataset string `json:"dataset"`
	Mapped  int    `json:"mapped"`
	Error   string `json:"error,omitempty"`
}

// InspectSheet is one worksheet of a workbook and its fate.
type InspectSheet struct {
	Name      string `json:"name"`
	HeaderRow int    `json:"header_row,omitempty"`
	HasHXL    bool   `json:"has_hxl"`
	Score     int    `json:"score"`
	Chosen    bool   `json:"chosen"`
	Reason    string `json:"reason"`
}

func (a *app) inspectCmd() *cobra.Command {
	var format string
	ff := fileFlags{kinds: a.registry}
	cmd := &cobra.Command{
		Use:   "inspect [--kind KIND] [--sheet NAME] [--column 'Header=field']... [--config JOB --source NAME] [--format text|json] FILE",
		Short: "What dtm sees in a file: encoding, delimiter, sheets, header and HXL rows, column mapping",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usagef("--format %q is not text or json", format)
			}
			kind, country, sheets, _, over, _, _, err := ff.settings()
			if err != nil {
				return err
			}
			sheet := "" // inspect reads one sheet: the first named
			if len(sheets) > 0 {
				sheet = sheets[0]
			}
			var cands []*schemas.Dataset
			if kind != "" {
				ds, err := a.registry.Lookup(kind)
				if err != nil {
					return usageError{err}
				}
				cands = []*schemas.Dataset{ds}
			} else {
				cands = a.registry.All()
			}
			rep, err := inspectFile(args[0], sheet, cands, transform.MapOptions{Overrides: over, Country: strings.ToUpper(country)})
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			printInspect(a.stdout, rep)
			return nil
		},
	}
	cmd.Flags().StringVar(&ff.kind, "kind", "", "dataset to map to (default: the one that maps the most columns)")
	cmd.Flags().StringArrayVar(&ff.sheets, "sheet", nil, "worksheet to read (spreadsheets; default: detected)")
	cmd.Flags().StringVar(&ff.country, "country", "", "ISO3 country code the run would give (then no country is inferred)")
	ff.registerMapping(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// inspection is the result of reading a file as one dataset.
type inspection struct {
	ds     *schemas.Dataset
	h      ingest.Header
	m      *transform.Mapping
	notes  []string
	rows   int
	mapped int
}

// inspectFile reads path as each candidate dataset and reports the best.
func inspectFile(path, sheet string, cands []*schemas.Dataset, mo transform.MapOptions) (rep *InspectReport, err error) {
	defer func() {
		if p := recover(); p != nil {
			rep, err = nil, fmt.Errorf("inspecting %q: internal error: %v", path, p)
		}
	}()
	in := pipeline.Input{Path: path}
	if sheet != "" {
		in.Sheets = []string{sheet}
	}
	rep = &InspectReport{File: path, Format: in.Format()}
	var best *inspection
	var firstErr error
	for _, ds := range cands {
		got, err := inspectAs(in, ds, mo)
		c := InspectCandidate{Dataset: ds.Name}
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
			rep.Sheets = append(rep.Sheets, InspectSheet{Name: si.Name, HeaderRow: si.HeaderLine, HasHXL: si.HasHXL,
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
	rows, err := rd.Next(inspectSampleRows)
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

// printInspect prints the report for a person.
func printInspect(w io.Writer, r *InspectReport) {
	fmt.Fprintf(w, "file:        %s\n", r.File)
	fmt.Fprintf(w, "format:      %s\n", r.Format)
	if r.Encoding != "" {
		fmt.Fprintf(w, "encoding:    %s\n", r.Encoding)
	}
	if r.Delimiter != "" {
		fmt.Fprintf(w, "delimiter:   %s\n", r.Delimiter)
	}
	fmt.Fprintf(w, "dataset:     %s (%s)\n", r.Dataset, r.DatasetChoice)
	for _, c := range r.Candidates {
		if c.Error != "" {
			fmt.Fprintf(w, "  tried %s: %s\n", c.Dataset, c.Error)
		} else {
			fmt.Fprintf(w, "  tried %s: %d columns mapped\n", c.Dataset, c.Mapped)
		}
	}
	if len(r.Sheets) > 0 {
		fmt.Fprintln(w, "sheets:")
		for _, s := range r.Sheets {
			mark := " "
			if s.Chosen {
				mark = "*"
			}
			hdr := "no header"
			if s.HeaderRow > 0 {
				hdr = fmt.Sprintf("header row %d", s.HeaderRow)
			}
			if s.HasHXL {
				hdr += ", HXL"
			}
			fmt.Fprintf(w, "  %s %q: %s, score %d — %s\n", mark, s.Name, hdr, s.Score, s.Reason)
		}
	}
	if r.Sheet != "" {
		fmt.Fprintf(w, "data sheet:  %s\n", r.Sheet)
	}
	fmt.Fprintf(w, "header row:  %d", r.HeaderRow)
	if r.SubHeaderRow > 0 {
		fmt.Fprintf(w, " and %d (two-row header)", r.SubHeaderRow)
	}
	if r.UnitsRow > 0 {
		fmt.Fprintf(w, ", units row %d", r.UnitsRow)
	}
	if r.SkippedAbove > 0 {
		fmt.Fprintf(w, " (%d title or banner rows above)", r.SkippedAbove)
	}
	fmt.Fprintln(w)
	if r.HXLRow > 0 {
		fmt.Fprintf(w, "HXL row:     %d\n", r.HXLRow)
	} else {
		fmt.Fprintln(w, "HXL row:     none")
	}
	fmt.Fprintf(w, "columns:     %d, %d mapped (checked against %d rows)\n", len(r.Columns), r.Mapped, r.RowsSampled)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  #\tcolumn\tHXL\tfield\trule\tnote")
	for _, c := range r.Columns {
		field := c.Field
		if c.Band != nil {
			field = "sadd " + bandText(c.Band)
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%s\n", c.Index+1, oneLine(transform.CleanHeader(c.Header), 50),
			oneLine(c.HXL, 30), field, c.Rule, oneLine(c.Note, 90))
	}
	tw.Flush()
	if len(r.Unmapped) > 0 {
		fmt.Fprintf(w, "unmapped (%d): %s\n", len(r.Unmapped), strings.Join(quoteAll(r.Unmapped), ", "))
	} else {
		fmt.Fprintln(w, "unmapped:    none")
	}
	for _, d := range r.Decisions {
		fmt.Fprintf(w, "decision: %s\n", d)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if r.Headline != "" {
		fmt.Fprintf(w, "ERROR (ingest would fail, exit 3): %s\n", r.Headline)
	}
}

// bandText renders a SADD band as "f 1-5", "m 60+", with its group.
func bandText(b *transform.SADDBand) string {
	s := fmt.Sprintf("%s %d", b.Sex, b.AgeMin)
	if b.AgeMax == nil {
		s += "+"
	} else {
		s += fmt.Sprintf("-%d", *b.AgeMax)
	}
	if b.Group != "" {
		s += " (" + b.Group + ")"
	}
	return s
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
