// Package gazetteer loads the official p-codes of a country (a COD-AB
// style list of admin areas) that the p-code checks of package transform
// compare a file's codes and names with.
package gazetteer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/iom-dtm/dtm/transform"
)

// Load reads a CSV of official p-codes with the columns admin_level (0-4),
// pcode and name (header names matched case-insensitively, a UTF-8 BOM
// tolerated, other columns ignored) and returns the names keyed by
// transform.GazetteerKey(level, pcode). An optional parent_pcode column
// gives each code's parent (keyed by transform.GazetteerParentKey): it then
// decides the p-code hierarchy check instead of the prefix rule.
//
// Errors: the file cannot be opened or parsed, a required column is
// missing, or any row is malformed (too few cells, an admin level that is
// not 0-4, an empty p-code, a CSV syntax error). Every row error names the
// file and the 1-based row; loading never stops silently part-way.
func Load(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	defer f.Close()
	return Read(f, path)
}

// Read is Load over an open reader; name is used in error messages.
func Read(in io.Reader, name string) (map[string]string, error) {
	r := csv.NewReader(in)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("gazetteer %s: reading the header: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	li, ok1 := col["admin_level"]
	pi, ok2 := col["pcode"]
	ni, ok3 := col["name"]
	pp, hasParent := col["parent_pcode"]
	if !ok1 || !ok2 || !ok3 {
		return nil, fmt.Errorf("gazetteer %s: needs columns admin_level, pcode, name (has %s)", name, strings.Join(head, ", "))
	}
	out := map[string]string{}
	for row := 2; ; row++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("gazetteer %s row %d: %w", name, row, err)
		}
		if len(rec) <= li || len(rec) <= pi || len(rec) <= ni {
			return nil, fmt.Errorf("gazetteer %s row %d: too few columns (%d)", name, row, len(rec))
		}
		lvl, err := strconv.Atoi(strings.TrimSpace(rec[li]))
		if err != nil || lvl < 0 || lvl > 4 {
			return nil, fmt.Errorf("gazetteer %s row %d: admin_level %q is not a level 0-4", name, row, rec[li])
		}
		pcode := strings.TrimSpace(rec[pi])
		if pcode == "" {
			return nil, fmt.Errorf("gazetteer %s row %d: empty pcode", name, row)
		}
		out[transform.GazetteerKey(lvl, pcode)] = strings.TrimSpace(rec[ni])
		if hasParent && len(rec) > pp && strings.TrimSpace(rec[pp]) != "" {
			out[transform.GazetteerParentKey(lvl, pcode)] = strings.TrimSpace(rec[pp])
		}
	}
}
