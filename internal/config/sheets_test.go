package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestSheetNames(t *testing.T) {
	src := "sources:\n  - name: a\n    kind: flow_registry\n    paths: [x.xlsx]\n"
	for yaml, want := range map[string][]string{
		"":                                  nil,
		"    sheet: Entry\n":                {"Entry"},
		"    sheet: [Entry, \"Exit, B\"]\n": {"Entry", "Exit, B"},
		"    sheet:\n      - Entrées\n      - Sorties\n": {"Entrées", "Sorties"},
		"    sheet:\n": nil,
	} {
		j, err := Parse([]byte(src+yaml), "/jobs")
		if err != nil {
			t.Errorf("%q: %v", yaml, err)
			continue
		}
		if got := []string(j.Sources[0].Sheet); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: sheets %q, want %q", yaml, got, want)
		}
	}
	for yaml, want := range map[string]string{
		"    sheet: {a: b}\n":        "line 5: sheet: a sheet name or a list",
		"    sheet: [Entry, [x]]\n":  "line 5: sheet: each item",
		"    sheet: [Entry, \"\"]\n": "line 5: sheet: empty sheet name",
	} {
		_, err := Parse([]byte(src+yaml), "/jobs")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", yaml, err, want)
		}
	}
}
