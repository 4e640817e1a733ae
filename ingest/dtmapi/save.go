package dtmapi

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// FileName returns the deterministic file name SaveResponse gives a query's
// response: admin{level}_{area}[_{operation}]_{from}_{to}[_r{from}-{to}].json,
// where area is the Admin0Pcode (else the country name, else "all"), from and
// to are the reporting dates ("any" when unset), and the optional parts appear
// only when set, e.g. admin1_SSD_2024-01-01_2024-12-31.json. Characters
// other than letters, digits and '-' become '-'; when that changes a part, an
// 8-hex digest of the query is appended so that different queries never
// share a name.
func FileName(q Query) string {
	lossy := false
	clean := func(s string) string {
		s = strings.TrimSpace(s)
		var b strings.Builder
		for _, r := range s {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
				b.WriteRune(r)
			default:
				b.WriteByte('-')
				lossy = true
			}
		}
		if b.Len() > 60 {
			lossy = true
			return b.String()[:60]
		}
		return b.String()
	}
	orAny := func(s, def string) string {
		if strings.TrimSpace(s) == "" {
			return def
		}
		return clean(s)
	}
	area := q.Admin0Pcode
	if strings.TrimSpace(area) == "" {
		area = q.CountryName
	}
	parts := []string{"admin" + strconv.Itoa(q.AdminLevel), orAny(area, "all")}
	if strings.TrimSpace(q.Admin0Pcode) != "" && strings.TrimSpace(q.CountryName) != "" {
		parts = append(parts, clean(q.CountryName))
	}
	for _, p := range []string{q.Admin1Pcode, q.Admin2Pcode, q.Operation} {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, clean(p))
		}
	}
	parts = append(parts, orAny(q.FromReportingDate, "any"), orAny(q.ToReportingDate, "any"))
	if q.FromRound > 0 || q.ToRound > 0 {
		parts = append(parts, fmt.Sprintf("r%d-%d", q.FromRound, q.ToRound))
	}
	if lossy {
		sum := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%d\x00%d",
			q.AdminLevel, q.CountryName, q.Admin0Pcode, q.Admin1Pcode, q.Admin2Pcode, q.Operation,
			q.FromReportingDate, q.ToReportingDate, q.FromRound, q.ToRound)))
		parts = append(parts, hex.EncodeToString(sum[:4]))
	}
	return strings.Join(parts, "_") + ".json"
}

// SaveResponse writes body to dir/FileName(q) atomically (a temporary file
// in dir, synced, then renamed over the target), creating dir if needed, and
// returns the path. Repeating a run offline means reading these files with
// OpenFile.
func SaveResponse(dir string, q Query, body []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("saving DTM API response: %w", err)
	}
	path := filepath.Join(dir, FileName(q))
	tmp, err := os.CreateTemp(dir, ".dtmapi-*.tmp")
	if err != nil {
		return "", fmt.Errorf("saving DTM API response to %s: %w", path, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(body); err != nil {
		return "", fmt.Errorf("saving DTM API response to %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return "", fmt.Errorf("saving DTM API response to %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return "", fmt.Errorf("saving DTM API response to %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		done = true
		return "", fmt.Errorf("saving DTM API response to %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		done = true
		return "", fmt.Errorf("saving DTM API response to %s: %w", path, err)
	}
	done = true
	// Make the rename durable; failure here does not lose the data written.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return path, nil
}
