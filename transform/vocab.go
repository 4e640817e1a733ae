package transform

import (
	"github.com/iom-dtm/dtm/transform/cast"
	"strings"
	"unicode"
)

// NormalizeLabel returns the comparison key of a label or header: lower
// case, accents stripped (é -> e, œ -> oe), every run of spaces and
// punctuation turned into one '_', no '_' at either end.
// " Host Community " -> "host_community", "Déplacés" -> "deplaces",
// "Date de l'évaluation" -> "date_de_l_evaluation". Letters and digits of
// any script are kept.
func NormalizeLabel(s string) string {
	s = cast.Fold(s)
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if pending && b.Len() > 0 {
				b.WriteByte('_')
			}
			pending = false
			b.WriteRune(r)
			continue
		}
		pending = true
	}
	return b.String()
}

// vocabSiteTypes maps normalised site-type labels (English, French,
// Spanish, Portuguese, Kobo option names) to the site_type vocabulary. Read-only.
var vocabSiteTypes = map[string]string{
	// camp
	"camp": "camp", "camps": "camp", "formal_camp": "camp", "idp_camp": "camp",
	"planned_camp": "camp", "camp_formel": "camp", "camp_de_deplaces": "camp",
	"camp_de_pdi": "camp", "camp_officiel": "camp", "official_camp": "camp",
	// collective centre
	"collective_centre": "collective_centre", "collective_center": "collective_centre",
	"collective_centres": "collective_centre", "collective_centers": "collective_centre",
	"centre_collectif": "collective_centre", "centres_collectifs": "collective_centre",
	"collective_shelter": "collective_centre", "collective_site": "collective_centre",
	"centre_d_accueil_collectif": "collective_centre", "batiment_public": "collective_centre",
	"public_building": "collective_centre", "school": "collective_centre", "ecole": "collective_centre",
	// displacement site (incl. Nigeria's "camp-like settings": informal and
	// spontaneous sites, as opposed to formal camps)
	"displacement_site": "displacement_site", "displacement_sites": "displacement_site",
	"site": "displacement_site", "sites": "displacement_site", "idp_site": "displacement_site",
	"site_de_deplacement": "displacement_site", "sites_de_deplacement": "displacement_site",
	"site_de_deplaces": "displacement_site", "site_de_pdi": "displacement_site",
	"site_pdi": "displacement_site", "site_de_personnes_deplacees": "displacement_site",
	"spontaneous_site": "displacement_site", "planned_site": "displacement_site",
	"site_spontane": "displacement_site", "site_planifie": "displacement_site",
	"informal_site": "displacement_site", "informal_settlement": "displacement_site",
	"informal_settlements": "displacement_site", "site_informel": "displacement_site",
	"camp_like": "displacement_site", "camp_like_setting": "displacement_site",
	"camp_like_settings": "displacement_site", "camp_like_site": "displacement_site",
	"settlement_site": "displacement_site", "transit_site": "displacement_site",
	"site_de_transit": "displacement_site", "idp_settlement": "displacement_site",
	// host community
	"host_community": "host_community", "host_communities": "host_community",
	"host_community_village": "host_community", "in_host_community": "host_community",
	"host_family": "host_community", "host_families": "host_community",
	"with_host_families": "host_community", "with_host_family": "host_community",
	"hosted_by_families": "host_community", "host": "host_community",
	"communaute_hote": "host_community", "communautes_hotes": "host_community",
	"communaute_d_accueil": "host_community", "communautes_d_accueil": "host_community",
	"famille_d_accueil": "host_community", "familles_d_accueil": "host_community",
	"en_famille_d_accueil": "host_community", "dans_les_familles_d_accueil": "host_community",
	"communaute_hote_famille_d_accueil": "host_community",
	// Spanish and Portuguese (Latin America, Mozambique, Angola)
	"campamento": "camp", "campo": "camp", "campo_de_deslocados": "camp",
	"albergue": "collective_centre", "albergues": "collective_centre", "centro_colectivo": "collective_centre",
	"centro_coletivo": "collective_centre", "centro_de_acogida": "collective_centre",
	"alojamiento_colectivo": "collective_centre", "alojamento_coletivo": "collective_centre",
	"centro_de_acomodacao": "displacement_site", "centro_de_reassentamento": "displacement_site",
	"bairro_de_reassentamento": "displacement_site", "asentamiento_informal": "displacement_site",
	"asentamientos_informales": "displacement_site", "sitio_de_desplazamiento": "displacement_site",
	"comunidad_de_acogida": "host_community", "comunidades_de_acogida": "host_community",
	"comunidad_receptora": "host_community", "familia_de_acogida": "host_community",
	"familias_de_acogida": "host_community", "comunidade_de_acolhimento": "host_community",
	"comunidade_hospedeira": "host_community", "familia_de_acolhimento": "host_community",
	"familias_de_acolhimento": "host_community", "familia_anfitria": "host_community",
	"aldea": "village", "aldeia": "village", "vereda": "village",
	"urbano": "urban", "urbana": "urban", "barrio": "urban", "bairro": "urban",
	"otro": "other", "otros": "other", "outro": "other", "outros": "other",
	// village
	"village": "village", "villages": "village", "localite": "village", "hameau": "village",
	// urban
	"urban": "urban", "urbain": "urban", "urbaine": "urban", "urban_area": "urban",
	"zone_urbaine": "urban", "milieu_urbain": "urban", "neighborhood": "urban",
	"neighbourhood": "urban", "neighborhoods": "urban", "neighbourhoods": "urban",
	"quartier": "urban", "quartiers": "urban", "town": "urban", "city": "urban", "ville": "urban",
	// rural
	"rural": "rural", "rurale": "rural", "rural_area": "rural", "zone_rurale": "rural",
	"milieu_rural": "rural",
	// dispersed
	"dispersed": "dispersed", "dispersed_setting": "dispersed", "dispersed_settings": "dispersed",
	"dispersed_site": "dispersed", "dispersed_sites": "dispersed", "disperse": "dispersed",
	"disperses": "dispersed", "dispersee": "dispersed", "dispersion": "dispersed",
	// other
	"other": "other", "others": "other", "autre": "other", "autres": "other",
	"other_specify": "other", "autre_a_preciser": "other", "autre_preciser": "other",
}

// NormalizeSiteType maps a published site-type label to the site_type
// vocabulary of schemas.SiteAssessment(): camp, collective_centre,
// displacement_site, host_community, village, urban, rural, dispersed,
// other. Case, accents, spacing and punctuation are ignored ("Host
// Community ", "communauté hôte", "Camp-like"). Formal camps are "camp";
// camp-like settings, spontaneous, planned and informal sites are
// "displacement_site"; neighbourhoods (quartier) are "urban"; host families
// are "host_community". ok is false for an unknown label.
func NormalizeSiteType(raw string) (canonical string, ok bool) {
	k := NormalizeLabel(raw)
	if k == "" {
		return "", false
	}
	if c, ok := vocabSiteTypes[k]; ok {
		return c, true
	}
	// Drop a leading qualifier such as "type_" or "site_type_".
	for _, p := range []string{"site_type_", "type_", "location_type_"} {
		if rest, found := strings.CutPrefix(k, p); found {
			if c, ok := vocabSiteTypes[rest]; ok {
				return c, true
			}
		}
	}
	return "", false
}

// vocabAssessmentTypes maps normalised labels to BA, SA or ETT. Read-only.
var vocabAssessmentTypes = map[string]string{
	"ba": "BA", "b1": "BA", "b2": "BA", "b3": "BA", "baseline": "BA",
	"baseline_assessment": "BA", "baseline_assessments": "BA", "mobility_tracking_baseline": "BA",
	"evaluation_de_base": "BA", "evaluations_de_base": "BA", "ligne_de_base": "BA",
	"evaluation_de_ligne_de_base": "BA", "base": "BA", "admin_baseline": "BA",
	"sa": "SA", "site_assessment": "SA", "site_assessments": "SA", "msla": "SA",
	"multi_sectoral_location_assessment": "SA", "multisectoral_location_assessment": "SA",
	"multi_sector_location_assessment": "SA", "multi_sectorial_location_assessment": "SA",
	"location_assessment": "SA", "location_assessments": "SA", "village_assessment": "SA",
	"evaluation_des_sites": "SA", "evaluation_de_site": "SA", "evaluation_de_sites": "SA",
	"evaluation_des_localites": "SA", "evaluation_multisectorielle": "SA",
	"evaluation_multisectorielle_des_sites": "SA", "evaluation_multisectorielle_des_localites": "SA",
	"ett": "ETT", "emergency_tracking_tool": "ETT", "emergency_tracking": "ETT",
	"event_tracking": "ETT", "event_tracking_tool": "ETT", "emergency_event_tracking": "ETT",
	"emergency_event_tracking_tool": "ETT", "emergency_tracking_tool_ett": "ETT",
	"outil_de_suivi_des_urgences": "ETT", "suivi_des_urgences": "ETT", "suivi_d_urgence": "ETT",
	"suivi_des_evenements": "ETT", "outil_de_suivi_des_evenements": "ETT",
}

// NormalizeAssessmentType maps an assessment-type label to BA (baseline:
// "BA", "B1", "B2", "Baseline Assessment", "Évaluation de base"), SA (site
// or multi-sectoral location assessment: "SA", "MSLA", "location
// assessment", "évaluation des sites") or ETT (emergency or event tracking:
// "ETT", "Emergency Tracking Tool", "Emergency Event Tracking"). A label
// with its abbreviation in parentheses ("Site Assessment (SA)") is
// recognised too. ok is false for an unknown label.
func NormalizeAssessmentType(raw string) (canonical string, ok bool) {
	k := NormalizeLabel(raw)
	if k == "" {
		return "", false
	}
	if c, ok := vocabAssessmentTypes[k]; ok {
		return c, true
	}
	// "Baseline Assessment (BA)", "MSLA - Round 12": try the last word if it
	// is short, then the label without its last words.
	words := strings.Split(k, "_")
	if c, ok := vocabAssessmentTypes[words[len(words)-1]]; ok && len(words[len(words)-1]) <= 4 {
		return c, true
	}
	for n := len(words) - 1; n >= 1; n-- {
		if c, ok := vocabAssessmentTypes[strings.Join(words[:n], "_")]; ok {
			return c, true
		}
	}
	return "", false
}

// vocabRoundWords are the words that announce a round number.
var vocabRoundWords = map[string]bool{
	"r": true, "rd": true, "rnd": true, "round": true, "rounds": true, "ronda": true,
	"tour": true, "cycle": true, "no": true, "n": true, "num": true, "number": true,
}

// ParseRound reads the round number of a published round label:
// "R38" -> 38, "Round3" -> 3, "39" -> 39, "Round 12", "Rnd 5", "12.0" ->
// 12, and "B2_01" -> 1 (a baseline label: the digits after the last
// separator). A number announced by a round word wins over other digits
// ("Round 3 (March 2023)" -> 3). ok is false when there is no round number,
// it is negative, fractional or too large, or the text is a missing-value
// token.
func ParseRound(raw string) (n int64, ok bool) {
	s := cast.Trim(raw)
	if v, missing, err := cast.ParseInt(s); err == nil {
		if missing || v < 0 {
			return 0, false
		}
		return v, true
	}
	k := NormalizeLabel(s)
	if k == "" {
		return 0, false
	}
	words := strings.Split(k, "_")
	allDigits := true
	for _, w := range words {
		if _, d := vocabSplitTrailingDigits(w); d != w {
			allDigits = false
		}
	}
	if allDigits {
		return 0, false // "12.5", "3/4": not a round label
	}
	// A round word followed by digits: "round_3", "r38", "rnd_5".
	for i, w := range words {
		letters, digits := vocabSplitTrailingDigits(w)
		if !vocabRoundWords[letters] {
			continue
		}
		if digits == "" && i+1 < len(words) {
			digits = words[i+1]
		}
		if v, ok := vocabRoundNumber(digits); ok {
			return v, true
		}
	}
	// Otherwise the digits of the last word that ends in digits.
	for i := len(words) - 1; i >= 0; i-- {
		_, digits := vocabSplitTrailingDigits(words[i])
		if digits != "" {
			return vocabRoundNumber(digits)
		}
	}
	return 0, false
}

// vocabSplitTrailingDigits splits "r38" into "r" and "38".
func vocabSplitTrailingDigits(w string) (letters, digits string) {
	i := len(w)
	for i > 0 && w[i-1] >= '0' && w[i-1] <= '9' {
		i--
	}
	return w[:i], w[i:]
}

// vocabRoundNumber parses the digits of a round (at most 6).
func vocabRoundNumber(d string) (int64, bool) {
	if len(d) == 0 || len(d) > 6 {
		return 0, false
	}
	v, ok := cast.Digits(d)
	return int64(v), ok
}

// vocabDontKnow are the "don't know" answers of Kobo forms and DTM
// questionnaires (normalised): an unknown value, not "other".
var vocabDontKnow = map[string]bool{
	"dnk": true, "dont_know": true, "don_t_know": true, "do_not_know": true, "dk": true,
	"ne_sait_pas": true, "nsp": true, "je_ne_sais_pas": true, "no_sabe": true, "no_se": true,
	"ns_nr": true, "nsnr": true, "unknown": true, "inconnu": true, "desconocido": true,
}

// IsDontKnow reports a "don't know" answer (dnk, dont_know, Ne sait pas,
// NS/NR, unknown): the value is unknown, which is not the "other" option.
func IsDontKnow(s string) bool {
	return vocabDontKnow[NormalizeLabel(s)]
}
