package sinks

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
)

// GeoColumns names the longitude and latitude columns (decimal degrees,
// WGS 84) that place a row on the map.
type GeoColumns struct {
	Lon, Lat string
}

// DefaultGeoColumns are the coordinate columns of the canonical datasets.
var DefaultGeoColumns = GeoColumns{Lon: "longitude", Lat: "latitude"}

// Find returns the indexes of the longitude and latitude columns of t.
func (g GeoColumns) Find(t *Table) (lon, lat int, ok bool) {
	lon, lat = -1, -1
	for i, c := range t.Columns {
		switch c {
		case g.Lon:
			lon = i
		case g.Lat:
			lat = i
		}
	}
	return lon, lat, lon >= 0 && lat >= 0
}

// WriteGeoJSON writes a table as an RFC 7946 GeoJSON FeatureCollection: one
// Feature per row, a Point geometry [longitude, latitude] from the geo
// columns, and every other column as a property (in column order, dates as
// YYYY-MM-DD). A row without valid coordinates (missing, not finite or out
// of range) keeps its properties with a null geometry, as RFC 7946 allows;
// nothing is invented. The coordinate columns must exist.
func WriteGeoJSON(w io.Writer, t *Table, g GeoColumns) error {
	lonIdx, latIdx, ok := g.Find(t)
	if !ok {
		return fmt.Errorf("writing geojson: the result has no %q and %q columns to place its rows", g.Lon, g.Lat)
	}
	if _, err := io.WriteString(w, `{"type":"FeatureCollection","features":[`); err != nil {
		return fmt.Errorf("writing geojson: %w", err)
	}
	for i, r := range t.Rows {
		props := make(orderedObject, 0, len(t.Columns))
		for j, c := range t.Columns {
			if j == lonIdx || j == latIdx {
				continue
			}
			var v any
			if j < len(r) {
				v = r[j]
			}
			props = append(props, kv{c, jsonValue(v)})
		}
		var geom any
		lon, lonOK := coordinate(cell(r, lonIdx), 180)
		lat, latOK := coordinate(cell(r, latIdx), 90)
		if lonOK && latOK {
			geom = point{Type: "Point", Coordinates: [2]float64{lon, lat}}
		}
		b, err := json.Marshal(feature{Type: "Feature", Geometry: geom, Properties: props})
		if err != nil {
			return fmt.Errorf("writing geojson: row %d: %w", i+1, err)
		}
		sep := ",\n"
		if i == 0 {
			sep = "\n"
		}
		if _, err := io.WriteString(w, sep+string(b)); err != nil {
			return fmt.Errorf("writing geojson: %w", err)
		}
	}
	if _, err := io.WriteString(w, "\n]}\n"); err != nil {
		return fmt.Errorf("writing geojson: %w", err)
	}
	return nil
}

type feature struct {
	Type       string        `json:"type"`
	Geometry   any           `json:"geometry"`
	Properties orderedObject `json:"properties"`
}

type point struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

func cell(r []any, i int) any {
	if i < 0 || i >= len(r) {
		return nil
	}
	return r[i]
}

// coordinate reads a coordinate in [-limit, limit].
func coordinate(v any, limit float64) (float64, bool) {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	case int64:
		f = float64(x)
	case int32:
		f = float64(x)
	case int:
		f = float64(x)
	case interface{ Float64() float64 }: // DECIMAL values
		f = x.Float64()
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f < -limit || f > limit {
		return 0, false
	}
	return f, true
}
