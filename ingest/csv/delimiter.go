package csv

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/iom-dtm/dtm/ingest"
)

// candidates are the delimiters considered, in order of preference on ties.
var candidates = [...]rune{',', ';', '\t', '|'}

// maxDelimiterLines bounds the sample lines examined for the delimiter.
const maxDelimiterLines = 100

// delimStats is what one candidate delimiter makes of the sample.
type delimStats struct {
	delim     rune
	mode      int  // most common non-zero count per line (the larger on ties)
	exact     int  // lines with exactly mode delimiters
	fit       int  // lines within one of mode (ragged rows: a cell too many or too few)
	header    bool // the header line splits into a plausible header
	hxl       bool // no HXL line in the sample, or it splits into tags
	headerRow int  // 1-based sample line taken as the header (0: none)
}

// weight is the number of lines that fit the candidate's mode (within
// one), halved when the header does not split into labels under it and
// halved again when an HXL line does not split into tags.
func (s delimStats) weight() int {
	w := s.fit * 4
	if !s.header {
		w /= 2
	}
	if !s.hxl {
		w /= 2
	}
	return w
}

// beats orders candidates: the larger weight, then more lines exactly on
// the mode, then a larger mode. Earlier candidates win remaining ties.
func (s delimStats) beats(o delimStats) bool {
	if s.weight() != o.weight() {
		return s.weight() > o.weight()
	}
	if s.exact != o.exact {
		return s.exact > o.exact
	}
	return s.mode > o.mode
}

// detectDelimiter chooses the delimiter of a decoded text sample.
//
// Each candidate is counted per line outside double quotes. A candidate is
// plausible when the sample's header line splits under it into a header:
// the header line is the first line with at least mode delimiters (mode-1
// once mode is 3 or more; titles above it have fewer), and at least half of its cells must read as labels
// (a letter, not a number, not holding another candidate delimiter twice);
// an HXL tag line, when the sample has one, must split into tags. The
// candidate whose count is shared, within one, by the most lines wins (rows
// with one cell too many or too few, from an unquoted delimiter inside a
// text cell, still count for the right delimiter), that number of lines
// being halved for a candidate under which the header is not plausible and
// halved again when the HXL line does not split; then the one shared
// exactly by the most lines, then the larger count, then the order `,` `;`
// tab `|`. So a French `;` file with decimal-comma
// coordinates (`14,46382;-10,24696`) is `;` although its commas are as
// regular: its header has no comma. When the sample is truncated its last,
// partial line is ignored. A sample with no candidate at all (a one-column
// file) gets ','. The note says why, for Header.Notes.
func detectDelimiter(text string, truncated bool) (rune, string) {
	lines := sampleLines(text, truncated)
	hxlLine := -1
	for i, l := range lines {
		if looksLikeHXLLine(l) {
			hxlLine = i
			break
		}
	}
	var best delimStats
	found := false
	for _, c := range candidates {
		s := statsFor(lines, c, hxlLine)
		if s.mode == 0 {
			continue
		}
		if !found || s.beats(best) {
			best, found = s, true
		}
	}
	if !found {
		return ',', "delimiter ',': no candidate delimiter in the sample (one column)"
	}
	why := "the header splits into labels"
	if !best.header {
		why = "no candidate splits the header into labels"
	}
	return best.delim, fmt.Sprintf("delimiter %q: %d per line on %d of %d sampled lines (%d within one); %s (sampled line %d)",
		best.delim, best.mode, best.exact, len(lines), best.fit, why, best.headerRow)
}

// statsFor measures candidate c on the sample lines.
func statsFor(lines []string, c rune, hxlLine int) delimStats {
	s := delimStats{delim: c, hxl: true}
	counts := make([]int, len(lines))
	freq := map[int]int{}
	for i, l := range lines {
		counts[i] = countOutsideQuotes(l, c)
		if counts[i] > 0 {
			freq[counts[i]]++
		}
	}
	for n, f := range freq {
		if f > freq[s.mode] || (f == freq[s.mode] && n > s.mode) {
			s.mode = n
		}
	}
	if s.mode == 0 {
		return s
	}
	for _, n := range counts {
		switch {
		case n == s.mode:
			s.exact++
			s.fit++
		case n > 0 && n >= s.mode-1 && n <= s.mode+1:
			s.fit++
		}
	}
	// Titles above the header have fewer delimiters; a header may have one
	// fewer than the data (a trailing delimiter on data rows) once rows are
	// wide enough that one less cannot be a title's stray comma.
	least := s.mode
	if s.mode >= 3 {
		least = s.mode - 1
	}
	for i, n := range counts {
		if n > 0 && n >= least {
			s.headerRow = i + 1
			s.header = plausibleHeader(splitLine(lines[i], c), c)
			break
		}
	}
	if hxlLine >= 0 {
		s.hxl = ingest.LooksLikeHXLRow(splitLine(lines[hxlLine], c)) && counts[hxlLine] > 0
	}
	return s
}

// plausibleHeader reports whether at least half of cells (and two or more)
// read as labels under delimiter c.
func plausibleHeader(cells []string, c rune) bool {
	labels := 0
	for _, cell := range cells {
		if isLabelCell(cell, c) {
			labels++
		}
	}
	return labels >= 2 && labels*2 >= len(cells)
}

// isLabelCell reports whether a cell reads as a column label: it has a
// letter, is not a number, and does not hold another candidate delimiter
// twice (a sign that the line was split with the wrong one).
func isLabelCell(cell string, c rune) bool {
	cell = strings.TrimSpace(cell)
	if cell == "" || strings.IndexFunc(cell, unicode.IsLetter) < 0 || ingest.IsNumeric(cell) {
		return false
	}
	for _, o := range candidates {
		if o != c && strings.Count(cell, string(o)) >= 2 {
			return false
		}
	}
	return true
}

// looksLikeHXLLine reports whether a raw line is probably an HXL tag row,
// whatever its delimiter: it starts with '#' and holds at least two tags.
func looksLikeHXLLine(l string) bool {
	t := strings.TrimLeft(l, " \"")
	return strings.HasPrefix(t, "#") && strings.Count(t, "#") >= 2 &&
		len(t) > 1 && unicode.IsLetter(rune(t[1]))
}

// sampleLines splits text into logical lines (a quoted cell may span line
// breaks), dropping blank lines, at most maxDelimiterLines. Quotes open only
// at the start of a field (line start or after a candidate delimiter), so a
// stray inch mark does not hide the rest of the sample; "" inside quotes is
// an escaped quote. When truncated, the last (partial) line is dropped, and
// so is a line still inside quotes at the end.
func sampleLines(text string, truncated bool) []string {
	var lines []string
	start := 0
	inQuote, atFieldStart := false, true
	flush := func(end int) {
		if strings.TrimSpace(text[start:end]) != "" {
			lines = append(lines, text[start:end])
		}
	}
	for i := 0; i < len(text) && len(lines) < maxDelimiterLines; i++ {
		ch := text[i]
		if inQuote {
			if ch == '"' {
				if i+1 < len(text) && text[i+1] == '"' {
					i++
				} else {
					inQuote = false
				}
			}
			continue
		}
		switch ch {
		case '\n', '\r':
			flush(i)
			start = i + 1
			atFieldStart = true
			continue
		case '"':
			if atFieldStart {
				inQuote = true
			}
		}
		atFieldStart = isCandidate(rune(ch))
	}
	if !truncated && !inQuote && start < len(text) && len(lines) < maxDelimiterLines {
		flush(len(text))
	}
	return lines
}

func isCandidate(r rune) bool {
	for _, c := range candidates {
		if r == c {
			return true
		}
	}
	return false
}

// eachDelimiter calls at with the byte offset of every c in one logical
// line that lies outside quoted fields (a quote opens a field only at its
// start; "" inside a quoted field is an escaped quote).
func eachDelimiter(line string, c rune, at func(i int)) {
	inQuote, atFieldStart := false, true
	for i := 0; i < len(line); i++ {
		ch := line[i]
		if inQuote {
			if ch == '"' {
				if i+1 < len(line) && line[i+1] == '"' {
					i++
				} else {
					inQuote = false
				}
			}
			continue
		}
		if ch == '"' && atFieldStart {
			inQuote = true
		}
		atFieldStart = isCandidate(rune(ch))
		if rune(ch) == c {
			at(i)
		}
	}
}

// countOutsideQuotes counts c in one logical line outside quoted fields.
func countOutsideQuotes(line string, c rune) int {
	n := 0
	eachDelimiter(line, c, func(int) { n++ })
	return n
}

// splitLine splits one logical line on c outside quoted fields; quotes are
// kept (the cells are only judged, not returned as data).
func splitLine(line string, c rune) []string {
	var cells []string
	start := 0
	eachDelimiter(line, c, func(i int) {
		cells = append(cells, strings.Trim(line[start:i], "\""))
		start = i + 1
	})
	return append(cells, strings.Trim(line[start:], "\""))
}
