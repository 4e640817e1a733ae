package config

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
)

// FuzzParseFields builds job files from fuzzed values in well-formed YAML,
// which reaches the validation that raw bytes rarely get past. An accepted
// job keeps every promise of validate; a rejected one says why in one line.
func FuzzParseFields(f *testing.F) {
	f.Add("a", "site_assessment", "data/*.csv", "0.2", "0", "4096", "", false)
	f.Add("b", "displacement_admin", "", "1.5", "-1", "10", "api: {countries: [SSD]}", true)
	f.Add("c", "flow_survey", "../../etc/passwd", "NaN", "1e99", "-3", "columns: {Site: site_name}", false)
	f.Add("", "bogus", "[", ".nan", "0x10", "9223372036854775808", "max_header_scan: 2", true)
	f.Add("d\ne", "site_assessment\x00", "*", "-0", "1", "", "unknown_key: 1", false)
	f.Fuzz(func(t *testing.T, name, kind, path, ratio, fileBytes, cols, extra string, dup bool) {
		q := strconv.Quote
		var b strings.Builder
		fmt.Fprintf(&b, "quality:\n  max_reject_ratio: %s\n", ratio)
		fmt.Fprintf(&b, "limits:\n  max_file_bytes: %s\n  max_columns: %s\n", fileBytes, cols)
		b.WriteString("sources:\n")
		n := 1
		if dup {
			n = 2
		}
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "  - name: %s\n    kind: %s\n    paths: [%s]\n", q(name), q(kind), q(path))
			if extra != "" {
				fmt.Fprintf(&b, "    %s\n", strings.ReplaceAll(extra, "\n", " "))
			}
		}
		j, err := Parse([]byte(b.String()), "/jobs")
		if err != nil {
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatal("empty error")
			}
			return
		}
		if dup {
			t.Fatalf("duplicate source names accepted:\n%s", b.String())
		}
		if len(j.Sources) != n || j.Sources[0].Name == "" || !knownKind(j.Sources[0].Kind) {
			t.Fatalf("invalid source accepted: %+v\n%s", j.Sources, b.String())
		}
		if r := j.Quality.MaxRejectRatio; !(r >= 0 && r <= 1) {
			t.Fatalf("max_reject_ratio %v accepted", r)
		}
		l := j.Limits
		if l.MaxFileBytes < 0 || l.MaxColumns < 0 || l.MaxCellBytes < 0 || l.MaxRowBytes < 0 || l.MaxDecompressedBytes < 0 || l.MaxHeaderScan < 0 {
			t.Fatalf("negative limit accepted: %+v", l)
		}
		got := l.Ingest().WithDefaults()
		if got.MaxFileBytes <= 0 || got.MaxColumns <= 0 || got.MaxHeaderScan <= 0 {
			t.Fatalf("limits %+v give unusable reader limits %+v", l, got)
		}
	})
}

func TestLimitsReachReaders(t *testing.T) {
	j, err := Parse([]byte(`sources: [{name: a, kind: site_assessment, paths: [x]}]
limits: {max_file_bytes: 1, max_decompressed_bytes: 2, max_columns: 3, max_cell_bytes: 4, max_row_bytes: 5, max_header_scan: 6}
`), "/jobs")
	if err != nil {
		t.Fatal(err)
	}
	want := ingest.Limits{MaxFileBytes: 1, MaxDecompressedBytes: 2, MaxColumns: 3, MaxCellBytes: 4, MaxRowBytes: 5, MaxHeaderScan: 6}
	if got := j.Limits.Ingest(); got != want {
		t.Errorf("Ingest() = %+v, want %+v", got, want)
	}
	if got := (Limits{}).Ingest().WithDefaults(); got != ingest.DefaultLimits() {
		t.Errorf("absent limits give %+v, want the defaults", got)
	}
	for _, bad := range []string{"max_columns: -1", "max_file_bytes: -5", "max_header_scan: -2"} {
		_, err := Parse([]byte("sources: [{name: a, kind: site_assessment, paths: [x]}]\nlimits:\n  "+bad+"\n"), "/jobs")
		key, _, _ := strings.Cut(bad, ":")
		if err == nil || !strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), "line 3") {
			t.Errorf("%s: error %v, want one naming %s on line 3", bad, err, key)
		}
	}
}

// knownKind reports a kind of dtm's registry.
func knownKind(k string) bool {
	_, err := DefaultRegistries().Kinds.Lookup(k)
	return err == nil
}
