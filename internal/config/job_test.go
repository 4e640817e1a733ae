package config

import (
	"strings"
	"testing"
)

func TestParseErrorsNameLineAndKey(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"unknown source key", "sources:\n  - name: a\n    kind: site_assessment\n    paths: [x]\n    colums: {a: b}\n", `line 5: unknown key "colums" in a source (known keys: name, kind, paths`},
		{"unknown top key", "warehous: w\nsources: []\n", `line 1: unknown key "warehous" at the top level`},
		{"unknown quality key", "quality:\n  max_reject: 0.1\nsources: []\n", `line 2: unknown key "max_reject" in quality`},
		{"bad kind", "sources:\n  - name: a\n    kind: sites\n    paths: [x]\n", `line 3: source "a": kind "sites"`},
		{"no name", "sources:\n  - kind: site_assessment\n    paths: [x]\n", `line 2: sources[0]: ` + "`name`"},
		{"duplicate", "sources:\n  - name: a\n    kind: site_assessment\n    paths: [x]\n  - name: a\n    kind: site_assessment\n    paths: [y]\n", `line 5: sources[1]: duplicate`},
		{"no sources", "warehouse: w\n", "no sources"},
		{"ratio", "quality:\n  max_reject_ratio: 2\nsources:\n  - name: a\n    kind: site_assessment\n    paths: [x]\n", "line 2: quality.max_reject_ratio"},
		{"bad type", "concurrency: many\nsources: []\n", "line 1: cannot unmarshal"},
		{"file rows", "file_rows: -5\nsources:\n  - name: a\n    kind: site_assessment\n    paths: [x]\n", "line 1: file_rows must be 1 or more"},
		{"empty", "", "empty"},
		{"syntax", "sources: [\n", "line"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.yaml), "/jobs")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestParseValid(t *testing.T) {
	j, err := Parse([]byte("warehouse: ../wh\nconcurrency: 4\nfile_rows: 1000\nsources:\n  - name: a\n    kind: flow_survey\n    paths: [in/*.csv]\n    prune: true\n"), "/jobs/x")
	if err != nil {
		t.Fatal(err)
	}
	if j.Resolve(j.Warehouse) != "/jobs/wh" || j.Concurrency != 4 || j.FileRows != 1000 || !j.Sources[0].Prune {
		t.Fatalf("%+v", j)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("sources:\n  - name: a\n    kind: site_assessment\n    paths: [x]\n"))
	f.Add([]byte("warehouse: [\n"))
	f.Add([]byte("sources:\n  - {name: a, kind: displacement_admin, api: {countries: [SSD]}}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		j, err := Parse(b, "/jobs")
		if err == nil && len(j.Sources) == 0 {
			t.Fatal("a job without sources was accepted")
		}
	})
}
