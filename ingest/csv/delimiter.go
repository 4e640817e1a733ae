package csv

import "fmt"

// candidates are the delimiters considered, in order of preference on ties.
var candidates = [...]rune{',', ';', '\t', '|'}

// maxDelimiterLines bounds the sample lines examined for the delimiter.
const maxDelimiterLines = 100

// detectDelimiter chooses the delimiter of a decoded text sample. It counts
// each candidate per line outside double quotes, then prefers the candidate
// whose most common non-zero count is shared by the most lines (consistency),
// then the larger count (frequency), then the order `,` `;` tab `|`. When the
// sample is truncated its last, partial line is ignored. A sample with no
// candidate at all (a one-column file) gets ','.
func detectDelimiter(text string, truncated bool) (rune, string) {
	counts := countPerLine(text, truncated)
	best, bestLines, bestMode := ',', 0, 0
	for _, c := range candidates {
		mode, lines := modeCount(counts[c])
		if lines > bestLines || (lines == bestLines && mode > bestMode) {
			best, bestLines, bestMode = c, lines, mode
		}
	}
	if bestLines == 0 {
		return ',', "delimiter ',': no candidate delimiter in the sample (one column)"
	}
	return best, fmt.Sprintf("delimiter %q: %d per line on %d of %d sampled lines",
		best, bestMode, bestLines, len(counts[','])) // every candidate has one count per line
}

// countPerLine returns, for each candidate, its count on each non-blank line
// of text. Quotes open only at the start of a field (line start or after a
// candidate delimiter), so a stray inch mark does not hide the rest of the
// sample; "" inside quotes is an escaped quote.
func countPerLine(text string, truncated bool) map[rune][]int {
	counts := make(map[rune][]int, len(candidates))
	var cur [len(candidates)]int
	inQuote, atFieldStart, blank := false, true, true
	endLine := func() {
		if !blank {
			for i, c := range candidates {
				counts[c] = append(counts[c], cur[i])
			}
		}
		cur = [len(candidates)]int{}
		atFieldStart, blank = true, true
	}
	lines := 0
	for i := 0; i < len(text) && lines < maxDelimiterLines; i++ {
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
			if !blank {
				lines++
			}
			endLine()
			continue
		case '"':
			if atFieldStart {
				inQuote = true
			}
		}
		blank = false
		atFieldStart = false
		for j, c := range candidates {
			if rune(ch) == c {
				cur[j]++
				atFieldStart = true
			}
		}
	}
	if !truncated && !inQuote {
		endLine()
	}
	return counts
}

// modeCount returns the most common non-zero count (the larger on ties) and
// how many lines have it.
func modeCount(perLine []int) (mode, lines int) {
	freq := make(map[int]int)
	for _, n := range perLine {
		if n > 0 {
			freq[n]++
		}
	}
	for n, f := range freq {
		if f > lines || (f == lines && n > mode) {
			mode, lines = n, f
		}
	}
	return mode, lines
}
