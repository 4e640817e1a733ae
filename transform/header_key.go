package transform

import (
	"github.com/iom-dtm/dtm/schemas"
	"regexp"
	"strings"
)

var (
	headerHTMLTag = regexp.MustCompile(`<[^>]*>`)
	// Question-number prefixes seen in DTM forms: "2.1.b.7: ", "A1. ",
	// "B1a. ", "Q12 - ", "3) ".
	headerQuestionPrefix = regexp.MustCompile(`^\s*(?:[A-Za-z]{0,2}\d+[a-z]?(?:[.\-]\d*[a-z]?)*|[a-z](?:\.\d+)+)\s*[:.)\-–]\s+`)
	headerURL            = regexp.MustCompile(`https?://\S+`)
)

// CleanHeader returns a header cell as a person would read it: HTML tags
// and entities, URLs and line breaks removed, whitespace collapsed.
func CleanHeader(s string) string {
	s = headerHTMLTag.ReplaceAllString(s, " ")
	s = strings.NewReplacer("&nbsp;", " ", "&amp;", "&", "&#39;", "'", "&quot;", "\"", "\u00a0", " ").Replace(s)
	s = headerURL.ReplaceAllString(s, " ")
	s = strings.Join(strings.Fields(s), " ")
	return s
}

// HeaderKeys returns the normalised keys under which a header cell is
// looked up in the alias table, most specific first: the whole cleaned
// header, then without a question-number prefix, then the last segment of a
// Kobo group path ("group_x/field" -> "field"), then the text before a
// parenthesised note or a line break.
func HeaderKeys(raw string) []string {
	var keys []string
	add := func(s string) {
		k := NormalizeLabel(s)
		if k == "" {
			return
		}
		for _, have := range keys {
			if have == k {
				return
			}
		}
		keys = append(keys, k)
	}
	// The first line of a multi-line cell often is the label, the rest a note.
	firstLine := raw
	if i := strings.IndexAny(raw, "\r\n"); i > 0 {
		firstLine = raw[:i]
	}
	for _, s := range []string{raw, firstLine} {
		c := CleanHeader(s)
		add(c)
		noPrefix := headerQuestionPrefix.ReplaceAllString(c, "")
		add(noPrefix)
		if i := strings.LastIndex(noPrefix, "/"); i >= 0 && i+1 < len(noPrefix) && !strings.Contains(noPrefix, " ") {
			add(noPrefix[i+1:])
		}
	}
	return keys
}

// headerParenNote is a parenthesised or bracketed note inside a header
// ("State (admin 1)", "Site name [text]").
var headerParenNote = regexp.MustCompile(`\s*(?:\([^()]*\)|\[[^\[\]]*\])`)

// LooseHeaderKeys returns further keys for a header whose exact keys match
// nothing: the header without its parenthesised or bracketed notes ("State
// (admin 1)" -> "state"). Keys already returned by HeaderKeys are left out.
// Mapping tries them last, after SADD bands, so that a note that carries the
// meaning ("Female (60+)", "Total IDP (Households)") is never dropped when
// the whole header is known.
func LooseHeaderKeys(raw string) []string {
	exact := map[string]bool{}
	for _, k := range HeaderKeys(raw) {
		exact[k] = true
	}
	var out []string
	for _, k := range HeaderKeys(headerParenNote.ReplaceAllString(CleanHeader(raw), " ")) {
		if !exact[k] {
			out = append(out, k)
			exact[k] = true
		}
	}
	return out
}

// noteContradicts reports whether the bracketed notes of a header name a
// unit (households, individuals) or a population other than the one of
// field, the field its header matches once the notes are dropped: DTM
// templates write the unit in brackets ("Total Returnees (HH)", "Total
// Returnees (Ind)"), so the note must not be dropped there.
func noteContradicts(header, field string, ix *fieldIndex) bool {
	notes := headerParenNote.FindAllString(CleanHeader(header), -1)
	if len(notes) == 0 {
		return false
	}
	hm := readHeader(strings.Join(notes, " "))
	switch unit := ix.unit[field]; {
	case hm.Unit == "hh" && unit != "" && unit != schemas.Households,
		hm.Unit == "ind" && unit != "" && unit != schemas.Persons:
		return true
	}
	return hm.Pop != "" && bareFields[field] && hm.Pop != "idp"
}
