package geo

// alias gives names (separated by '|') that DTM files use for a country
// and that CLDR's English, French and Spanish names do not cover: French
// and English abbreviations, older official names, and the flow-monitoring
// labels of an unknown country. Aliases win over CLDR names (so "Congo",
// which CLDR spells "Congo - Brazzaville", is the Republic of the Congo as
// in DTM's forms).
type alias struct {
	iso3  string
	names string
}

var aliases = []alias{
	{"CAF", "CAR|RCA|Centrafrique"},
	{"CIV", "Ivory Coast|Cote d Ivoire"},
	{"COD", "Democratic Republic of the Congo|Democratic Republic of Congo|DR Congo|DRC|RDC|Congo DR|République démocratique du Congo|Congo, The Democratic Republic of the|Congo (Kinshasa)"},
	{"COG", "Congo|Republic of the Congo|Republic of Congo|République du Congo|Congo (Brazzaville)"},
	{"CPV", "Cape Verde"},
	{"GIN", "Guinea-Conakry|Guinée-Conakry"},
	{"GMB", "The Gambia"},
	{"BFA", "Burkina"},
	{"SAU", "KSA"},
	{"SYR", "Syrian Arab Republic"},
	{"TUR", "Türkiye|Turkiye"},
	{"GBR", "UK|Great Britain"},
	{"USA", "United States of America|US"},
	{"IRN", "Iran (Islamic Republic of)|Islamic Republic of Iran"},
	{"VEN", "Venezuela (Bolivarian Republic of)"},
	{"BOL", "Bolivia (Plurinational State of)"},
	{"TZA", "United Republic of Tanzania"},
	{"PSE", "State of Palestine|occupied Palestinian territory|oPt"},
	{"LAO", "Lao People's Democratic Republic|Lao PDR"},
	{"PRK", "Democratic People's Republic of Korea|DPRK"},
	{"KOR", "Republic of Korea"},
	{"MDA", "Republic of Moldova"},
	{"FSM", "Micronesia (Federated States of)"},
	{"XKX", "Kosovo*|XKK"},
	{Unknown, "OOO|unknown|unknown country|inconnu|inconnue|pays inconnu|NS/NR|NSP|ne sait pas|don't know|not known|desconocido"},
}
