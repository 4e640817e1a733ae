package main

import "github.com/iom-dtm/dtm/sinks"

// project keeps the named columns of a table, in that order.
func project(t *sinks.Table, cols []string) *sinks.Table {
	idx := map[string]int{}
	for i, c := range t.Columns {
		idx[c] = i
	}
	out := &sinks.Table{}
	var keep []int
	for _, c := range cols {
		if i, ok := idx[c]; ok {
			keep = append(keep, i)
			out.Columns = append(out.Columns, c)
		}
	}
	for _, r := range t.Rows {
		row := make([]any, len(keep))
		for j, i := range keep {
			row[j] = r[i]
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}
