package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/iom-dtm/dtm/query"
	"github.com/iom-dtm/dtm/sinks"
)

// toTable converts a query result for the sinks.
func toTable(r *query.Result) *sinks.Table {
	return &sinks.Table{Columns: r.Columns, Types: r.Types, Rows: r.Rows}
}

// writeTable writes a result in a format: table, csv, hxl, json, jsonl.
func writeTable(w io.Writer, t *sinks.Table, format string) error {
	switch format {
	case "table", "":
		return printAligned(w, t)
	case "csv":
		return sinks.WriteCSV(w, t, false)
	case "hxl":
		return sinks.WriteCSV(w, t, true)
	case "json":
		return sinks.WriteJSON(w, t, false)
	case "jsonl", "ndjson":
		return sinks.WriteJSON(w, t, true)
	}
	return usagef("unknown --format %q", format)
}

// printAligned prints a table with aligned columns and a row count. On a
// terminal, long cells are cut to fit its width (never those of a
// message, error or file column: fitColumns); into a pipe or a file,
// nothing is cut.
func printAligned(w io.Writer, t *sinks.Table) error {
	flat := strings.NewReplacer("\n", " ", "\t", " ", "\r", " ")
	rows := make([][]string, len(t.Rows))
	for j, r := range t.Rows {
		cells := make([]string, len(r))
		for i, v := range r {
			cells[i] = flat.Replace(sinks.FormatValue(v))
		}
		rows[j] = cells
	}
	fitColumns(t.Columns, rows, terminalWidth(w))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(t.Columns, "\t"))
	for _, cells := range rows {
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "(%d rows)\n", len(t.Rows))
	return nil
}

// openOut opens --out (atomically replaced on success) or returns stdout;
// see sinks.OpenOut.
func openOut(path string, stdout io.Writer) (io.Writer, func(ok bool) error, error) {
	return sinks.OpenOut(path, stdout)
}
