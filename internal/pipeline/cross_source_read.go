package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/iom-dtm/dtm/query"
)

// committedReadStats counts what a read of the committed site-rounds
// looked at, for the debug log and the tests: data files of the compared
// sources, those left out by their partition directory, those opened, and
// their row groups read and skipped by their statistics.
type committedReadStats struct {
	Files, FilesPruned, FilesOpened int
	RowGroupsRead, RowGroupsSkipped int
}

// errCommittedLayout is returned by readCommittedSiteRounds for a data
// file whose key columns it cannot read (a type no version of dtm wrote):
// the caller asks DuckDB instead.
var errCommittedLayout = errors.New("committed file layout not read by the Go reader")

// siteRoundColumns are the columns of a site-round key, the source file
// and the source row (the leaf columns read, by name).
var siteRoundColumns = []string{"country_iso3", "assessment_type", "round", "site_id", "site_name",
	"admin1_pcode", "admin2_pcode", "admin3_pcode", "admin4_pcode", "source_file", "source_row",
	"reporting_date", "assessment_date"}

// Indexes into siteRoundColumns.
const (
	xCountry = iota
	xType
	xRound
	xSiteID
	xSiteName
	xA1
	xA2
	xA3
	xA4
	xSourceFile
	xSourceRow
	xReportingDate
	xAssessmentDate
)

// readCommittedSiteRounds does what query's SiteRounds does for the
// cross-source check, without DuckDB and reading only what can match: it
// calls fn with each distinct (wanted site-round, source file) of the
// committed rows of the data files dataFiles (relative to root) whose
// source_file is in sources, with the first source row holding it, in key
// then file order. A file is left out when its partition directory is not
// one the wanted site-rounds are written to, a row group when its
// statistics (round, country, site id) show it holds none of them, and
// only the key columns are read. As in SiteRounds' SQL, a row without a
// country (NULL) or a round has no site-round here. The Sheet of a
// SiteRound is not filled (the check does not use it).
//
// replacing (sinks.Manifest.ReplacingFiles: source file -> run) is not
// empty when committed inputs declare replaces: round: the rows are then
// those of the site_assessment view (query's replacingView), where a
// site-round held by several source files of which one replaces shows
// only the rows of the newest file. dataFiles must then be every
// committed file of the dataset (the newest file may be one not
// compared), and the files' dates are read to tell the newest.
func readCommittedSiteRounds(ctx context.Context, root string, dataFiles []string, sources map[string]bool, replacing map[string]string,
	want *wantedSiteRounds, fn func(query.SiteRound) error) (committedReadStats, error) {
	var st committedReadStats
	type fileKey struct{ key, file string }
	// held is what the rows of a site-round in a source file say: the
	// first source row of those with a country (hasRow: some has one),
	// and the latest reporting (else assessment) date of them all
	// (days).
	type held struct {
		row, date      int64
		hasRow, output bool
	}
	// noDate is DATE '0001-01-01' in days, the view's date of a file
	// without one.
	const noDate = -719162
	found := map[fileKey]*held{}
	var key []byte
	for _, rel := range dataFiles {
		st.Files++
		if !want.mayHold(rel) {
			st.FilesPruned++
			continue
		}
		if err := ctx.Err(); err != nil {
			return st, err
		}
		st.FilesOpened++
		err := readCommittedFile(ctx, filepath.Join(root, filepath.FromSlash(rel)), want, len(replacing) > 0, &st, func(cols []arrow.Array, i int) {
			round, ok := int64At(cols[xRound], i)
			if !ok {
				return
			}
			key = query.AppendSiteRoundKey(key[:0], str(cols[xCountry], i), str(cols[xType], i), round, str(cols[xSiteID], i),
				[4]string{str(cols[xA1], i), str(cols[xA2], i), str(cols[xA3], i), str(cols[xA4], i)}, str(cols[xSiteName], i))
			if len(key) == 0 || !want.has(key) {
				return
			}
			// Rows of any source file count for the newest file of a
			// replaced site-round; only those of the compared ones with a
			// country are output.
			sf := str(cols[xSourceFile], i)
			output := sources[sf] && cols[xSourceFile] != nil && !cols[xSourceFile].IsNull(i) &&
				cols[xCountry] != nil && !cols[xCountry].IsNull(i)
			if !output && len(replacing) == 0 {
				return
			}
			fk := fileKey{string(key), sf}
			h := found[fk]
			if h == nil {
				h = &held{date: noDate}
				found[fk] = h
			}
			if output {
				h.output = true
				if row, ok := int64At(cols[xSourceRow], i); ok && (!h.hasRow || row < h.row) {
					h.row, h.hasRow = row, true
				}
			}
			d, ok := int64At(cols[xReportingDate], i)
			if !ok {
				d, ok = int64At(cols[xAssessmentDate], i)
			}
			if ok && d > h.date {
				h.date = d
			}
		})
		if err != nil {
			return st, fmt.Errorf("reading the committed site-rounds of %s: %w", rel, err)
		}
	}
	keys := make([]fileKey, 0, len(found))
	for fk := range found {
		keys = append(keys, fk)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a].key != keys[b].key {
			return keys[a].key < keys[b].key
		}
		return keys[a].file < keys[b].file
	})
	for start := 0; start < len(keys); {
		end := start + 1
		for end < len(keys) && keys[end].key == keys[start].key {
			end++
		}
		group := keys[start:end]
		start = end
		// keep is the newest file of a replaced site-round (query's
		// replacingView: the later date, then the later run of a
		// replacing file ("" for the others), then the later file name).
		keep, replaced := "", false
		if len(group) > 1 {
			var best fileKey
			for j, fk := range group {
				_, repl := replacing[fk.file]
				replaced = replaced || repl
				if j == 0 {
					best = fk
					continue
				}
				hb, hf := found[best], found[fk]
				if hf.date != hb.date {
					if hf.date > hb.date {
						best = fk
					}
				} else if replacing[fk.file] != replacing[best.file] {
					if replacing[fk.file] > replacing[best.file] {
						best = fk
					}
				} else if fk.file > best.file {
					best = fk
				}
			}
			keep = best.file
		}
		for _, fk := range group {
			h := found[fk]
			if !h.output || (replaced && fk.file != keep) {
				continue
			}
			if err := fn(query.SiteRound{Key: fk.key, File: fk.file, Row: h.row}); err != nil {
				return st, err
			}
		}
	}
	return st, nil
}

// readCommittedFile calls row for every row of the row groups of the
// Parquet file at path that may hold a wanted site-round, with the
// columns of siteRoundColumns (nil: absent from the file, or not read:
// the dates unless dates is true, the p-codes and name when no row group
// read may hold a site known by name).
func readCommittedFile(ctx context.Context, path string, want *wantedSiteRounds, dates bool, st *committedReadStats, row func(cols []arrow.Array, i int)) error {
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		return err
	}
	defer pf.Close()
	md := pf.MetaData()
	leaf := make([]int, len(siteRoundColumns)) // leaf column index, -1: absent
	for c, name := range siteRoundColumns {
		leaf[c] = md.Schema.ColumnIndexByName(name)
	}
	var groups []int
	byName := false // some row group read may hold rows known by name
	for g := 0; g < md.NumRowGroups(); g++ {
		may, names := want.rowGroupMayHold(md.RowGroup(g), leaf)
		if may {
			groups = append(groups, g)
			byName = byName || names
			st.RowGroupsRead++
		} else {
			st.RowGroupsSkipped++
		}
	}
	if len(groups) == 0 || leaf[xRound] < 0 {
		return nil
	}
	// The p-codes and names (the widest columns) are read only when a
	// row known by name may be wanted: without them such a row has no key.
	var read []int
	for c, l := range leaf {
		if l >= 0 && (byName || !nameColumn(c)) && (dates || (c != xReportingDate && c != xAssessmentDate)) {
			read = append(read, l)
		}
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 16 << 10}, memory.DefaultAllocator)
	if err != nil {
		return err
	}
	rr, err := fr.GetRecordReader(ctx, read, groups)
	if err != nil {
		return err
	}
	defer rr.Release()
	cols := make([]arrow.Array, len(siteRoundColumns))
	for rr.Next() {
		rec := rr.RecordBatch()
		sc := rec.Schema()
		for c, name := range siteRoundColumns {
			cols[c] = nil
			if idx := sc.FieldIndices(name); len(idx) > 0 {
				cols[c] = rec.Column(idx[0])
			}
		}
		for c, a := range cols {
			if a == nil {
				continue
			}
			ok := false
			switch a.(type) {
			case *array.Int64, *array.Int32:
				ok = c == xRound || c == xSourceRow
			case *array.Date32:
				ok = c == xReportingDate || c == xAssessmentDate
			case *array.String, *array.LargeString, *array.Dictionary:
				ok = c != xRound && c != xSourceRow && c != xReportingDate && c != xAssessmentDate
			}
			if !ok {
				return fmt.Errorf("%w: %s is %s", errCommittedLayout, siteRoundColumns[c], a.DataType())
			}
		}
		if cols[xRound] == nil {
			continue
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			row(cols, i)
		}
	}
	return rr.Err()
}

// nameColumn reports whether column c of siteRoundColumns is used only by
// the keys of rows known by name (p-codes and site name).
func nameColumn(c int) bool {
	switch c {
	case xSiteName, xA1, xA2, xA3, xA4:
		return true
	}
	return false
}

// int64At is the integer at row i of an Int64, Int32 or Date32 (days)
// column (false when null or absent).
func int64At(a arrow.Array, i int) (int64, bool) {
	switch c := a.(type) {
	case *array.Date32:
		if !c.IsNull(i) {
			return int64(c.Value(i)), true
		}
	case *array.Int64:
		if !c.IsNull(i) {
			return c.Value(i), true
		}
	case *array.Int32:
		if !c.IsNull(i) {
			return int64(c.Value(i)), true
		}
	}
	return 0, false
}

// rowGroupMayHold reports whether a row group may hold a wanted
// site-round, judged by its columns' statistics (leaf: the leaf column of
// each of siteRoundColumns, -1 when absent), and whether it may hold one
// known by name. It cannot when no wanted round lies between its rounds'
// min and max, or no wanted country between its countries' (a country or
// round that is NULL in every row holds no site-round); one known by id
// when no wanted site id lies between its site ids' min and max; one
// known by name when no wanted key is, or every row has a non-empty site
// id. A column without statistics rules nothing out.
func (w *wantedSiteRounds) rowGroupMayHold(rg *metadata.RowGroupMetaData, leaf []int) (may, byName bool) {
	stats := func(c int) metadata.TypedStatistics {
		if leaf[c] < 0 {
			return nil
		}
		cc, err := rg.ColumnChunk(leaf[c])
		if err != nil {
			return nil
		}
		s, err := cc.Statistics()
		if err != nil {
			return nil
		}
		return s
	}
	if leaf[xRound] < 0 || leaf[xCountry] < 0 {
		return false, false // every row lacks a round or a country: no site-round
	}
	switch s := stats(xRound).(type) {
	case *metadata.Int64Statistics:
		if s.HasMinMax() && !anyInt64In(w.rounds, s.Min(), s.Max()) {
			return false, false
		}
	case *metadata.Int32Statistics:
		if s.HasMinMax() && !anyInt64In(w.rounds, int64(s.Min()), int64(s.Max())) {
			return false, false
		}
	}
	if s, ok := stats(xCountry).(*metadata.ByteArrayStatistics); ok && s.HasMinMax() && !anyStringIn(w.countries, s.Min(), s.Max()) {
		return false, false
	}
	s, ok := stats(xSiteID).(*metadata.ByteArrayStatistics)
	if !ok || !s.HasNullCount() || !s.HasMinMax() {
		return true, w.names
	}
	byID := anyStringIn(w.ids, s.Min(), s.Max())
	byName = w.names && (s.NullCount() > 0 || len(s.Min()) == 0)
	return byID || byName, byName
}

// anyInt64In reports whether a sorted list holds a value in [lo, hi].
func anyInt64In(sorted []int64, lo, hi int64) bool {
	i := sort.Search(len(sorted), func(i int) bool { return sorted[i] >= lo })
	return i < len(sorted) && sorted[i] <= hi
}

// anyStringIn reports whether a sorted list holds a string in [lo, hi]
// (byte-wise order: the order of Parquet's UTF-8 statistics).
func anyStringIn(sorted []string, lo, hi []byte) bool {
	i := sort.Search(len(sorted), func(i int) bool { return bytes.Compare([]byte(sorted[i]), lo) >= 0 })
	return i < len(sorted) && bytes.Compare([]byte(sorted[i]), hi) <= 0
}
