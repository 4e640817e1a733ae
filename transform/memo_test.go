package transform

import (
	"fmt"
	"github.com/iom-dtm/dtm/transform/cast"
	"strings"
	"testing"
)

// pcodeIsPseudoRef is PcodeIsPseudo as first written (allocating), the
// reference of the allocation-free fast path.
func pcodeIsPseudoRef(code string) bool {
	c := strings.ToUpper(cast.Trim(code))
	if cast.IsMissing(c) {
		return true
	}
	var b strings.Builder
	for _, r := range c {
		switch r {
		case '-', '_', ' ', '.', '/', '#':
		default:
			b.WriteRune(r)
		}
	}
	c = b.String()
	for _, p := range []string{"TEMPORARY", "TEMP", "TMP", "DTM", "PSEUDO", "FAKE", "DUMMY",
		"NOPCODE", "NOCODE", "UNKNOWN", "TBD", "XXX", "XX", "OOO"} {
		if rest, ok := strings.CutPrefix(c, p); ok && pcodeAllDigits(rest) {
			return true
		}
	}
	return c != "" && strings.Trim(c, "0") == ""
}

var pcodePseudoSeeds = []string{"", " ", "NA", "n/a", "-", "--", "#N/A", "Temp03", "TEMP-1", "tmp_4",
	"DTM 12", "dtm12", "PSEUDO5", "XXX", "xx", "UNKNOWN", "000", "OOO", "0", " 00 ", "\t000\n",
	"TD0704", "td07", "SS0101", "TEMPX", "TEMP1A", "temp.1/2#3", "Tëmp1", "TEMP\u00a01", "\u00a0TMP2",
	"NG002003", "a-b", "tbd", "TBD-", "X", "0-0", "0\t0", strings.Repeat("0", 40), strings.Repeat("A", 33)}

func TestPcodeIsPseudoMatchesReference(t *testing.T) {
	for _, s := range pcodePseudoSeeds {
		if got, want := PcodeIsPseudo(s), pcodeIsPseudoRef(s); got != want {
			t.Errorf("PcodeIsPseudo(%q) = %v, reference %v", s, got, want)
		}
	}
}

func FuzzPcodeIsPseudo(f *testing.F) {
	for _, s := range pcodePseudoSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := PcodeIsPseudo(s), pcodeIsPseudoRef(s); got != want {
			t.Errorf("PcodeIsPseudo(%q) = %v, reference %v", s, got, want)
		}
	})
}

func TestPcodeIsPseudoASCIIDoesNotAllocate(t *testing.T) {
	for _, s := range []string{"TD0704", "temp-1", "000"} {
		if n := testing.AllocsPerRun(100, func() { PcodeIsPseudo(s) }); n != 0 {
			t.Errorf("PcodeIsPseudo(%q): %v allocations, want 0", s, n)
		}
	}
}

func TestGazetteerKeyFormat(t *testing.T) {
	for _, c := range []struct {
		level int
		code  string
	}{{1, "TD07"}, {2, " td0701 "}, {0, ""}, {-1, "x"}, {12, "Ünï"}} {
		want := fmt.Sprintf("%d:%s", c.level, strings.ToUpper(strings.TrimSpace(c.code)))
		if got := GazetteerKey(c.level, c.code); got != want {
			t.Errorf("GazetteerKey(%d, %q) = %q, want %q", c.level, c.code, got, want)
		}
	}
}

// TestPcodeBookMemo checks that repeated calls (served by the memo) give
// what the first call of the same code gave, and that a book without a
// gazetteer finds nothing (names are judged per file: pcode_file.go).
func TestPcodeBookMemo(t *testing.T) {
	gaz := map[string]string{GazetteerKey(1, "TD07"): "Lac", GazetteerKey(2, "TD0701"): "Mamdi"}
	b := NewPcodeBook(gaz)
	flags := func(ps []pcodeProblem) string {
		var out []string
		for _, p := range ps {
			out = append(out, p.flag)
		}
		return strings.Join(out, ",")
	}
	steps := []struct {
		level int
		code  string
		want  string
	}{
		{1, "TD07", ""},
		{1, "TD07", ""},
		{1, "td07 ", ""}, // same key once normalised
		{1, "TD05", "unknown"},
		{1, "TD05", "unknown"}, // memoised
		{2, "TD0701", ""},
		{2, "TEMP1", ""}, // pseudo: not looked up in the gazetteer
	}
	for i, s := range steps {
		if got := flags(b.Check(s.level, s.code)); got != s.want {
			t.Errorf("step %d Check(%d, %q) = %q, want %q", i, s.level, s.code, got, s.want)
		}
	}
	if !b.Official(2, " td0701") || b.Official(1, "TD05") || NewPcodeBook(nil).Official(1, "TD07") {
		t.Error("Official disagrees with the gazetteer")
	}
	if got := NewPcodeBook(nil).Check(1, "TD07"); got != nil {
		t.Errorf("no gazetteer: %+v", got)
	}
}

func TestPcodeBookMemoBound(t *testing.T) {
	b := NewPcodeBook(map[string]string{})
	for i := range pcodeBookMemoMax + 10 {
		b.Check(1, fmt.Sprintf("TD%d", i))
	}
	if len(b.checked) > pcodeBookMemoMax {
		t.Errorf("memo holds %d entries, bound %d", len(b.checked), pcodeBookMemoMax)
	}
	if got := b.Check(1, "TD1"); len(got) != 1 || got[0].flag != "unknown" {
		t.Errorf("after clearing the memo, the check must still hold: %+v", got)
	}
}

func TestConvMemo(t *testing.T) {
	var m convMemo
	for _, c := range []struct {
		code, iso string
		level     int
	}{{"TD0704", "TCD", 2}, {"TD0704", "TCD", 2}, {"TD0704", "", 2}, {"TEMP1", "TCD", 1},
		{"XX99", "TCD", 1}, {"td07", "TCD", 3}, {"NG002003", "NGA", 2}} {
		for range 2 {
			got := m.pcode(c.code, c.iso, c.level).pcodeMemo
			want := pcodeMemo{pseudo: PcodeIsPseudo(c.code)}
			if !want.pseudo {
				want.shapeOK = PcodeShapeOK(c.code, c.iso, c.level)
			}
			if got != want {
				t.Errorf("pcode(%q, %q, %d) = %+v, want %+v", c.code, c.iso, c.level, got, want)
			}
		}
	}
	for _, raw := range []string{"R38", "R38", "Round 3", "39", "NA", "x", "12.5", " R38 "} {
		for range 2 {
			n, ok := m.round(raw)
			wn, wok := ParseRound(raw)
			if n != wn || ok != wok {
				t.Errorf("round(%q) = %d, %v, want %d, %v", raw, n, ok, wn, wok)
			}
		}
	}
	for i := range convMemoMax + 5 {
		m.round(fmt.Sprint("R", i))
	}
	if len(m.rounds) > convMemoMax {
		t.Errorf("round memo holds %d entries, bound %d", len(m.rounds), convMemoMax)
	}
	for i := range convMemoMax + 5 {
		m.pcode(fmt.Sprint("TD", i), []string{"TCD", "NGA", ""}[i%3], 1+i%4)
	}
	held := 0
	for _, cc := range m.pcodes.byCtx {
		held += len(cc.codes)
	}
	if held > convMemoMax || held != m.pcodes.entries {
		t.Errorf("p-code memo holds %d entries (counted %d), bound %d", held, m.pcodes.entries, convMemoMax)
	}
}

// TestConvMemoPcodeContexts interleaves countries and levels (a file of
// several countries) and checks every answer against the functions.
func TestConvMemoPcodeContexts(t *testing.T) {
	var m convMemo
	codes := []string{"TD07", "TD0704", "NG002", "NG002003", "Temp1", "SS01", "XX", "td0704 ", ""}
	isos := []string{"TCD", "NGA", "SSD", "", "tcd", "ZZZ"}
	for round := range 3 {
		for i, code := range codes {
			for j, iso := range isos {
				level := (i + j + round) % 5
				got := m.pcode(code, iso, level).pcodeMemo
				want := pcodeMemo{pseudo: PcodeIsPseudo(code)}
				if !want.pseudo {
					want.shapeOK = PcodeShapeOK(code, iso, level)
				}
				if got != want {
					t.Fatalf("pcode(%q, %q, %d) = %+v, want %+v", code, iso, level, got, want)
				}
			}
		}
	}
}

// TestCastErrorMessages pins the messages of the lazily formatted errors.
func TestCastErrorMessages(t *testing.T) {
	long := strings.Repeat("é", 45)
	for _, c := range []struct {
		err  func() error
		want string
	}{
		{func() error { _, _, err := cast.ParseInt("R38"); return err }, `"R38" is not a number`},
		{func() error { _, _, err := cast.ParseInt("12.5"); return err }, `"12.5" is not a whole number`},
		{func() error { _, _, err := cast.ParseInt("1e5"); return err }, `"1e5" is not a whole number`},
		{func() error { _, _, err := cast.ParseInt("99999999999999999999"); return err }, `"99999999999999999999" is too large`},
		{func() error { _, _, err := cast.ParseInt(long); return err }, fmt.Sprintf("%s is not a number", cast.Quote(long))},
		{func() error { _, _, err := cast.ParseFloat("abc"); return err }, `"abc" is not a number`},
		{func() error { _, _, _, err := cast.ParseDate("hello"); return err }, `"hello" is not a date`},
		{func() error { _, _, _, err := cast.ParseDate("March"); return err }, `"March" is not a complete date (day, month and year)`},
	} {
		err := c.err()
		if err == nil || err.Error() != c.want {
			t.Errorf("error %v, want %q", err, c.want)
		}
		if err != nil && err.(interface{ Code() string }).Code() == "" {
			t.Errorf("error %v has no code", err)
		}
	}
}

// TestListCacheSplits: cached splits are cast.SplitMulti's, also past the
// bound and for a slot outside the cache.
func TestListCacheSplits(t *testing.T) {
	lc := make(listCache, 2)
	cells := []string{"Conflict; Flood", "a|b|a", "climate_floods armed_conflict", "Armed conflict", " n/a ", "", "x;;y"}
	for i := range maxVocabLabels + 10 {
		cells = append(cells, fmt.Sprint("r", i, "; other"))
	}
	for range 2 {
		for _, slot := range []int{0, 1, 5} {
			for _, s := range cells {
				if got, want := lc.split(slot, s), cast.SplitMulti(s); fmt.Sprint(got) != fmt.Sprint(want) || len(got) != len(want) {
					t.Fatalf("split(%d, %q) = %q, want %q", slot, s, got, want)
				}
			}
		}
	}
	if lc[0].len() > maxVocabLabels {
		t.Errorf("list cache holds %d cells, bound %d", lc[0].len(), maxVocabLabels)
	}
}

// TestConvMemoContextsAndCountries: p-codes of many countries interleaved
// row by row (more than the contexts remembered per level), each asked
// twice in a row (as a sorted file does), and country
// cells cycling through more than the cells remembered get the answers of
// the uncached functions, call after call.
func TestConvMemoContextsAndCountries(t *testing.T) {
	var m convMemo
	isos := []string{"TCD", "NGA", "SSD", "", "XYZ", "UKR", "IRQ"}
	codes := []string{"TD0704", "NG002003", "SS0102", "Temp03", "UA0102", "IQG01", "td07", "X1", "NGA"}
	for i := range 500 {
		iso, code, level := isos[i*5%len(isos)], codes[i*7%len(codes)], 1+i%4
		e := m.pcode(code, iso, level)
		if again := m.pcode(strings.Clone(code), iso, level); again != e { // a repeated code: the same entry
			t.Fatalf("call %d: pcode(%q, %q, %d) twice gave two entries", i, code, iso, level)
		}
		pseudo := PcodeIsPseudo(code)
		if e.pseudo != pseudo || (!pseudo && e.shapeOK != PcodeShapeOK(code, iso, level)) {
			t.Fatalf("call %d: pcode(%q, %q, %d) = %+v", i, code, iso, level, e.pcodeMemo)
		}
	}
	cells := []string{"TCD", "Chad", "tchad", "NGA", "Nigeria", "", "N/A", "Atlantis", "ss", "Sudán del Sur", " TCD "}
	for i := range 300 {
		raw := strings.Clone(cells[i*3%len(cells)])
		iso, ok := m.country(raw)
		wantISO, wantOK := ISO3FromCountry(raw)
		if iso != wantISO || ok != wantOK {
			t.Fatalf("call %d: country(%q) = %q, %v; want %q, %v", i, raw, iso, ok, wantISO, wantOK)
		}
	}
}
