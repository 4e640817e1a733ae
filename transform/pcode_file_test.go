package transform

import (
	"strings"
	"testing"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/schemas"
)

func lines(cells ...[]string) []ingest.Row {
	out := make([]ingest.Row, len(cells))
	for i, c := range cells {
		out[i] = ingest.Row{Line: i + 2, Cells: c}
	}
	return out
}

func rowsOfCode(rs []schemas.Reject, code string) []int {
	var out []int
	for _, r := range rs {
		if r.Code == code {
			out = append(out, r.Row)
		}
	}
	return out
}

// TestPcodeNameMajority: the name most rows give a code is its name, even
// when the odd name comes first; only the odd rows are flagged.
func TestPcodeNameMajority(t *testing.T) {
	cols := []string{"Country Code", "Admin 1 pcode", "Admin 1", "Admin 2 pcode", "Admin 2", "IDP Individuals"}
	rows := lines(
		[]string{"BDI", "BI04", "Bujumbura Rurale", "BI0401", "Isale", "1"},
		[]string{"BDI", "BI04", "Bujumbura", "BI0401", "Isale", "1"},
		[]string{"BDI", "BI04", "Bujumbura", "BI0401", "ISALE ", "1"}, // same name but for case and space
		[]string{"BDI", "BI04", "Bujumbura", "BI0402", "Kabezi", "1"},
		[]string{"BDI", "BI04", "Bujumburra", "BI0402", "Kanyosha", "1"},
		[]string{"BDI", "BI04", "Bujumbura", "BI0402", "Kabezi", "1"},
	)
	rejects, out, _ := convertRows(t, cols, rows, Options{})
	if len(out) != 6 {
		t.Fatalf("%d rows kept", len(out))
	}
	if got := rowsOfCode(rejects, schemas.CodePcodeName); len(got) != 3 || got[0] != 2 || got[1] != 6 || got[2] != 6 {
		t.Fatalf("pcode-name rows %v, want [2 6 6] (admin1 on rows 2 and 6, admin2 on row 6)", got)
	}
	for _, rj := range rejects {
		if rj.Code == schemas.CodePcodeName && (rj.Severity != schemas.SeverityWarning || !strings.Contains(rj.Message, "the name most rows use")) {
			t.Errorf("%+v", rj)
		}
	}
}

// TestPcodeNestingByMajority: the prefix rule is applied where the file's
// codes mostly nest that way (the odd rows flagged), skipped with one note
// where they do not, and never against a gazetteer listing both codes.
func TestPcodeNestingByMajority(t *testing.T) {
	cols := []string{"Country Code", "Admin 1 pcode", "Admin 2 pcode", "IDP Individuals"}
	nested := lines(
		[]string{"TCD", "TD07", "TD0701", "1"},
		[]string{"TCD", "TD07", "TD0702", "1"},
		[]string{"TCD", "TD07", "TD0703", "1"},
		[]string{"TCD", "TD05", "TD0501", "1"},
		[]string{"TCD", "TD05", "TD0799", "1"}, // the odd one
	)
	rejects, _, c := convertRows(t, cols, nested, Options{})
	if got := rowsOfCode(rejects, schemas.CodePcodeHierarchy); len(got) != 1 || got[0] != 6 {
		t.Errorf("hierarchy warnings on rows %v, want [6]", got)
	}
	if len(c.Notes()) != 0 {
		t.Errorf("notes %v", c.Notes())
	}

	official := lines(
		[]string{"AAA", "AA9", "AA21", "10"},
		[]string{"AAA", "AA9", "AA22", "5"},
		[]string{"AAA", "AA7", "AA51", "3"},
		[]string{"AAA", "AA7", "AA712", "3"},
	)
	rejects, _, c = convertRows(t, cols, official, Options{})
	if got := rowsOfCode(rejects, schemas.CodePcodeHierarchy); len(got) != 0 {
		t.Errorf("codes that mostly do not nest: warnings on rows %v, want none", got)
	}
	if n := c.Notes(); len(n) != 1 || !strings.Contains(n[0], "not checked") {
		t.Errorf("one note says the check was skipped: %v", n)
	}

	// The gazetteer says TD0799 is under TD05 and TD0702 under TD05: its
	// word is final (no prefix warning on row 6, one on row 3).
	gaz := map[string]string{GazetteerKey(1, "TD05"): "Kanem", GazetteerKey(2, "TD0799"): "Mani",
		GazetteerParentKey(2, "TD0799"): "TD05", GazetteerParentKey(2, "TD0702"): "TD05"}
	rejects, _, _ = convertRows(t, cols, nested, Options{Pcodes: NewPcodeBook(gaz)})
	if got := rowsOfCode(rejects, schemas.CodePcodeHierarchy); len(got) != 1 || got[0] != 3 {
		t.Errorf("with the gazetteer's parents: warnings on rows %v, want [3]", got)
	}
}

// TestPcodeShapeMessageWithoutCountry: no message is cut short when the
// country is unknown.
func TestPcodeShapeMessageWithoutCountry(t *testing.T) {
	cols := []string{"Admin 1 pcode", "IDP Individuals"}
	rejects, _, _ := convertRows(t, cols, lines([]string{"1234", "5"}), Options{})
	if len(rowsOfCode(rejects, schemas.CodePcodeShape)) != 1 {
		t.Fatalf("want one pcode-shape: %+v", rejects)
	}
	for _, rj := range rejects {
		if rj.Code == schemas.CodePcodeShape && (strings.HasSuffix(rj.Message, "of ") || !strings.Contains(rj.Message, "letters")) {
			t.Errorf("message %q", rj.Message)
		}
	}
}
