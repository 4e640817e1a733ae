package sinks

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
)

// RowWriter writes rows one at a time in an export format, for results too
// large to hold in memory (dtm serve's dataset pages). Its output is byte
// for byte what WriteCSV, WriteJSON and WriteGeoJSON write for the same
// table. Call WriteRow for each row (the slice may be reused after it
// returns), then Close, which writes the format's trailer; nothing is
// written before the first WriteRow or Close.
type RowWriter interface {
	WriteRow(row []any) error
	Close() error
}

// Stream formats of NewRowWriter.
const (
	StreamCSV     = "csv"     // WriteCSV(withHXL=false)
	StreamHXL     = "hxl"     // WriteCSV(withHXL=true)
	StreamJSON    = "json"    // WriteJSON(lines=false)
	StreamJSONL   = "jsonl"   // WriteJSON(lines=true)
	StreamGeoJSON = "geojson" // WriteGeoJSON with DefaultGeoColumns
)

// NewRowWriter returns a RowWriter for a format (the Stream constants) over
// the given columns; hxl holds one tag per column for StreamHXL (may be
// nil). StreamGeoJSON needs DefaultGeoColumns among the columns.
func NewRowWriter(w io.Writer, format string, columns, hxl []string) (RowWriter, error) {
	switch format {
	case StreamCSV, StreamHXL:
		return &csvRows{w: csv.NewWriter(w), cols: columns, hxl: hxl, withHXL: format == StreamHXL}, nil
	case StreamJSON, StreamJSONL:
		return &jsonRows{w: w, cols: columns, lines: format == StreamJSONL}, nil
	case StreamGeoJSON:
		lon, lat, ok := DefaultGeoColumns.Find(&Table{Columns: columns})
		if !ok {
			return nil, fmt.Errorf("writing geojson: the result has no %q and %q columns to place its rows", DefaultGeoColumns.Lon, DefaultGeoColumns.Lat)
		}
		return &geoRows{w: w, cols: columns, lon: lon, lat: lat}, nil
	}
	return nil, fmt.Errorf("unknown stream format %q", format)
}

type csvRows struct {
	w       *csv.Writer
	cols    []string
	hxl     []string
	withHXL bool
	started bool
	rec     []string
}

func (c *csvRows) WriteRow(r []any) error {
	if !c.started {
		if err := c.header(); err != nil {
			return err
		}
	}
	for i := range c.rec {
		var v any
		if i < len(r) {
			v = r[i]
		}
		s := FormatValue(v)
		if !numeric(v) {
			s = NeutralizeFormula(s)
		}
		c.rec[i] = s
	}
	if err := c.w.Write(c.rec); err != nil {
		return fmt.Errorf("writing csv: %w", err)
	}
	return nil
}

// header writes the header row and, for HXL, the tag row, as WriteCSV does.
func (c *csvRows) header() error {
	c.started = true
	c.rec = make([]string, len(c.cols))
	header := make([]string, len(c.cols))
	for i, col := range c.cols {
		header[i] = NeutralizeFormula(col)
	}
	if err := c.w.Write(header); err != nil {
		return fmt.Errorf("writing csv: %w", err)
	}
	if c.withHXL && len(c.hxl) > 0 {
		row := make([]string, len(c.cols))
		copy(row, c.hxl)
		for i := range row {
			row[i] = NeutralizeFormula(row[i])
		}
		if err := c.w.Write(row); err != nil {
			return fmt.Errorf("writing csv: %w", err)
		}
	}
	return nil
}

func (c *csvRows) Close() error {
	if !c.started {
		if err := c.header(); err != nil {
			return err
		}
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("writing csv: %w", err)
	}
	return nil
}

type jsonRows struct {
	w     io.Writer
	cols  []string
	lines bool
	n     int
}

func (j *jsonRows) WriteRow(r []any) error {
	obj := make(orderedObject, len(j.cols))
	for i, c := range j.cols {
		var v any
		if i < len(r) {
			v = r[i]
		}
		obj[i] = kv{c, jsonValue(v)}
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return fmt.Errorf("writing json: %w", err)
	}
	var pre string
	switch {
	case j.lines:
	case j.n == 0:
		pre = "[\n"
	default:
		pre = ",\n"
	}
	j.n++
	if j.lines {
		b = append(b, '\n')
	}
	if _, err := io.WriteString(j.w, pre+string(b)); err != nil {
		return fmt.Errorf("writing json: %w", err)
	}
	return nil
}

func (j *jsonRows) Close() error {
	if j.lines {
		return nil
	}
	end := "\n]\n"
	if j.n == 0 {
		end = "[\n]\n"
	}
	if _, err := io.WriteString(j.w, end); err != nil {
		return fmt.Errorf("writing json: %w", err)
	}
	return nil
}

type geoRows struct {
	w        io.Writer
	cols     []string
	lon, lat int
	n        int
}

func (g *geoRows) WriteRow(r []any) error {
	props := make(orderedObject, 0, len(g.cols))
	for j, c := range g.cols {
		if j == g.lon || j == g.lat {
			continue
		}
		props = append(props, kv{c, jsonValue(cell(r, j))})
	}
	var geom any
	lon, lonOK := coordinate(cell(r, g.lon), 180)
	lat, latOK := coordinate(cell(r, g.lat), 90)
	if lonOK && latOK {
		geom = point{Type: "Point", Coordinates: [2]float64{lon, lat}}
	}
	b, err := json.Marshal(feature{Type: "Feature", Geometry: geom, Properties: props})
	if err != nil {
		return fmt.Errorf("writing geojson: row %d: %w", g.n+1, err)
	}
	pre := ",\n"
	if g.n == 0 {
		pre = `{"type":"FeatureCollection","features":[` + "\n"
	}
	g.n++
	if _, err := io.WriteString(g.w, pre+string(b)); err != nil {
		return fmt.Errorf("writing geojson: %w", err)
	}
	return nil
}

func (g *geoRows) Close() error {
	end := "\n]}\n"
	if g.n == 0 {
		end = `{"type":"FeatureCollection","features":[` + end
	}
	if _, err := io.WriteString(g.w, end); err != nil {
		return fmt.Errorf("writing geojson: %w", err)
	}
	return nil
}
