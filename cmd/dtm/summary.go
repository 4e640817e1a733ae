package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/iom-dtm/dtm/internal/pipeline"
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
	fmt.Fprintf(tw, "total\t\t%d\t%d\t%d\t%d\t\t\t\n", res.RowsIn, res.RowsWritten, res.RowsRejected, res.RowsSkipped)
	tw.Flush()
	for _, s := range res.Sources {
		for _, e := range s.Errors {
			fmt.Fprintf(w, "  error: %s: %s\n", s.File, e)
		}
		if len(s.RejectCodes) > 0 {
			var codes []string
			for c, n := range s.RejectCodes {
				codes = append(codes, fmt.Sprintf("%s %d", c, n))
			}
			sort.Strings(codes)
			fmt.Fprintf(w, "  rejects in %s: %s\n", s.File, strings.Join(codes, ", "))
		}
	}
	if res.Error != "" {
		fmt.Fprintf(w, "  error: %s\n", res.Error)
	}
	if len(res.Pruned) > 0 {
		fmt.Fprintf(w, "  pruned %d inputs no longer listed\n", len(res.Pruned))
	}
}
