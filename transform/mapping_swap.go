package transform

import (
	"fmt"
	"github.com/iom-dtm/dtm/transform/cast"
	"regexp"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
)

// pcodeLike matches values shaped like p-codes: letters then digits
// ("TD0704", "NG002003", "SS0102"), or DTM pseudo codes ("Temp03").
var pcodeLike = regexp.MustCompile(`^[A-Za-z]{2,4}[0-9][0-9A-Za-z]*$`)

// FixSwappedAdmin looks at sample rows and, on every admin level whose
// "name" column holds codes while its "code" column holds names (HXL tags
// swapped in the source), swaps the two fields back. It returns a note per
// swap; the notes also stand on the columns for `dtm inspect`.
func (m *Mapping) FixSwappedAdmin(sample []ingest.Row) []string {
	var notes []string
	for _, lvl := range []string{"admin1", "admin2", "admin3", "admin4", "origin_admin1"} {
		nameF, codeF := lvl+"_name", lvl+"_pcode"
		ni, okN := m.fieldCol[nameF]
		ci, okC := m.fieldCol[codeF]
		if !okN || !okC {
			continue
		}
		if codeShare(sample, m.Columns[ni].Index) > 0.8 && codeShare(sample, m.Columns[ci].Index) < 0.2 {
			m.Columns[ni].Field, m.Columns[ci].Field = codeF, nameF
			m.fieldCol[nameF], m.fieldCol[codeF] = ci, ni
			note := fmt.Sprintf("%s: columns %q and %q hold swapped values (codes under the name tag); swapped back", lvl, m.Columns[ni].Header, m.Columns[ci].Header)
			m.Columns[ni].Note, m.Columns[ci].Note = note, note
			notes = append(notes, note)
			m.dropDuplicates(nameF, codeF)
		}
	}
	return notes
}

// codeShare is the share of non-empty values in a column that look like codes.
func codeShare(rows []ingest.Row, col int) float64 {
	n, codes := 0, 0
	for _, r := range rows {
		v := strings.TrimSpace(cell(r.Cells, col))
		if v == "" || cast.IsMissing(v) {
			continue
		}
		n++
		if pcodeLike.MatchString(v) {
			codes++
		}
	}
	if n == 0 {
		return 0.5
	}
	return float64(codes) / float64(n)
}
