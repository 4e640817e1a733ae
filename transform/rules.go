package transform

import "github.com/iom-dtm/dtm/ingest"

// datasetRules are the checks and derivations one dataset adds to the
// generic casting.
type datasetRules struct {
	// dedupe drops rows that repeat an earlier row of the file exactly.
	dedupe bool
	// apply runs after the generic casting of a row.
	apply func(c *Converter, r ingest.Row, rc *rowContext)
}

// rulesFor returns the rules of a dataset (generic casting only when none).
func rulesFor(dataset string) datasetRules {
	switch dataset {
	case "site_assessment":
		return datasetRules{dedupe: true, apply: siteAssessmentRules}
	case "displacement_admin":
		return datasetRules{dedupe: true, apply: displacementAdminRules}
	case "flow_registry":
		return datasetRules{apply: flowRegistryRules}
	case "flow_survey":
		return datasetRules{apply: flowSurveyRules}
	}
	return datasetRules{apply: func(*Converter, ingest.Row, *rowContext) {}}
}
