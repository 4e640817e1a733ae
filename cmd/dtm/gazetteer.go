package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/iom-dtm/dtm/transform"
)

// loadGazetteer reads a CSV of official p-codes with columns admin_level,
// pcode and name (header names matched case-insensitively).
func loadGazetteer(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("gazetteer %s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	li, ok1 := col["admin_level"]
	pi, ok2 := col["pcode"]
	ni, ok3 := col["name"]
	if !ok1 || !ok2 || !ok3 {
		return nil, fmt.Errorf("gazetteer %s: needs columns admin_level, pcode, name", path)
	}
	out := map[string]string{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err != nil {
			break
		}
		if len(rec) <= li || len(rec) <= pi || len(rec) <= ni {
			return nil, fmt.Errorf("gazetteer %s row %d: too few columns", path, line)
		}
		lvl, err := strconv.Atoi(strings.TrimSpace(rec[li]))
		if err != nil {
			return nil, fmt.Errorf("gazetteer %s row %d: admin_level %q is not a number", path, line, rec[li])
		}
		out[transform.GazetteerKey(lvl, rec[pi])] = strings.TrimSpace(rec[ni])
	}
	return out, nil
}
