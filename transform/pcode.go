package transform

import (
	"strings"
	"unicode/utf8"
)

// PcodeIsPseudo reports a placeholder written where a p-code was unknown:
// DTM's temporary codes ("Temp03", "TEMP-1", "tmp_4", "DTM12"), other
// placeholders ("PSEUDO5", "XXX", "UNKNOWN", "000", "OOO") and missing-value
// tokens ("NA", "n/a", "-", empty). Such codes are kept as published and
// flagged, never checked for shape or hierarchy.
func PcodeIsPseudo(code string) bool {
	if ok, done := pcodeIsPseudoASCII(code); done {
		return ok
	}
	c := strings.ToUpper(castTrim(code))
	if IsMissing(c) {
		return true
	}
	// Drop separators: "TEMP-1", "tmp_4", "DTM 12".
	var b strings.Builder
	for _, r := range c {
		switch r {
		case '-', '_', ' ', '.', '/', '#':
		default:
			b.WriteRune(r)
		}
	}
	return pcodePseudoCompact(b.String())
}

// pcodePseudoPrefixes are the words that open a placeholder code.
var pcodePseudoPrefixes = [...]string{"TEMPORARY", "TEMP", "TMP", "DTM", "PSEUDO", "FAKE", "DUMMY",
	"NOPCODE", "NOCODE", "UNKNOWN", "TBD", "XXX", "XX", "OOO"}

// pcodePseudoCompact is the end of PcodeIsPseudo on an upper-cased code
// without separators.
func pcodePseudoCompact(c string) bool {
	for _, p := range pcodePseudoPrefixes {
		if rest, ok := strings.CutPrefix(c, p); ok && pcodeAllDigits(rest) {
			return true
		}
	}
	return c != "" && strings.Trim(c, "0") == ""
}

// pcodeIsPseudoASCII is PcodeIsPseudo for ASCII codes of up to 32 bytes,
// without allocating; done is false for other codes.
func pcodeIsPseudoASCII(code string) (pseudo, done bool) {
	var arr [32]byte
	if len(code) > len(arr) {
		return false, false
	}
	for i := 0; i < len(code); i++ {
		if code[i] >= utf8.RuneSelf {
			return false, false
		}
	}
	if IsMissing(code) { // case-insensitive, trims
		return true, true
	}
	// castTrim on ASCII trims exactly the ASCII white space.
	code = strings.Trim(code, " \t\n\v\f\r")
	buf := arr[:0]
	for i := 0; i < len(code); i++ {
		ch := code[i]
		switch {
		case ch == '-', ch == '_', ch == ' ', ch == '.', ch == '/', ch == '#':
			continue
		case ch >= 'a' && ch <= 'z':
			ch -= 'a' - 'A'
		}
		buf = append(buf, ch)
	}
	return pcodePseudoCompact(string(buf)), true
}

// PcodeShapeOK reports whether code looks like a COD p-code of the country
// at the admin level: the country's ISO2 or ISO3 letters (TD0704 for TCD,
// NG002003 for NGA, UA0102 for UKR, IQG01 for IRQ), then letters and digits
// with at least one digit and at least level characters. Level 0 is the
// country code itself; a negative level skips the level check. Case and
// surrounding spaces are ignored. When iso3 is empty or not in the table,
// any ^[A-Z]{2,3}[0-9A-Z]+$ is accepted (^[A-Z]{2,3}$ at level 0).
func PcodeShapeOK(code, iso3 string, level int) bool {
	c := strings.ToUpper(castTrim(code))
	if !pcodeGenericShape(c, level == 0) {
		return false
	}
	country, known := pcodeCountryIndex.byISO3[strings.ToUpper(castTrim(iso3))]
	if !known {
		return true
	}
	for _, prefix := range []string{country.iso3, country.iso2} {
		rest, ok := strings.CutPrefix(c, prefix)
		if !ok {
			continue
		}
		if level == 0 {
			if rest == "" {
				return true
			}
			continue
		}
		if rest == "" || !pcodeHasDigit(rest) || (level > 0 && len(rest) < level) {
			continue
		}
		return true
	}
	return false
}

// PcodeUnder reports whether child lies under parent by the p-code prefix
// rule (TD0704 is under TD07): child is longer and starts with parent.
// Case and surrounding spaces are ignored; an empty code is under nothing.
func PcodeUnder(child, parent string) bool {
	c := strings.ToUpper(castTrim(child))
	p := strings.ToUpper(castTrim(parent))
	return p != "" && len(c) > len(p) && strings.HasPrefix(c, p)
}

// ISO3FromCountry returns the ISO 3166-1 alpha-3 code of a country written
// as an ISO3 code ("tcd"), an ISO2 code ("TD") or an English or French name
// ("Chad", "Tchad", "Soudan du Sud", "Côte d'Ivoire"), case, accents and
// punctuation ignored. The table covers the countries where DTM operates
// and those on the flow-monitoring routes (neighbours, Gulf, Europe).
// Unknown-country labels ("OOO", "unknown", "inconnu", "NS/NR") give "OOO".
// Missing-value tokens give ok=false; "NA" is therefore missing, not
// Namibia.
func ISO3FromCountry(s string) (string, bool) {
	s = castTrim(s)
	if IsMissing(s) {
		return "", false
	}
	up := strings.ToUpper(s)
	if len(up) == 3 {
		if c, ok := pcodeCountryIndex.byISO3[up]; ok {
			return c.iso3, true
		}
	}
	if len(up) == 2 {
		if iso3, ok := pcodeCountryIndex.byISO2[up]; ok {
			return iso3, true
		}
	}
	if iso3, ok := pcodeCountryIndex.byName[NormalizeLabel(s)]; ok {
		return iso3, true
	}
	return "", false
}

// pcodeUnknownCountry is the flow-monitoring code of an unknown country.
const pcodeUnknownCountry = "OOO"

type pcodeCountry struct {
	iso3, iso2 string
	names      string // '|'-separated English and French names and variants
}

// pcodeCountries lists the countries dtm knows.
var pcodeCountries = []pcodeCountry{
	// West and Central Africa
	{"BEN", "BJ", "Benin|Bénin"},
	{"BFA", "BF", "Burkina Faso|Burkina"},
	{"CAF", "CF", "Central African Republic|République centrafricaine|Centrafrique|CAR|RCA"},
	{"CIV", "CI", "Côte d'Ivoire|Cote d Ivoire|Ivory Coast"},
	{"CMR", "CM", "Cameroon|Cameroun"},
	{"COD", "CD", "Democratic Republic of the Congo|Democratic Republic of Congo|DR Congo|DRC|RDC|Congo DR|République démocratique du Congo|Congo-Kinshasa|Congo, The Democratic Republic of the|Congo (Kinshasa)"},
	{"COG", "CG", "Congo|Republic of the Congo|Republic of Congo|République du Congo|Congo-Brazzaville|Congo (Brazzaville)"},
	{"CPV", "CV", "Cabo Verde|Cape Verde|Cap-Vert"},
	{"GAB", "GA", "Gabon"},
	{"GHA", "GH", "Ghana"},
	{"GIN", "GN", "Guinea|Guinée|Guinea-Conakry|Guinée-Conakry"},
	{"GMB", "GM", "Gambia|The Gambia|Gambie"},
	{"GNB", "GW", "Guinea-Bissau|Guinée-Bissau"},
	{"GNQ", "GQ", "Equatorial Guinea|Guinée équatoriale"},
	{"LBR", "LR", "Liberia|Libéria"},
	{"MLI", "ML", "Mali"},
	{"MRT", "MR", "Mauritania|Mauritanie"},
	{"NER", "NE", "Niger"},
	{"NGA", "NG", "Nigeria|Nigéria"},
	{"SEN", "SN", "Senegal|Sénégal"},
	{"SLE", "SL", "Sierra Leone"},
	{"STP", "ST", "Sao Tome and Principe|São Tomé-et-Principe"},
	{"TCD", "TD", "Chad|Tchad"},
	{"TGO", "TG", "Togo"},
	// North Africa
	{"DZA", "DZ", "Algeria|Algérie"},
	{"EGY", "EG", "Egypt|Égypte"},
	{"ESH", "EH", "Western Sahara|Sahara occidental"},
	{"LBY", "LY", "Libya|Libye"},
	{"MAR", "MA", "Morocco|Maroc"},
	{"TUN", "TN", "Tunisia|Tunisie"},
	// East Africa and the Horn
	{"BDI", "BI", "Burundi"},
	{"COM", "KM", "Comoros|Comores"},
	{"DJI", "DJ", "Djibouti"},
	{"ERI", "ER", "Eritrea|Érythrée"},
	{"ETH", "ET", "Ethiopia|Éthiopie"},
	{"KEN", "KE", "Kenya"},
	{"RWA", "RW", "Rwanda"},
	{"SDN", "SD", "Sudan|Soudan|Republic of the Sudan"},
	{"SOM", "SO", "Somalia|Somalie"},
	{"SSD", "SS", "South Sudan|Soudan du Sud|Sud-Soudan|Republic of South Sudan"},
	{"TZA", "TZ", "Tanzania|United Republic of Tanzania|Tanzanie"},
	{"UGA", "UG", "Uganda|Ouganda"},
	// Southern Africa and the Indian Ocean
	{"AGO", "AO", "Angola"},
	{"BWA", "BW", "Botswana"},
	{"LSO", "LS", "Lesotho"},
	{"MDG", "MG", "Madagascar"},
	{"MOZ", "MZ", "Mozambique|Moçambique"},
	{"MUS", "MU", "Mauritius|Maurice"},
	{"MWI", "MW", "Malawi"},
	{"NAM", "NA", "Namibia|Namibie"},
	{"SWZ", "SZ", "Eswatini|Swaziland"},
	{"SYC", "SC", "Seychelles"},
	{"ZAF", "ZA", "South Africa|Afrique du Sud"},
	{"ZMB", "ZM", "Zambia|Zambie"},
	{"ZWE", "ZW", "Zimbabwe"},
	// Middle East
	{"ARE", "AE", "United Arab Emirates|UAE|Émirats arabes unis"},
	{"BHR", "BH", "Bahrain|Bahreïn"},
	{"IRN", "IR", "Iran|Islamic Republic of Iran|Iran (Islamic Republic of)"},
	{"IRQ", "IQ", "Iraq|Irak"},
	{"ISR", "IL", "Israel|Israël"},
	{"JOR", "JO", "Jordan|Jordanie"},
	{"KWT", "KW", "Kuwait|Koweït"},
	{"LBN", "LB", "Lebanon|Liban"},
	{"OMN", "OM", "Oman"},
	{"PSE", "PS", "Palestine|State of Palestine|occupied Palestinian territory|oPt|Territoire palestinien occupé"},
	{"QAT", "QA", "Qatar"},
	{"SAU", "SA", "Saudi Arabia|Kingdom of Saudi Arabia|KSA|Arabie saoudite"},
	{"SYR", "SY", "Syria|Syrian Arab Republic|Syrie"},
	{"TUR", "TR", "Türkiye|Turkey|Turquie"},
	{"YEM", "YE", "Yemen|Yémen"},
	// Asia and the Pacific
	{"AFG", "AF", "Afghanistan"},
	{"BGD", "BD", "Bangladesh"},
	{"CHN", "CN", "China|Chine"},
	{"FJI", "FJ", "Fiji|Fidji"},
	{"IDN", "ID", "Indonesia|Indonésie"},
	{"IND", "IN", "India|Inde"},
	{"KAZ", "KZ", "Kazakhstan"},
	{"KGZ", "KG", "Kyrgyzstan|Kirghizistan"},
	{"LKA", "LK", "Sri Lanka"},
	{"MMR", "MM", "Myanmar|Burma|Birmanie"},
	{"MNG", "MN", "Mongolia|Mongolie"},
	{"MYS", "MY", "Malaysia|Malaisie"},
	{"NPL", "NP", "Nepal|Népal"},
	{"PAK", "PK", "Pakistan"},
	{"PHL", "PH", "Philippines"},
	{"PNG", "PG", "Papua New Guinea|Papouasie-Nouvelle-Guinée"},
	{"SLB", "SB", "Solomon Islands|Îles Salomon"},
	{"THA", "TH", "Thailand|Thaïlande"},
	{"TJK", "TJ", "Tajikistan|Tadjikistan"},
	{"TKM", "TM", "Turkmenistan|Turkménistan"},
	{"TLS", "TL", "Timor-Leste|East Timor"},
	{"UZB", "UZ", "Uzbekistan|Ouzbékistan"},
	{"VNM", "VN", "Viet Nam|Vietnam"},
	{"VUT", "VU", "Vanuatu"},
	// Europe and the Caucasus
	{"ALB", "AL", "Albania|Albanie"},
	{"ARM", "AM", "Armenia|Arménie"},
	{"AUT", "AT", "Austria|Autriche"},
	{"AZE", "AZ", "Azerbaijan|Azerbaïdjan"},
	{"BEL", "BE", "Belgium|Belgique"},
	{"BGR", "BG", "Bulgaria|Bulgarie"},
	{"BIH", "BA", "Bosnia and Herzegovina|Bosnia|Bosnie-Herzégovine"},
	{"BLR", "BY", "Belarus|Biélorussie"},
	{"CHE", "CH", "Switzerland|Suisse"},
	{"CYP", "CY", "Cyprus|Chypre"},
	{"CZE", "CZ", "Czechia|Czech Republic|Tchéquie|République tchèque"},
	{"DEU", "DE", "Germany|Allemagne"},
	{"DNK", "DK", "Denmark|Danemark"},
	{"ESP", "ES", "Spain|Espagne"},
	{"EST", "EE", "Estonia|Estonie"},
	{"FIN", "FI", "Finland|Finlande"},
	{"FRA", "FR", "France"},
	{"GBR", "GB", "United Kingdom|UK|Great Britain|Royaume-Uni"},
	{"GEO", "GE", "Georgia|Géorgie"},
	{"GRC", "GR", "Greece|Grèce"},
	{"HRV", "HR", "Croatia|Croatie"},
	{"HUN", "HU", "Hungary|Hongrie"},
	{"IRL", "IE", "Ireland|Irlande"},
	{"ITA", "IT", "Italy|Italie"},
	{"LTU", "LT", "Lithuania|Lituanie"},
	{"LVA", "LV", "Latvia|Lettonie"},
	{"MDA", "MD", "Moldova|Republic of Moldova|Moldavie"},
	{"MKD", "MK", "North Macedonia|Macédoine du Nord"},
	{"MLT", "MT", "Malta|Malte"},
	{"MNE", "ME", "Montenegro|Monténégro"},
	{"NLD", "NL", "Netherlands|Pays-Bas"},
	{"NOR", "NO", "Norway|Norvège"},
	{"POL", "PL", "Poland|Pologne"},
	{"PRT", "PT", "Portugal"},
	{"ROU", "RO", "Romania|Roumanie"},
	{"RUS", "RU", "Russia|Russian Federation|Russie|Fédération de Russie"},
	{"SRB", "RS", "Serbia|Serbie"},
	{"SVK", "SK", "Slovakia|Slovaquie"},
	{"SVN", "SI", "Slovenia|Slovénie"},
	{"SWE", "SE", "Sweden|Suède"},
	{"UKR", "UA", "Ukraine"},
	{"XKX", "XK", "Kosovo"},
	// The Americas
	{"ARG", "AR", "Argentina|Argentine"},
	{"BOL", "BO", "Bolivia|Bolivie"},
	{"BRA", "BR", "Brazil|Brésil"},
	{"CAN", "CA", "Canada"},
	{"CHL", "CL", "Chile|Chili"},
	{"COL", "CO", "Colombia|Colombie"},
	{"CRI", "CR", "Costa Rica"},
	{"CUB", "CU", "Cuba"},
	{"DOM", "DO", "Dominican Republic|République dominicaine"},
	{"ECU", "EC", "Ecuador|Équateur"},
	{"GTM", "GT", "Guatemala"},
	{"GUY", "GY", "Guyana"},
	{"HND", "HN", "Honduras"},
	{"HTI", "HT", "Haiti|Haïti"},
	{"MEX", "MX", "Mexico|Mexique"},
	{"NIC", "NI", "Nicaragua"},
	{"PAN", "PA", "Panama"},
	{"PER", "PE", "Peru|Pérou"},
	{"SLV", "SV", "El Salvador|Salvador"},
	{"TTO", "TT", "Trinidad and Tobago|Trinité-et-Tobago"},
	{"USA", "US", "United States|United States of America|USA|États-Unis"},
	{"VEN", "VE", "Venezuela|Venezuela (Bolivarian Republic of)"},
}

// pcodeUnknownNames are labels of an unknown country (flow monitoring).
var pcodeUnknownNames = []string{"OOO", "unknown", "unknown country", "inconnu", "inconnue",
	"pays inconnu", "NS/NR", "NSP", "ne sait pas", "don't know", "not known", "desconocido"}

// pcodeIndex is the read-only lookup built once from pcodeCountries.
type pcodeIndex struct {
	byISO3 map[string]pcodeCountry
	byISO2 map[string]string
	byName map[string]string
}

var pcodeCountryIndex = pcodeBuildIndex()

func pcodeBuildIndex() pcodeIndex {
	ix := pcodeIndex{
		byISO3: make(map[string]pcodeCountry, len(pcodeCountries)+1),
		byISO2: make(map[string]string, len(pcodeCountries)),
		byName: make(map[string]string, 4*len(pcodeCountries)),
	}
	for _, c := range pcodeCountries {
		ix.byISO3[c.iso3] = c
		ix.byISO2[c.iso2] = c.iso3
		for _, n := range strings.Split(c.names, "|") {
			ix.byName[NormalizeLabel(n)] = c.iso3
		}
	}
	// Known to ISO3FromCountry, but not a p-code prefix.
	ix.byName[NormalizeLabel(pcodeUnknownCountry)] = pcodeUnknownCountry
	for _, n := range pcodeUnknownNames {
		ix.byName[NormalizeLabel(n)] = pcodeUnknownCountry
	}
	return ix
}

// pcodeGenericShape checks ^[A-Z]{2,3}[0-9A-Z]+$ (or ^[A-Z]{2,3}$ when
// bare is allowed) on upper-cased text.
func pcodeGenericShape(c string, bare bool) bool {
	letters := 0
	for letters < len(c) && c[letters] >= 'A' && c[letters] <= 'Z' {
		letters++
	}
	if letters < 2 {
		return false
	}
	if len(c) <= 3 && letters == len(c) {
		return bare
	}
	for i := 2; i < len(c); i++ {
		if !(c[i] >= 'A' && c[i] <= 'Z' || c[i] >= '0' && c[i] <= '9') {
			return false
		}
	}
	return true
}

func pcodeHasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

func pcodeAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
