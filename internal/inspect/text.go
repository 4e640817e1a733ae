package inspect

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/iom-dtm/dtm/transform"
)

// WriteText writes the report for a person (`dtm inspect`'s text format).
func WriteText(w io.Writer, r *Report) {
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
