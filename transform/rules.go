package transform

import "github.com/iom-dtm/dtm/ingest"

// datasetRules are the checks and derivations one dataset adds to the
// generic casting.
type datasetRules struct {
	// dedupe flags rows identical to an earlier row of the file in every
	// column (duplicates.go).
	dedupe bool
	// headline are the figures reconciled per input (reconcile.go).
	headline []headline
	// custom are the fields apply casts itself (the generic cast skips them).
	custom map[string]bool
	// apply runs after the generic casting of a row.
	apply func(c *Converter, r ingest.Row, rc *rowContext)
	// prepare, when set, runs once after mapping (personal.go).
	prepare func(c *Converter)
}

// rulesFor returns the rules of a dataset (generic casting only when none).
func rulesFor(dataset string) datasetRules {
	switch dataset {
	case "site_assessment":
		return datasetRules{dedupe: true, apply: siteAssessmentRules, custom: fieldSet("country_iso3", "round"),
			headline: []headline{{"idp_individuals", "IDP individuals"}, {"idp_households", "IDP households"},
				{"returnee_individuals", "returnees"}}}
	case "displacement_admin":
		return datasetRules{dedupe: true, apply: displacementAdminRules, custom: fieldSet("country_iso3"),
			headline: []headline{{"idp_individuals", "IDP individuals"}}}
	case "flow_registry":
		return datasetRules{apply: flowRegistryRules, prepare: flowPrepare, custom: flowRegistryCustom,
			headline: []headline{{"individuals", "flow individuals"}}}
	case "flow_survey":
		return datasetRules{apply: flowSurveyRules, prepare: flowPrepare, custom: flowSurveyCustom}
	}
	return datasetRules{apply: func(*Converter, ingest.Row, *rowContext) {}}
}

func fieldSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}
