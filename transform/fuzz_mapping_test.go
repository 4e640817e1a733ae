package transform

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// splitCells splits a fuzz string into at most max cells on tabs.
func splitCells(s string, max int) []string {
	c := strings.Split(s, "\t")
	if len(c) > max {
		c = c[:max]
	}
	return c
}

// FuzzParseHXLRow parses a whole HXL tag row: every cell that parses
// yields a tag "#name+attr..." without spaces or empty attributes, and
// re-parsing its text gives the same tag.
func FuzzParseHXLRow(f *testing.F) {
	f.Add("#country+code\t#adm1+name\t\t#affected+idps+ind\t#REF!\t#date+occurred")
	f.Add("#ADM1 +Code\t  #loc+name  \t#geo+lat\t#x_y+z+z")
	f.Add("+code\t#\t##\t#1abc\t#a++b")
	f.Fuzz(func(t *testing.T, row string) {
		for _, cell := range splitCells(row, 256) {
			tag, ok := ParseHXL(cell)
			if !ok {
				continue
			}
			s := tag.String()
			if !strings.HasPrefix(s, "#") || len(s) < 2 || strings.ContainsAny(s, " \t\r\n") || strings.Contains(s, "++") || strings.HasSuffix(s, "+") {
				t.Fatalf("ParseHXL(%q) = %q", cell, s)
			}
			again, ok := ParseHXL(s)
			if !ok || again.String() != s {
				t.Fatalf("ParseHXL(%q) = %q, which reparses as %q, %v", cell, s, again.String(), ok)
			}
		}
	})
}

// FuzzMapAndConvert maps random headers (with or without an HXL row) to a
// dataset, then converts random rows: no panic, the mapping is consistent,
// every row is accounted for, and every partition directory stays inside
// the warehouse.
func FuzzMapAndConvert(f *testing.F) {
	f.Add(uint8(0), "Country Code\tState Pcode\tSite Name\tRound\tSurvey Date\tTotal IDP (Individuals)",
		"#country+code\t#adm1+code\t#loc+name\t#round+code\t#date+occurred\t#affected+idps+ind",
		"SSD\tSS01\tJuba 1\tR37\t2025-03-15\t2,180\nSSD\tSS01\tJuba 1\tR37\t2025-03-15\t2,180\n\t\t\t\t\t\nXX\t../../x\t=cmd|' /C calc'!A0\t__HIVE_DEFAULT_PARTITION__\t9999-12-31\t1e308")
	f.Add(uint8(1), "Date\tFMP\tDirection\tNationality\tSex\tAge group\tIndividuals", "",
		"2024-01-05\tFMP-1\tIncoming\tSDN\tF\t0-4\t12\n2024-13-45\tFMP-1\tsideways\t..\tX\t-1\tNaN")
	f.Add(uint8(2), "Date\tFMP\tSex\tAge\tNationality\tName\tPhone", "", "2024-01-05\tFMP-1\tM\t34\tSDN\tJohn\t+249 912")
	f.Add(uint8(3), "admin0Pcode\tadmin1Pcode\tnumPresentIdpInd\treportingDate\troundNumber\toperation", "",
		"NGA\tNG008\t-5\t2022-12-31T00:00:00\t43\tOp\nNGA\tNG008\t99999999999999999999\t1800-01-01\t-1\tOp")
	f.Add(uint8(0), "Site Name\tSite Name\tSite Name\tM_0_4\tF_5_17\tf 60+\tmale 18-59", "#loc+name\t#loc+name\t\t\t\t\t", "a\tb\tc\t1\t2\t3\t4")
	f.Add(uint8(0), "", "", "")
	reg := schemas.Default()
	all := reg.All()
	root := filepath.Join(string(filepath.Separator), "warehouse")
	f.Fuzz(func(t *testing.T, kind uint8, headers, hxl, body string) {
		ds := all[int(kind)%len(all)]
		h := ingest.Header{File: "fuzz.csv", Format: "csv", HeaderLine: 1, Columns: splitCells(headers, 64)}
		if hxl != "" {
			h.HXLLine = 2
			h.HXL = splitCells(hxl, 64)
			for len(h.HXL) < len(h.Columns) {
				h.HXL = append(h.HXL, "")
			}
			h.HXL = h.HXL[:len(h.Columns)]
		}
		var over map[string]string
		if len(h.Columns) > 1 && len(ds.Fields) > 0 {
			over = map[string]string{h.Columns[len(h.Columns)-1]: ds.Fields[int(kind)%len(ds.Fields)].Name}
		}
		m, err := Map(h, ds, MapOptions{Overrides: over})
		if err != nil {
			return
		}
		fields := map[string]int{}
		for i, c := range m.Columns {
			if c.Index < 0 || c.Index >= len(h.Columns) {
				t.Fatalf("column %d has index %d of %d", i, c.Index, len(h.Columns))
			}
			if c.Field != "" && c.Band == nil {
				if prev, dup := fields[c.Field]; dup {
					t.Fatalf("field %s fed by columns %d and %d", c.Field, prev, c.Index)
				}
				fields[c.Field] = c.Index
			}
		}
		for f, i := range fields {
			if j, ok := m.ColumnFor(f); !ok || j != i {
				t.Fatalf("ColumnFor(%s) = %d, %v; want %d", f, j, ok, i)
			}
		}
		_ = MappingRejects(m, h)
		_ = m.Notes()
		var rows []ingest.Row
		if body != "" {
			for i, line := range strings.Split(body, "\n") {
				if i == 64 {
					break
				}
				rows = append(rows, ingest.Row{Line: h.HeaderLine + 1 + i, Cells: splitCells(line, 80)})
			}
		}
		_ = m.FixSwappedAdmin(rows)
		conv := NewConverter(m, Provenance{File: "fuzz.csv", FileID: "00", RunID: "r"},
			Options{Country: "SSD", Pcodes: NewPcodeBook(nil), Pseudonymizer: NewPseudonymizer("key"), BatchRows: 7})
		defer conv.Release()
		rejects := conv.Convert(rows)
		written := 0
		for _, pr := range conv.Drain(true) {
			written += int(pr.Record.NumRows())
			dir := sinks.PartitionDir(ds.Name, pr.Partition.Country, pr.Partition.Key, pr.Partition.Value)
			p := filepath.Join(root, dir)
			if rel, err := filepath.Rel(root, p); err != nil || strings.HasPrefix(rel, "..") || strings.Count(dir, "/") != 2 {
				t.Fatalf("partition %+v gives directory %q outside the warehouse", pr.Partition, dir)
			}
			pr.Record.Release()
		}
		st := conv.Stats()
		if st.RowsIn != len(rows) || st.RowsIn != st.RowsWritten+st.RowsRejected || written != st.RowsWritten {
			t.Fatalf("accounting: %d rows given, stats %+v, %d rows in records", len(rows), st, written)
		}
		for _, r := range rejects {
			if r.Code == "" || r.Message == "" || r.File != "fuzz.csv" {
				t.Fatalf("reject without code, message or file: %+v", r)
			}
			if r.Row != 0 && (r.Row < h.HeaderLine+1 || r.Row > h.HeaderLine+len(rows)) {
				t.Fatalf("reject names row %d, rows are %d..%d", r.Row, h.HeaderLine+1, h.HeaderLine+len(rows))
			}
		}
	})
}
