package cast

import (
	"strings"
	"unicode/utf8"
)

// digitZeros are the code points of the digit zero of the decimal digit
// blocks that DTM files are written in besides ASCII: Arabic-Indic
// (Iraq, Syria, Yemen, Sudan, Libya), Extended Arabic-Indic (Persian,
// Urdu, Pashto: Afghanistan, Pakistan), Devanagari, Bengali (Bangladesh),
// Myanmar, Khmer, Thai, and the full-width digits of East Asian input
// methods. Each block holds the digits 0-9 at zero..zero+9 (Unicode,
// category Nd).
var digitZeros = [...]rune{
	0x0660, // ٠ Arabic-Indic
	0x06F0, // ۰ Extended Arabic-Indic (Persian)
	0x0966, // ० Devanagari
	0x09E6, // ০ Bengali
	0x0E50, // ๐ Thai
	0x1040, // ၀ Myanmar
	0x17E0, // ០ Khmer
	0xFF10, // ０ full width
}

// asciiDigit returns the ASCII digit of a decimal digit of another script.
func asciiDigit(r rune) (byte, bool) {
	for _, z := range digitZeros {
		if r >= z && r <= z+9 {
			return byte('0' + r - z), true
		}
	}
	return 0, false
}

// isMinusSign reports the characters written for a minus sign: the
// hyphen-minus, the minus sign U+2212 (typographic files, Excel's
// "−" number format), the en dash U+2013 (Word and Windows-1252 files,
// where U+2212 cannot be written), the figure dash, the hyphens U+2010 and
// U+2011, the small and full-width hyphen-minus.
func isMinusSign(r rune) bool {
	switch r {
	case '-', '\u2212', '\u2013', '\u2012', '\u2010', '\u2011', '\uFE63', '\uFF0D':
		return true
	}
	return false
}

// isBidiMark reports the invisible direction marks that Arabic and Persian
// text puts around numbers (LRM, RLM, ALM and the isolates).
func isBidiMark(r rune) bool {
	switch r {
	case '\u200E', '\u200F', '\u061C', '\u2066', '\u2067', '\u2068', '\u2069', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E':
		return true
	}
	return false
}

// foldedNumber is a written number reduced to the ASCII shapes
// normalizeNumber reads.
type foldedNumber struct {
	text string
	// neg is set for accounting parentheses "(3)" and minus signs other
	// than the hyphen-minus (text then has no sign).
	neg bool
	// decimalKnown is set when the text wrote its decimal separator with
	// a character that is nothing else (the Arabic decimal separator
	// U+066B, now '.'): a lone '.' is then never a thousands separator.
	decimalKnown bool
	// percent is set when the number ends with a percent sign (dropped).
	percent bool
}

// needsFold reports text that foldNumber would change: non-ASCII bytes,
// parentheses, a percent sign, or a sign followed by a space.
func needsFold(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf, c == '(', c == '%':
			return true
		case (c == '-' || c == '+') && i+1 < len(s) && s[i+1] == ' ':
			return true
		}
	}
	return false
}

// foldNumber rewrites the real-world forms of a written number as the
// ASCII form normalizeNumber reads: digits of other scripts (Arabic-Indic
// "١٢٣", Persian "۱۲۳", full-width "１２") become ASCII; the Arabic
// thousands separator U+066C becomes an apostrophe (a group separator only)
// and the Arabic decimal separator U+066B a '.'; full-width '.', ',' and
// '+' become ASCII; direction marks are dropped. A leading minus of any
// form ("−2", "–2", "- 2") and accounting parentheses ("(3)", "(1,234)")
// (also full-width "（3）") make the number negative; a trailing '%' is
// noted and dropped.
//
// ok is false for shapes that are no number whatever the rest says: two
// signs ("-(3)", "(-3)"), an unclosed parenthesis, an empty inside.
func foldNumber(s string) (f foldedNumber, ok bool) {
	s = strings.TrimFunc(s, func(r rune) bool { return isBlank(r) || isBidiMark(r) })
	if strings.HasSuffix(s, "%") {
		f.percent = true
		s = Trim(s[:len(s)-1])
	}
	if strings.HasPrefix(s, "\uFF08") && strings.HasSuffix(s, "\uFF09") { // full-width "（7）"
		s = "(" + s[len("\uFF08"):len(s)-len("\uFF09")] + ")"
	}
	if strings.HasPrefix(s, "(") || strings.HasSuffix(s, ")") {
		if !strings.HasPrefix(s, "(") || !strings.HasSuffix(s, ")") || len(s) < 3 {
			return f, false
		}
		f.neg = true
		s = Trim(s[1 : len(s)-1])
	}
	var b strings.Builder
	b.Grow(len(s))
	first := true
	for _, r := range s {
		if isBidiMark(r) {
			continue
		}
		if first {
			first = false
			if r != '+' && r != '\uFF0B' && isMinusSign(r) {
				if f.neg {
					return f, false // "(-3)": two signs
				}
				f.neg = true
				continue
			}
			if r == '+' || r == '\uFF0B' {
				if f.neg {
					return f, false
				}
				continue
			}
		}
		if d, isDigit := asciiDigit(r); isDigit {
			b.WriteByte(d)
			continue
		}
		switch r {
		case '\u066C': // Arabic thousands separator
			b.WriteByte('\'')
		case '\u066B': // Arabic decimal separator
			b.WriteByte('.')
			f.decimalKnown = true
		case '\uFF0C':
			b.WriteByte(',')
		case '\uFF0E':
			b.WriteByte('.')
		default:
			b.WriteRune(r)
		}
	}
	f.text = b.String()
	if f.neg || f.text != s {
		// A sign may be followed by spaces ("- 2"), never by another sign.
		f.text = Trim(f.text)
		if f.text == "" || f.text[0] == '-' || f.text[0] == '+' {
			return f, false
		}
	}
	if f.decimalKnown && strings.ContainsRune(f.text, '.') && strings.Count(f.text, ".") > 1 {
		return f, false
	}
	return f, true
}

// foldDigits rewrites the decimal digits of other scripts in s as ASCII
// digits (digitZeros), leaving everything else; ok is false (and s is
// returned) when s has none.
func foldDigits(s string) (string, bool) {
	has := false
	for _, r := range s {
		if _, d := asciiDigit(r); d {
			has = true
			break
		}
	}
	if !has {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if d, ok := asciiDigit(r); ok {
			b.WriteByte(d)
			continue
		}
		b.WriteRune(r)
	}
	return b.String(), true
}
