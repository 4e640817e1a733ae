package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/iom-dtm/dtm/internal/pipeline"
	"github.com/iom-dtm/dtm/transform"
)

// printRunSummary prints a human summary of a run: one line per input with
// rows in = written + rejected, then the totals.
func printRunSummary(w io.Writer, res *pipeline.RunResult) {
	what := "nothing changed"
	switch {
	case res.DryRun:
		what = "dry run, nothing written"
	case res.Committed:
		what = fmt.Sprintf("committed (generation %d)", res.Generation)
	case res.Status != pipeline.RunOK:
		what = "nothing committed"
	}
	fmt.Fprintf(w, "run %s: %s, %s, %s\n", res.RunID, res.Status, what, res.EndedAt.Sub(res.StartedAt).Round(time.Millisecond))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "status\tbytes\trows in\twritten\trejected\tskipped\twarnings\t file\t")
	for _, s := range res.Sources {
		name := s.File
		if s.Sheet != "" {
			name += " [" + s.Sheet + "]"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t %s\t\n", s.Status, humanBytes(s.Bytes), s.RowsIn, s.RowsWritten, s.RowsRejected, s.RowsSkipped, s.Warnings, name)
	}
	var warnings int64
	for _, s := range res.Sources {
		warnings += s.Warnings
	}
	fmt.Fprintf(tw, "total\t\t%d\t%d\t%d\t%d\t%d\t\t\n", res.RowsIn, res.RowsWritten, res.RowsRejected, res.RowsSkipped, warnings)
	tw.Flush()
	for _, s := range res.Sources {
		for _, e := range s.Errors {
			fmt.Fprintf(w, "  error: %s: %s\n", s.File, e)
		}
		// Rejects (rows dropped, whole-file errors) and warnings (rows
		// kept) are listed apart: a warning is not a reject.
		if len(s.RejectCodes) > 0 {
			fmt.Fprintf(w, "  rejects in %s: %s\n", s.File, codeCounts(s.RejectCodes))
		}
		if len(s.WarningCodes) > 0 {
			fmt.Fprintf(w, "  warnings in %s (rows kept): %s\n", s.File, codeCounts(s.WarningCodes))
		}
		for _, d := range s.CrossSource {
			fmt.Fprintf(w, "  %s in %s: %s\n", pipeline.CodeCrossSourceDuplicate, s.File, d.Message())
		}
		if lines := reconciliationLines(s.Reconciliation); len(lines) > 0 {
			fmt.Fprintf(w, "  figures of %s:\n", s.File)
			for _, l := range lines {
				fmt.Fprintf(w, "    %s\n", l)
			}
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	if res.Error != "" {
		fmt.Fprintf(w, "  error: %s\n", res.Error)
	}
	if len(res.Pruned) > 0 {
		fmt.Fprintf(w, "  pruned %d inputs no longer listed\n", len(res.Pruned))
	}
}

// codeCounts renders counts by code, sorted by code: "blank-row 1, type-error 3".
func codeCounts(m map[string]int) string {
	codes := make([]string, 0, len(m))
	for c, n := range m {
		codes = append(codes, fmt.Sprintf("%s %d", c, n))
	}
	sort.Strings(codes)
	return strings.Join(codes, ", ")
}

// reconciliationLines renders an input's headline figures, one line each:
// "IDP individuals: in file 426,600 · written 426,600 · dropped 0", then
// where a difference went (rows dropped, cells emptied, by reject code) and
// the file's own total when it has one. Figures the file has no column for
// and that nothing wrote are left out.
func reconciliationLines(recs []transform.Reconciliation) []string {
	var out []string
	for _, r := range recs {
		if r.Column == "" && r.Written == 0 && r.FileTotal == nil {
			continue
		}
		l := fmt.Sprintf("%s: in file %s · written %s · dropped %s", r.Label, groupDigits(r.InFile), groupDigits(r.Written), groupDigits(r.Dropped))
		if r.Dropped != 0 || len(r.ByCode) > 0 {
			var codes []string
			for c, n := range r.ByCode {
				if n != 0 {
					codes = append(codes, fmt.Sprintf("%s %s", c, groupDigits(n)))
				}
			}
			sort.Strings(codes)
			l += fmt.Sprintf(" (rows dropped %s, cells emptied %s; by code: %s)", groupDigits(r.RowsDropped), groupDigits(r.CellsEmptied), strings.Join(codes, ", "))
		}
		if r.UnusableCells > 0 {
			l += fmt.Sprintf(" · %d unusable cells not counted", r.UnusableCells)
		}
		if r.FileTotal != nil {
			l += fmt.Sprintf(" · file's own total %s (row %d)", groupDigits(*r.FileTotal), r.FileTotalRow)
			if *r.FileTotal != r.InFile {
				l += fmt.Sprintf(", differs by %s", groupDigits(*r.FileTotal-r.InFile))
			}
		}
		out = append(out, l)
	}
	return out
}

// groupDigits writes n with a comma every three digits (426,600).
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
