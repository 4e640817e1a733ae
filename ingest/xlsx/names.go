package xlsx

import (
	"strings"
	"unicode"
)

// foldName lower-cases a sheet name, folds common accents and turns
// separators into spaces, so that "Métadonnées_2023" becomes
// "metadonnees 2023".
var foldName = strings.NewReplacer(
	"_", " ", "-", " ", ".", " ", "(", " ", ")", " ",
	"é", "e", "è", "e", "ê", "e", "É", "e", "à", "a", "ô", "o", "ï", "i", "î", "i", "ç", "c", "á", "a", "í", "i", "ó", "o", "ú", "u",
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

// directionWords are the words of a sheet name (folded by foldName) that
// say which way the flow its rows count goes: DTM flow monitoring
// workbooks keep entries and exits on sheets named Entry/Exit,
// Entrées/Sorties, Incoming/Outgoing, Entradas/Salidas.
var directionWords = map[string]string{
	"entry": "incoming", "entries": "incoming", "entree": "incoming", "entrees": "incoming",
	"incoming": "incoming", "inflow": "incoming", "inflows": "incoming", "arrival": "incoming",
	"arrivals": "incoming", "arrivees": "incoming", "entrada": "incoming", "entradas": "incoming",
	"entrants": "incoming", "ingresos": "incoming",
	"exit": "outgoing", "exits": "outgoing", "sortie": "outgoing", "sorties": "outgoing",
	"outgoing": "outgoing", "outflow": "outgoing", "outflows": "outgoing", "departure": "outgoing",
	"departures": "outgoing", "departs": "outgoing", "salida": "outgoing", "salidas": "outgoing",
	"sortants": "outgoing", "egresos": "outgoing",
}

// directionOfName returns the flow direction a sheet name gives
// ("incoming" or "outgoing"), or "" when none of its words names one, or
// words name both ("Entry and exit").
func directionOfName(name string) string {
	folded := foldName.Replace(strings.ToLower(name))
	dir := ""
	for _, w := range strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) }) {
		d, ok := directionWords[w]
		switch {
		case !ok:
		case dir == "":
			dir = d
		case dir != d:
			return ""
		}
	}
	return dir
}
