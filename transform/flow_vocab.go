package transform

import "strings"

// flowSynonyms maps normalised labels (NormalizeLabel) to a canonical value.
type flowSynonyms map[string]string

func newFlowSynonyms(groups map[string]string) flowSynonyms {
	m := flowSynonyms{}
	for canon, list := range groups {
		for _, s := range strings.Split(list, "|") {
			m[NormalizeLabel(s)] = canon
		}
	}
	return m
}

func (m flowSynonyms) lookup(raw string) (string, bool) {
	c, ok := m[NormalizeLabel(raw)]
	return c, ok
}

var flowDirectionSyn = newFlowSynonyms(map[string]string{
	"incoming": "incoming|inflow|in|inbound|entry|entries|arrival|arrivals|arriving|entering|" +
		"entree|entrées|entrant|entrants|arrivee|arrivées|flux entrant|" +
		"entrada|entradas|entrante|entrantes|ingreso|ingresos|llegada",
	"outgoing": "outgoing|outflow|out|outbound|exit|exits|departure|departures|leaving|" +
		"sortie|sorties|sortant|sortants|depart|départs|flux sortant|" +
		"salida|salidas|saliente|salientes|egreso|egresos",
})

// NormalizeDirection maps a flow direction label (English, French,
// Spanish) to incoming or outgoing.
func NormalizeDirection(raw string) (string, bool) { return flowDirectionSyn.lookup(raw) }

var flowSexSyn = newFlowSynonyms(map[string]string{
	"male": "male|males|m|man|men|boy|boys|masculine|masculin|homme|hommes|h|garcon|garçons|" +
		"hombre|hombres|masculino|varon|varón|nino|niño",
	"female": "female|females|f|woman|women|girl|girls|feminine|femme|femmes|feminin|féminin|fille|filles|" +
		"mujer|mujeres|femenino|nina|niña",
	"other": "other|others|autre|autres|otro|otra|otra designacion|otra designación|non binary|nonbinary|non-binaire|intersex",
	"unknown": "unknown|ns|nr|ns nr|ns/nr|nsp|nsp nr|dk|dk na|no answer|prefer not to say|refused|refus|" +
		"ne sait pas|ne veut pas repondre|inconnu|inconnue|no sabe|no responde|no sabe no responde|desconocido|sin informacion",
})

// NormalizeSex maps a sex label (English, French, Spanish: Male, Femme,
// Otra designación, NS/NR …) to male, female, other or unknown.
func NormalizeSex(raw string) (string, bool) { return flowSexSyn.lookup(raw) }

var flowTransportSyn = newFlowSynonyms(map[string]string{
	"foot":      "foot|on foot|walking|walk|a pied|à pied|pied|marche|a pie|caminando",
	"bus":       "bus|buses|autobus|autocar|minibus|car de transport|coach|omnibus|colectivo",
	"car":       "car|cars|private car|taxi|voiture|vehicule|véhicule|vehicule prive|coche|auto|automovil|automóvil|carro",
	"truck":     "truck|trucks|lorry|camion|camions|camión|pickup|pick up|pick-up",
	"motorbike": "motorbike|motorcycle|moto|motos|mototaxi|moto taxi|motocicleta",
	"bicycle":   "bicycle|bike|velo|vélo|bicyclette|bicicleta",
	"boat":      "boat|boats|ship|ferry|canoe|bateau|pirogue|barque|barco|lancha|bote|embarcacion",
	"train":     "train|rail|tren|ferrocarril",
	"plane":     "plane|airplane|aeroplane|air|flight|avion|vol|avión|aereo|aéreo",
	"animal":    "animal|animals|donkey|camel|horse|cart|animal cart|charrette|ane|âne|chameau|cheval|burro|caballo|carreta",
	"other":     "other|autre|autres|otro|otros",
})

// NormalizeTransport maps a transport label to the flow transport
// vocabulary.
func NormalizeTransport(raw string) (string, bool) { return flowTransportSyn.lookup(raw) }

var flowReasonSyn = newFlowSynonyms(map[string]string{
	"economic":  "economic|economy|economique|économique|economico|económico|economica|work|job|employment|travail|emploi|trabajo|empleo|labour|labor",
	"conflict":  "conflict|conflit|conflicto|violence|violencia|insecurity|insecurite|insécurité|inseguridad|war|guerre|guerra",
	"disaster":  "disaster|natural disaster|disasters|catastrophe|catastrophe naturelle|desastre|desastre natural|climate|climat|flood|inondation|drought|secheresse",
	"seasonal":  "seasonal|seasonal migration|saisonnier|saisonniere|migration saisonniere|estacional|transhumance|pastoral",
	"family":    "family|family reunification|famille|familial|familiale|regroupement familial|familia|reunificacion familiar|visit family",
	"education": "education|studies|study|school|etudes|études|ecole|école|educacion|educación|estudios",
	"health":    "health|medical|healthcare|sante|santé|soins|salud|medico|médico",
	"food":      "food|food insecurity|nourriture|alimentation|alimentaire|comida|alimentos|alimentacion",
	"tourism":   "tourism|tourist|holiday|tourisme|turismo|vacaciones",
	"other":     "other|others|autre|autres|otro|otros|otra",
})

// NormalizeReason maps a reason label or a reason flag suffix to the flow
// reason vocabulary.
func NormalizeReason(raw string) (string, bool) { return flowReasonSyn.lookup(raw) }

var flowPeriodTypeSyn = newFlowSynonyms(map[string]string{
	"day":   "day|daily|d|jour|journalier|quotidien|quotidienne|dia|día|diario|diaria",
	"week":  "week|weekly|w|semaine|hebdomadaire|hebdo|semana|semanal",
	"month": "month|monthly|m|mois|mensuel|mensuelle|mes|mensual",
	"range": "range|period|periode|période|periodo",
})

// NormalizePeriodType maps a frequency label (daily, hebdomadaire,
// mensual …) to day, week, month or range.
func NormalizePeriodType(raw string) (string, bool) { return flowPeriodTypeSyn.lookup(raw) }
