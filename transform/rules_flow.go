package transform

import "github.com/iom-dtm/dtm/ingest"

// flowRegistryRules: flow monitoring registry counts.
func flowRegistryRules(c *Converter, r ingest.Row, rc *rowContext) {
	c.applyCountry(r, rc)
}

// flowSurveyRules: flow monitoring survey respondents.
func flowSurveyRules(c *Converter, r ingest.Row, rc *rowContext) {
	c.applyCountry(r, rc)
}
