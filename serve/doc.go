// Package serve is `dtm serve`: a read-only HTTP API over the committed
// warehouse, for portals, dashboards and HDX-style tooling.
//
// Endpoints (all GET; HEAD answers the same headers):
//
//	/api/v1/figures                  the figure catalogue (query.Figures + output columns + HXL)
//	/api/v1/figures/{name}           one figure; its declared parameters only
//	/api/v1/affected-people/idps     HDX HAPI's IDP endpoint, from the hapi-idps figure
//	/api/v1/datasets/{name}          rows of a public dataset, filtered, limit/offset, streamed
//	/api/v1/runs                     recent run results (summary fields only)
//	/api/v1/openapi.json             OpenAPI 3.1, generated from the catalogue
//	/healthz  /readyz  /metrics      liveness, warehouse readable, Prometheus text
//	/  /report/{iso3}                the HTML report, when Options.Report is set
//
// Contracts:
//   - Consistency: a request reads exactly one committed generation (one
//     query.DB opened over one manifest, see generations.go); a commit during
//     a request is never mixed into its answer. A request whose generation's
//     files were removed by a later commit before any byte was sent is
//     answered again from the newest generation. The ETag is the generation
//     and a hash of the request (path, parameters, format); Last-Modified is
//     the generation's commit time; If-None-Match (and If-Modified-Since)
//     give 304 without running a query. A new generation is served from the
//     next request on, without restart. A warehouse that is not a local
//     directory (an s3:// one) is served through Options.View: a local view
//     of its last complete publish, looked for again every Options.ViewPoll
//     in the background (views.go).
//   - Safety: clients never send SQL; parameters are validated against the
//     figure's declaration (or the dataset's schema) and bound; every
//     identifier in generated SQL comes from the schema registry. DuckDB is
//     locked to the warehouse (query.OpenLocked). Each request has a
//     timeout, responses a row cap; at most Options.MaxInFlight data
//     requests run at once (429 beyond); URLs, headers and parameter counts
//     are bounded. Error bodies are RFC 9457 problem documents that never
//     carry a stack trace, a file path or a DuckDB message (those go to the
//     log with a request id that the problem document repeats).
//   - Disclosure: datasets with sensitive fields (flow_survey) and the
//     rejects are never served (404); figures declaring `-- suppress:` are
//     always small-cell suppressed with Options.MinCell, which clients
//     cannot change.
//   - Logging: one zap access-log line per request with route, status,
//     bytes, duration, generation and the NAMES of the query parameters,
//     never their values nor the client address.
//   - The Server holds no global state; Close releases every DuckDB handle.
package serve
