package serve

import (
	"net/http"
)

// buildOpenAPI generates the OpenAPI 3.1 document of the API from the
// figure catalogue and the served datasets: one path per figure with its
// declared parameters, one per dataset with its filters.
func (s *Server) buildOpenAPI() map[string]any {
	problemRef := map[string]any{"$ref": "#/components/responses/Problem"}
	rowsContent := func(formats []format) map[string]any {
		c := map[string]any{}
		for _, f := range formats {
			mt := f.contentType()
			switch f {
			case fmtCSV:
				mt = "text/csv"
			case fmtHXL:
				continue // text/csv too, chosen with format=hxl
			}
			c[mt] = map[string]any{}
		}
		return c
	}
	formatParam := func(formats []format) map[string]any {
		enum := make([]string, len(formats))
		for i, f := range formats {
			enum[i] = string(f)
		}
		return map[string]any{"name": "format", "in": "query", "required": false,
			"description": "response format (overrides Accept); hxl is CSV with an HXL tag row",
			"schema":      map[string]any{"type": "string", "enum": enum, "default": "json"}}
	}
	errs := map[string]any{"304": map[string]any{"description": "Not modified (If-None-Match matched the ETag)"},
		"400": problemRef, "401": problemRef, "404": problemRef, "406": problemRef, "422": problemRef,
		"429": problemRef, "500": problemRef, "503": problemRef}
	responses := func(desc string, content map[string]any) map[string]any {
		out := map[string]any{"200": map[string]any{"description": desc, "content": content,
			"headers": map[string]any{
				"ETag":          map[string]any{"schema": map[string]any{"type": "string"}, "description": "generation and request"},
				"Last-Modified": map[string]any{"schema": map[string]any{"type": "string"}, "description": "commit time of the generation"},
			}}}
		for k, v := range errs {
			out[k] = v
		}
		return out
	}
	paths := map[string]any{}
	for _, e := range s.cat.Figures {
		var ps []any
		for _, p := range e.Parameters {
			schema := map[string]any{"type": p.Type}
			if p.Format != "" {
				schema["format"] = p.Format
			}
			if p.Name == "country" {
				schema["pattern"] = "^[A-Za-z]{3}$"
			}
			ps = append(ps, map[string]any{"name": p.Name, "in": "query", "required": false,
				"description": p.Description, "schema": schema})
		}
		ps = append(ps, formatParam(e.Formats))
		props := map[string]any{}
		for _, c := range e.Columns {
			props[c.Name] = map[string]any{"description": "DuckDB type " + c.Type + hxlNote(c.HXL)}
		}
		desc := e.Description
		if e.Suppressed {
			desc += " Small-cell suppressed."
		}
		paths[e.URL] = map[string]any{"get": map[string]any{
			"operationId": "figure-" + e.Name, "summary": e.Name + " (" + e.Dataset + ")", "description": desc,
			"tags": []string{"figures"}, "parameters": ps,
			"responses": responses("rows of the figure (JSON: an array of objects with these columns)", rowsContent(e.Formats)),
			"x-columns": props,
		}}
	}
	for _, d := range s.datasetDocs() {
		ps := []any{
			map[string]any{"name": "limit", "in": "query", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": s.opt.MaxRows, "default": s.opt.DefaultLimit}},
			map[string]any{"name": "offset", "in": "query", "schema": map[string]any{"type": "integer", "minimum": 0, "default": 0}},
		}
		for _, f := range d.Fields {
			if !f.Filter {
				continue
			}
			schema := map[string]any{"type": "string"}
			switch f.Kind {
			case "int":
				schema = map[string]any{"type": "integer"}
			case "date":
				schema["format"] = "date"
			case "bool":
				schema = map[string]any{"type": "boolean"}
			}
			ps = append(ps, map[string]any{"name": f.Name, "in": "query", "description": "equal to: " + f.Description, "schema": schema})
		}
		ps = append(ps, formatParam(d.Formats))
		paths[d.URL] = map[string]any{"get": map[string]any{
			"operationId": "dataset-" + d.Name, "summary": d.Name + " rows", "description": d.Description,
			"tags": []string{"datasets"}, "parameters": ps,
			"responses": responses("a page of rows, ordered by source file, sheet and row", rowsContent(d.Formats)),
		}}
	}
	hapiPs := []any{}
	for _, n := range hapiParams {
		schema := map[string]any{"type": "string"}
		switch n {
		case "admin_level":
			schema = map[string]any{"type": "integer", "minimum": 0, "maximum": 2}
		case "limit":
			schema = map[string]any{"type": "integer", "minimum": 1, "maximum": hapiDefaultLimit, "default": hapiDefaultLimit}
		case "offset":
			schema = map[string]any{"type": "integer", "minimum": 0, "default": 0}
		case "start_date", "end_date":
			schema["format"] = "date"
		case "output_format":
			schema["enum"] = []string{"json", "csv"}
		}
		hapiPs = append(hapiPs, map[string]any{"name": n, "in": "query", "schema": schema})
	}
	paths["/api/v1/affected-people/idps"] = map[string]any{"get": map[string]any{
		"operationId": "hapi-idps", "summary": "HDX HAPI's affected-people/idps", "tags": []string{"hapi"},
		"description": "IDPs in HDX HAPI's shape, from the hapi-idps figure; output_format=json gives {\"data\": [...]}.",
		"parameters":  hapiPs,
		"responses":   responses("HAPI idps rows", map[string]any{"application/json": map[string]any{}, "text/csv": map[string]any{}}),
	}}
	simple := func(id, summary string) map[string]any {
		return map[string]any{"get": map[string]any{"operationId": id, "summary": summary,
			"responses": map[string]any{"200": map[string]any{"description": summary}, "503": problemRef}}}
	}
	paths["/api/v1/figures"] = simple("catalogue", "the figure catalogue: parameters, columns with HXL tags")
	paths["/api/v1/datasets"] = simple("datasets", "the served datasets and their fields")
	paths["/api/v1/runs"] = simple("runs", "recent run results, newest first")
	paths["/api/v1/openapi.json"] = simple("openapi", "this document")
	paths["/healthz"] = simple("healthz", "the process answers")
	paths["/readyz"] = simple("readyz", "the warehouse is readable")
	paths["/metrics"] = simple("metrics", "Prometheus text exposition")
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "dtm serve", "version": "v1",
			"description": "Read-only API over a dtm warehouse: DTM figures and public datasets. Each response reads one committed generation (ETag)."},
		"paths": paths,
		"components": map[string]any{
			"responses": map[string]any{"Problem": map[string]any{"description": "RFC 9457 problem document",
				"content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}}},
			"schemas": map[string]any{"Problem": map[string]any{"type": "object", "properties": map[string]any{
				"type": map[string]any{"type": "string"}, "title": map[string]any{"type": "string"},
				"status": map[string]any{"type": "integer"}, "detail": map[string]any{"type": "string"},
				"instance": map[string]any{"type": "string"}, "request_id": map[string]any{"type": "string"},
				"errors": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
					"parameter": map[string]any{"type": "string"}, "detail": map[string]any{"type": "string"}}}},
			}}},
		},
	}
	if s.opt.Token != "" {
		doc["components"].(map[string]any)["securitySchemes"] = map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}}
		doc["security"] = []any{map[string]any{"bearer": []string{}}}
	}
	return doc
}

func hxlNote(tag string) string {
	if tag == "" {
		return ""
	}
	return "; HXL " + tag
}

// handleOpenAPI is GET /api/v1/openapi.json.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	if _, p := readParams(r, nil); p != nil {
		writeProblem(w, r, *p)
		return
	}
	s.static(w, r, s.openapi)
}
