package transform

import (
	"strconv"
	"strings"
)

// headerMeaning is what a header label says, read word by word: which
// population and unit a count column counts, which place level and role
// (name, code, type) a place column has, which kind of date, and so on.
// The zero value says nothing.
type headerMeaning struct {
	Pop    string // "idp", "returnee", "host" or ""
	PopSub string // returnees: "internal" (former IDPs) or "abroad"
	Unit   string // "ind", "hh" or ""
	Sex    string // "m", "f" or ""
	Count  bool   // a count word (total, number, nb, num…)

	Place    string // "country", "admin", "village", "site" or ""
	Level    int    // admin level 1-4 (from a number or the word's usual level)
	Explicit bool   // Level was written as a number (Admin 2, adm3)
	PlaceKey string // the place word ("province", "admin2") that groups name and code columns
	Role     string // "name", "code", "type" or ""

	Date    string // "assessment", "reporting", "any" or ""
	Month   bool   // a month or period word ("Mois", "Month"): a date, or month numbers
	Round   bool
	Origin  bool
	Reason  bool
	PopType bool // says which population the row counts ("Population type")
	Lat     bool
	Lon     bool

	Blocked bool     // a word that changes the meaning (age, average, percent, new…)
	Unknown []string // words not understood
}

// Words of header labels, by meaning (normalised: lower case, no accents).
var (
	hmIDP = wordSet("idp", "idps", "pdi", "pdis", "displaced", "deplace", "deplaces", "deplacee", "deplacees",
		"desplazado", "desplazados", "desplazada", "desplazadas", "deslocado", "deslocados", "deslocada",
		"deslocadas", "idpind", "idpsind")
	hmReturnee = wordSet("returnee", "returnees", "returned", "return", "returns", "retourne", "retournes",
		"retournee", "retournees", "retour", "retornado", "retornados", "retornada", "retornadas", "ret", "rapatries",
		"rapatrie")
	hmHost = wordSet("host", "hosts", "hote", "hotes", "hosting", "accueil", "receptora", "acogida", "acolhimento",
		"hospedeira", "anfitria")
	hmFormer = wordSet("former", "anciens", "ancien", "anciennes", "ex")
	hmAbroad = wordSet("abroad", "etranger", "exterieur", "extranjero", "international")
	hmInd    = wordSet("individuals", "individual", "ind", "inds", "indiv", "indivs", "individus", "individu",
		"persons", "person", "people", "personnes", "personne", "personas", "persona", "individuos", "individuo",
		"pessoas", "pessoa", "pers", "population", "pop",
		"ppl", "pax", "beneficiaries")
	hmHH = wordSet("households", "household", "hh", "hhs", "hhold", "menages", "menage", "hogares", "hogar",
		"agregados", "agregado",
		"families", "family", "familles", "famille", "familias", "familia", "foyers", "foyer")
	hmSize  = wordSet("size", "taille", "tamano")
	hmCount = wordSet("total", "totals", "no", "nb", "nbr", "nbre", "num", "number", "numbers", "count", "counts",
		"qty", "quantity", "cantidad", "sum", "somme", "numero", "n")
	hmMale   = wordSet("male", "males", "men", "man", "hommes", "homme", "masculin", "masculins", "hombres", "hombre", "varones")
	hmFemale = wordSet("female", "females", "women", "woman", "femmes", "femme", "feminin", "feminins", "mujeres", "mujer")
	// hmNeutral are words that add nothing to the meaning of a column.
	hmNeutral = wordSet("of", "the", "de", "du", "des", "d", "l", "la", "le", "les", "in", "en", "del", "y", "and",
		"do", "da", "dos", "das", "e",
		"et", "par", "per", "a", "au", "aux", "at", "for", "pour", "on", "by", "all", "tous", "toutes", "present",
		"presents", "presentes", "current", "currently", "actual", "actuel", "actuels", "actuelle", "actuelles",
		"actuellement", "estimated", "estimate", "estimation", "estime", "estimes", "estimee", "approx",
		"approximate", "approximatif", "internally", "internes", "interne", "internos", "internas", "in_site",
		"area", "zone", "i", "e", "ie", "s", "reported", "loc",
		"q", "value", "valeur", "figure", "figures", "data", "donnees", "this", "ce", "cette")
	// hmBlock are words that make a count something else than the headline
	// figure of its population (an age group, a share, an average, arrivals).
	hmBlock = wordSet("children", "child", "enfants", "enfant", "ninos", "ninas", "girls", "boys", "filles", "garcons",
		"adults", "adultes", "adultos", "elderly", "ages", "age", "years", "ans", "anos", "under", "over", "moins",
		"plus", "average", "avg", "moyenne", "mean", "median", "percent", "percentage", "pct", "pourcentage",
		"porcentaje", "share", "ratio", "rate", "taux", "new", "nouveaux", "nouvelles", "nuevos", "arrivals",
		"arrivees", "arrived", "departures", "departs", "left", "change", "difference", "previous", "last", "prev",
		"variation", "increase", "decrease", "need", "needs", "besoin", "besoins", "with", "without", "avec", "sans",
		"received", "disability", "disabilities", "handicap", "handicapes", "pregnant", "enceintes", "vulnerable",
		"vulnerables", "since", "depuis", "expected", "planned", "target", "cible", "max", "min", "capacity",
		"capacite", "shelters", "abris", "deaths", "deces", "injured", "blesses", "missing", "disparus", "latrines",
		"schools", "ecoles", "unaccompanied", "separated", "non", "not", "pas", "sex", "sexe", "sexo", "ratio")

	hmCountry   = wordSet("country", "countries", "pays", "pais", "admin0", "adm0", "nation")
	hmISO       = wordSet("iso", "iso3", "iso2", "alpha3")
	hmAdminWord = wordSet("admin", "adm", "admn", "administrative", "admin_level")
	hmSite      = wordSet("site", "sites", "camp", "camps", "location", "locations", "loc", "lieu", "sitio", "sitios",
		"albergue", "ssid", "settlement_site")
	hmVillage = wordSet("village", "villages", "settlement", "settlements", "localite", "localites", "hamlet",
		"hameau", "aldea", "vereda", "comunidad", "community", "communaute", "localidad")
	hmCode = wordSet("code", "codes", "pcode", "pcodes", "pcod", "id", "ids", "codigo", "cod", "identifiant", "ssid")
	hmName = wordSet("name", "names", "nom", "noms", "label", "libelle", "en", "fr", "designation")
	hmType = wordSet("type", "types", "typology", "typologie", "classification", "category", "categorie",
		"categoria", "tipo", "kind", "status", "statut", "estatus")
	hmDate = wordSet("date", "dates", "fecha", "dt", "day", "jour")
	// hmMonth are words of a column dated by its month or period ("Mois",
	// "Month", "Période"): a date column unless its values are month
	// numbers (Mapping.settleMonthColumns).
	hmMonth = wordSet("month", "months", "mois", "mes", "meses", "period", "periode", "periodo", "monthly",
		"mensuel", "mensual")
	hmAssessDate = wordSet("assessment", "assessed", "survey", "surveyed", "collecte", "collection", "collected",
		"evaluation", "evaluacion", "enquete", "interview", "visit", "visite", "encuesta", "recoleccion",
		"recolection", "entretien", "entrevista", "fieldwork", "terrain")
	hmReportDate = wordSet("reporting", "report", "reported", "snapshot", "rapportage", "rapport", "publication",
		"published", "reference", "reporte")
	hmRound  = wordSet("round", "rounds", "rnd", "ronda", "roundno", "roundnumber")
	hmOrigin = wordSet("origin", "origine", "orig", "provenance", "origen", "procedence", "from")
	hmReason = wordSet("reason", "reasons", "raison", "raisons", "cause", "causes", "motif", "motifs", "motivo",
		"motivos", "causa", "why", "pourquoi")
	hmDisplacement = wordSet("displacement", "deplacement", "desplazamiento", "displaced", "flight", "fuite")
	hmLat          = wordSet("latitude", "lat")
	hmLon          = wordSet("longitude", "lon", "long", "lng")
	hmGPS          = wordSet("gps", "coordinates", "coordinate", "coordonnees", "geo", "geopoint", "gis")
)

// hmPlaceLevel gives the usual admin level of a place word; the level a
// file gives it is settled by position (mapping_admin.go): Burkina Faso's
// Province is admin 2 under its Région.
var hmPlaceLevel = map[string]int{
	// level 1
	"state": 1, "states": 1, "province": 1, "provinces": 1, "provincia": 1, "region": 1, "regions": 1,
	"regiones": 1, "governorate": 1, "governorates": 1, "gouvernorat": 1, "oblast": 1, "wilaya": 1,
	"estado": 1, "departamento": 1, "muhafaza": 1, "etat": 1,
	// level 2
	"lga": 2, "lgas": 2, "county": 2, "counties": 2, "district": 2, "districts": 2, "commune": 2,
	"communes": 2, "departement": 2, "departements": 2, "dept": 2, "dpt": 2, "cercle": 2, "cercles": 2, "raion": 2, "rayon": 2,
	"territoire": 2, "territory": 2, "municipio": 2, "municipality": 2, "municipalite": 2, "prefecture": 2,
	"prefectures": 2, "zone": 2, "locality": 2, "localities": 2, "moughataa": 2, "mudiriyah": 2,
	// level 3
	"ward": 3, "wards": 3, "payam": 3, "payams": 3, "woreda": 3, "woredas": 3, "arrondissement": 3,
	"arrondissements": 3, "colline": 3, "collines": 3, "secteur": 3, "sector": 3, "chefferie": 3,
	"subcounty": 3, "subdistrict": 3, "subprefecture": 3, "subprefectures": 3, "tehsil": 3, "upazila": 3,
	"parroquia": 3, "corregimiento": 3, "nahia": 3, "subregion": 2, "subprovince": 2,
	// level 4
	"muhalla": 4, "boma": 4, "kebele": 4, "fokontany": 4, "groupement": 4, "quartier": 4, "quartiers": 4,
	"union": 4, "subward": 4, "cell": 4, "cellule": 4,
}

// placeKey is the key that groups the name and code columns of one place:
// the word, singular, abbreviations spelled out ("Dept Pcode" and
// "Départements" are one place).
func placeKey(w string) string {
	switch w {
	case "dept", "dpt":
		return "departement"
	}
	if s := strings.TrimSuffix(w, "s"); s != w && hmPlaceLevel[s] > 0 {
		return s
	}
	return w
}

func wordSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// readHeader reads the meaning of a header label.
func readHeader(label string) headerMeaning {
	return meaningOf(headerWords(label))
}

// meaningOf reads the meaning of the words of a label.
func meaningOf(words []string) headerMeaning {
	var m headerMeaning
	lastUnit := -1
	hasDisplacement := false
	dateKind := "" // assessment or reporting words: a date only beside a date word
	for i := 0; i < len(words); i++ {
		w := words[i]
		next := ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		switch {
		case hmAdminWord[w] && isSmallNumber(next):
			n, _ := strconv.Atoi(next)
			i++
			if n == 0 {
				m.Place = "country"
				continue
			}
			if m.Place == "admin" && m.PlaceKey != "" {
				m.Level, m.Explicit = n, true // "State (admin 1)": the word keys the place
				continue
			}
			m.Place, m.Level, m.Explicit, m.PlaceKey = "admin", n, true, "admin"+next
		case hmAdminWord[w] && (next == "level" || next == "lvl"):
			i++ // "Admin level": the admin_level field, matched by alias
			m.Unknown = append(m.Unknown, w)
		case hmAdminWord[w]:
			// "Admin" alone: a place of unknown level.
			m.Unknown = append(m.Unknown, w)
		case w == "admin0" || w == "adm0":
			m.Place = "country"
		case hmCountry[w]:
			m.Place = "country"
		case hmISO[w]:
			if m.Place == "" {
				m.Place = "country"
			}
			m.Role = "code"
		case hmPlaceLevel[w] > 0 && w != "zone":
			switch {
			case m.Place == "" || m.Place == "site" || m.Place == "village":
				m.Place, m.Level, m.PlaceKey = "admin", hmPlaceLevel[w], placeKey(w)
			case m.Place == "admin" && m.Explicit && strings.HasPrefix(m.PlaceKey, "admin"):
				m.PlaceKey = placeKey(w) // "Admin 1 (State)": the word keys the place
			}
		case hmVillage[w]:
			if m.Place == "" || m.Place == "site" {
				m.Place, m.PlaceKey = "village", "village"
			}
		case hmSite[w]:
			if w == "ssid" {
				m.Role = "code"
			}
			if m.Place == "" {
				m.Place, m.PlaceKey = "site", "site"
			}
		case hmIDP[w]:
			if m.Pop == "returnee" {
				m.PopSub = "internal" // "Returnee IDPs", "retournés anciens PDI"
			} else if m.Pop == "" {
				m.Pop = "idp"
			}
			if w == "displaced" || strings.HasPrefix(w, "deplace") || strings.HasPrefix(w, "desplazad") {
				hasDisplacement = true
			}
		case hmReturnee[w]:
			if m.Pop == "idp" {
				m.PopSub = "internal"
			}
			m.Pop = "returnee"
		case hmFormer[w]:
			if m.PopSub == "" {
				m.PopSub = "internal"
			}
		case hmAbroad[w]:
			m.PopSub = "abroad"
		case hmHost[w]:
			if m.Pop == "" {
				m.Pop = "host"
			}
		case hmInd[w]:
			m.Unit, lastUnit = "ind", i
		case hmHH[w]:
			m.Unit, lastUnit = "hh", i
		case hmSize[w]:
			if m.Unit == "hh" && lastUnit == i-1 {
				m.Unit = "ind" // "Family size", "taille du ménage"
			}
		case hmMale[w]:
			m.Sex = "m"
		case hmFemale[w]:
			m.Sex = "f"
		case hmDate[w]:
			if m.Date == "" {
				m.Date = "any"
			}
		case hmMonth[w]:
			if m.Date == "" {
				m.Date = "any"
			}
			m.Month = true
		case hmAssessDate[w]:
			dateKind = "assessment"
		case hmReportDate[w]:
			dateKind = "reporting"
		case hmRound[w]:
			m.Round = true
		case hmOrigin[w]:
			m.Origin = true
		case hmReason[w]:
			m.Reason = true
		case hmDisplacement[w]:
			hasDisplacement = true
		case hmLat[w] && len(words) <= 3:
			m.Lat = true
		case hmLon[w] && len(words) <= 3:
			m.Lon = true
		case hmGPS[w]:
		case hmCode[w]:
			m.Role = "code"
		case hmName[w]:
			m.Role = "name"
		case w == "nombre":
			// Spanish "nombre" is a name, French "nombre" a count: a name
			// only next to a place and no population.
			m.Count = true
		case hmType[w]:
			m.Role = "type"
		case hmCount[w]:
			m.Count = true
		case hmBlock[w]:
			m.Blocked = true
		case hmNeutral[w]:
		case isNumber(w):
			// a year or a number: adds nothing ("IDP Individuals 2024")
		default:
			m.Unknown = append(m.Unknown, w)
		}
	}
	if m.Date != "" && dateKind != "" {
		m.Date = dateKind
	}
	// "Population type", "Type de population", "Displacement status":
	// which population the row counts.
	if m.Role == "type" && m.Place == "" && (containsWord(words, "population", "pop") || hasDisplacement) {
		m.PopType, m.Unit, m.Role, m.Pop = true, "", "", ""
	}
	if m.Count && m.Role == "" && m.Pop == "" && m.Unit == "" && m.Place != "" && containsWord(words, "nombre") {
		m.Role, m.Count = "name", false // Spanish "Nombre del sitio"
	}
	return m
}

func containsWord(words []string, want ...string) bool {
	for _, w := range words {
		for _, x := range want {
			if w == x {
				return true
			}
		}
	}
	return false
}

func isSmallNumber(s string) bool {
	return len(s) == 1 && s[0] >= '0' && s[0] <= '9'
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
