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
	j, err := Parse([]byte("warehouse: ../wh\nconcurrency: 4\nsources:\n  - name: a\n    kind: flow_survey\n    paths: [in/*.csv]\n    prune: true\n"), "/jobs/x")
	if err != nil {
		t.Fatal(err)
	}
	if j.Resolve(j.Warehouse) != "/jobs/wh" || j.Concurrency != 4 || !j.Sources[0].Prune {
		t.Fatalf("%+v", j)
	}
}

func TestDeployment(t *testing.T) {
	j, err := Parse([]byte("warehouse: wh\nconcurrency: 2\nprivacy:\n  pseudonym_key_env: MY_KEY\nsources:\n  - name: a\n    kind: flow_survey\n    paths: [x]\n"), "/jobs")
	if err != nil {
		t.Fatal(err)
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		env     map[string]string
		want    Deployment
		wantErr bool
	}{
		{map[string]string{}, Deployment{Warehouse: "/jobs/wh", Threads: 2}, false},
		{map[string]string{"DTM_WAREHOUSE": "/elsewhere", "DTM_THREADS": "8", "MY_KEY": "k", "DTM_PSEUDONYM_KEY": "other"},
			Deployment{Warehouse: "/elsewhere", Threads: 8, PseudonymKey: "k"}, false},
		{map[string]string{"DTM_THREADS": "0"}, Deployment{}, true},
		{map[string]string{"DTM_THREADS": "x"}, Deployment{}, true},
	}
	for i, c := range cases {
		got, err := j.Deployment(env(c.env))
		if (err != nil) != c.wantErr {
			t.Fatalf("case %d: error %v", i, err)
		}
		if !c.wantErr && got != c.want {
			t.Errorf("case %d: %+v, want %+v", i, got, c.want)
		}
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
