package xlsx

import "strings"

// foldName lower-cases a sheet name, folds common accents and turns
// separators into spaces, so that "Métadonnées_2023" becomes
// "metadonnees 2023".
var foldName = strings.NewReplacer(
	"_", " ", "-", " ", ".", " ", "(", " ", ")", " ",
	"é", "e", "è", "e", "ê", "e", "É", "e", "à", "a", "ô", "o", "ï", "i", "î", "i", "ç", "c",
)

// nameRule matches a kind of auxiliary sheet by name.
type nameRule struct {
	what     string   // description used in the reason
	contains []string // substrings of the folded name
	words    []string // whole words of the folded name
	exact    []string // the whole folded name
}

// auxiliaryRules describe sheets that are not the dataset: summaries, pivot
// tables, data dictionaries, notes, and the sheets of a Kobo XLSForm.
var auxiliaryRules = []nameRule{
	{what: "a summary", contains: []string{"summary", "synthese", "overview", "resume"}, words: []string{"totals", "recap"}},
	{what: "a pivot table", contains: []string{"pivot"}, words: []string{"tcd", "pt"}},
	{what: "a data dictionary", contains: []string{"dictionar", "codebook", "code book", "metadata", "meta data", "metadonnee", "definitions", "glossary", "variables"}},
	{what: "a readme or notes", contains: []string{"readme", "read me", "lisez moi", "instructions", "disclaimer"}, words: []string{"notes", "note", "about", "info", "cover", "contents", "toc", "legend", "sources", "methodology"}},
	{what: "a chart or dashboard", contains: []string{"chart", "graph", "dashboard"}},
	{what: "a Kobo XLSForm sheet", exact: []string{"survey", "choices", "settings", "lists", "list", "external choices", "external_choices"}},
}

// auxiliaryKind returns what kind of auxiliary sheet a name suggests, or ""
// when it may hold data.
func auxiliaryKind(name string) string {
	folded := strings.Join(strings.Fields(foldName.Replace(strings.ToLower(name))), " ")
	words := strings.Fields(folded)
	for _, r := range auxiliaryRules {
		for _, s := range r.contains {
			if strings.Contains(folded, s) {
				return r.what
			}
		}
		for _, w := range r.words {
			for _, fw := range words {
				if fw == w {
					return r.what
				}
			}
		}
		for _, e := range r.exact {
			if folded == e {
				return r.what
			}
		}
	}
	return ""
}
