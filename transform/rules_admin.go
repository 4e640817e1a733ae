package transform

import "github.com/iom-dtm/dtm/ingest"

// displacementAdminRules: country and p-codes of DTM API records.
func displacementAdminRules(c *Converter, r ingest.Row, rc *rowContext) {
	c.routePopulation(r, rc)
	c.dateFromYearMonth()
	c.applyCountry(r, rc)
	c.applyAdminLevel()
	c.applyOperation()
	c.checkPcodes(r, rc, []string{"admin1", "admin2"})
}
