package transform

import (
	"slices"
	"testing"

	"github.com/iom-dtm/dtm/schemas"
)

func TestNormalizeLabel(t *testing.T) {
	cases := map[string]string{
		" Host Community ":         "host_community",
		"Déplacés":                 "deplaces",
		"Date de l'évaluation":     "date_de_l_evaluation",
		"Total IDP (Individuals)":  "total_idp_individuals",
		"m0302_meta_adm0_pcode":    "m0302_meta_adm0_pcode",
		"Camp-like":                "camp_like",
		"__a__b__":                 "a_b",
		"COMMUNAUTÉ HÔTE":          "communaute_hote",
		"Sœurs":                    "soeurs",
		"Straße":                   "strasse",
		"":                         "",
		"  ---  ":                  "",
		"Ménages\u00a0des PDI":     "menages_des_pdi",
		"A1. Date de l'évaluation": "a1_date_de_l_evaluation",
		"Oblast":                   "oblast",
		"Область":                  "область",
		"e\u0301te\u0301":          "ete",
	}
	for in, want := range cases {
		if got := NormalizeLabel(in); got != want {
			t.Errorf("NormalizeLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeSiteType(t *testing.T) {
	cases := map[string]string{
		"Host Community": "host_community", "host community ": "host_community",
		"HOST_COMMUNITY": "host_community", "Communauté hôte": "host_community",
		"communaute hote": "host_community", "Famille d'accueil": "host_community",
		"Familles d’accueil": "host_community", "Host families": "host_community",
		"Displacement Site": "displacement_site", "Site": "displacement_site",
		"site de déplacement": "displacement_site", "Spontaneous site": "displacement_site",
		"Planned site": "displacement_site", "Informal settlement": "displacement_site",
		"Camp-like": "displacement_site", "Camp-like setting": "displacement_site",
		"Camp": "camp", "camp ": "camp", "CAMP": "camp", "Formal camp": "camp",
		"Collective centre": "collective_centre", "Collective Center": "collective_centre",
		"centre collectif": "collective_centre", "Collective shelter": "collective_centre",
		"Village": "village", "village": "village",
		"Rural": "rural", "rural": "rural", "Urban": "urban", "urbain": "urban",
		"neighborhood": "urban", "Neighbourhood": "urban", "quartier": "urban",
		"dispersed": "dispersed", "Dispersed settings": "dispersed",
		"Other": "other", "Autre": "other", "autres": "other", "Type: camp": "camp",
	}
	vocab := mustField(t, "site_type").Vocabulary
	for in, want := range cases {
		got, ok := NormalizeSiteType(in)
		if !ok || got != want {
			t.Errorf("NormalizeSiteType(%q) = %q, %v; want %q", in, got, ok, want)
		}
		if !slices.Contains(vocab, got) {
			t.Errorf("NormalizeSiteType(%q) = %q, not in the schema vocabulary", in, got)
		}
	}
	for _, in := range []string{"", "n/a", "Hospital", "Campement sauvage", "xyz", "123"} {
		if got, ok := NormalizeSiteType(in); ok {
			t.Errorf("NormalizeSiteType(%q) = %q, want not ok", in, got)
		}
	}
}

func TestSiteTypeTableIsInVocabulary(t *testing.T) {
	vocab := mustField(t, "site_type").Vocabulary
	for k, v := range vocabSiteTypes {
		if !slices.Contains(vocab, v) {
			t.Errorf("vocabSiteTypes[%q] = %q is not in the schema vocabulary", k, v)
		}
		if NormalizeLabel(k) != k {
			t.Errorf("vocabSiteTypes key %q is not normalised", k)
		}
	}
	for _, v := range vocab {
		if got, ok := NormalizeSiteType(v); !ok || got != v {
			t.Errorf("NormalizeSiteType(%q) = %q, %v; vocabulary words map to themselves", v, got, ok)
		}
	}
}

func TestNormalizeAssessmentType(t *testing.T) {
	cases := map[string]string{
		"BA": "BA", "ba": "BA", "B1": "BA", "B2": "BA", "Baseline": "BA",
		"Baseline Assessment": "BA", "Évaluation de base": "BA", "evaluation de base": "BA",
		"Baseline Assessment (BA)": "BA", "Mobility Tracking B2": "BA",
		"SA": "SA", "sa ": "SA", "Site Assessment": "SA", "site assessment": "SA", "MSLA": "SA",
		"Multi-Sectoral Location Assessment": "SA", "Multisectoral location assessment": "SA",
		"Location Assessment": "SA", "Évaluation des sites": "SA", "Site Assessment (SA)": "SA",
		"MSLA - Round 12": "SA",
		"ETT":             "ETT", "ett": "ETT", "Emergency Tracking Tool": "ETT", "Event Tracking": "ETT",
		"Emergency Event Tracking": "ETT", "Emergency Tracking Tool (ETT)": "ETT",
	}
	vocab := mustField(t, "assessment_type").Vocabulary
	for in, want := range cases {
		got, ok := NormalizeAssessmentType(in)
		if !ok || got != want {
			t.Errorf("NormalizeAssessmentType(%q) = %q, %v; want %q", in, got, ok, want)
		}
		if !slices.Contains(vocab, got) {
			t.Errorf("NormalizeAssessmentType(%q) = %q not in vocabulary", in, got)
		}
	}
	for _, in := range []string{"", "n/a", "Survey", "MSNA", "Flow monitoring", "Site"} {
		if got, ok := NormalizeAssessmentType(in); ok {
			t.Errorf("NormalizeAssessmentType(%q) = %q, want not ok", in, got)
		}
	}
}

func TestParseRound(t *testing.T) {
	cases := map[string]int64{
		"R38": 38, "r38": 38, "Round3": 3, "39": 39, " 39 ": 39, "B2_01": 1, "Round 12": 12,
		"Rnd 5": 5, "12.0": 12, "ROUND 7": 7, "Round-4": 4, "Rd. 9": 9, "Round 3 (March 2023)": 3,
		"B1_12": 12, "Tour 2": 2, "0": 0, "R 40": 40, "Round #15": 15, "1,234": 1234,
	}
	for in, want := range cases {
		got, ok := ParseRound(in)
		if !ok || got != want {
			t.Errorf("ParseRound(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "n/a", "Not available", "Round", "R", "-1", "12.5", "abc",
		"R9999999", "3/4", "Baseline"} {
		if got, ok := ParseRound(in); ok {
			t.Errorf("ParseRound(%q) = %d, want not ok", in, got)
		}
	}
}

func mustField(t *testing.T, name string) schemas.Field {
	t.Helper()
	f, ok := schemas.SiteAssessment().Field(name)
	if !ok {
		t.Fatalf("site_assessment has no field %q", name)
	}
	return f
}
