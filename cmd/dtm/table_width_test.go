package main

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFitColumns(t *testing.T) {
	header := []string{"site_name", "message", "idp_individuals"}
	long := "Camp de déplacés de Kalemie, secteur nord, extension " + strings.Repeat("x", 40)
	msg := "idp_individuals: \"lots\" is not a number; stored as empty, the row is kept (check the column)"
	rows := [][]string{{long, msg, "1200"}, {"Alpha", "", "15"}}
	fitColumns(header, rows, 0)
	if rows[0][0] != long {
		t.Fatal("width 0 (not a terminal) cut a cell")
	}
	fitColumns(header, rows, 140)
	width := utf8.RuneCountInString(rows[0][0]) + 2 + utf8.RuneCountInString(rows[0][1]) + 2 + len("idp_individuals")
	if rows[0][1] != msg {
		t.Errorf("the message was cut: %q", rows[0][1])
	}
	if !strings.HasSuffix(rows[0][0], "…") || !utf8.ValidString(rows[0][0]) || width != 140 {
		t.Errorf("site name %q (table %d wide), want it cut to fit 140 columns exactly", rows[0][0], width)
	}
	if rows[1][0] != "Alpha" {
		t.Errorf("a short cell changed: %q", rows[1][0])
	}
	// Too narrow for the message: the message stays whole, other columns
	// go down to the minimum only.
	rows = [][]string{{long, msg, "1200"}}
	fitColumns(header, rows, 40)
	if rows[0][1] != msg || utf8.RuneCountInString(rows[0][0]) != minCut {
		t.Errorf("narrow terminal: %q / %q", rows[0][0], rows[0][1])
	}
}
