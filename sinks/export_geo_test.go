package sinks

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

func siteTable() *Table {
	return &Table{
		Columns: []string{"site_id", "latitude", "longitude", "idp_individuals", "assessment_date"},
		Types:   []string{"VARCHAR", "DOUBLE", "DOUBLE", "HUGEINT", "DATE"},
		Rows: [][]any{
			{"SSD-S1", 4.85, 31.60, big.NewInt(80), time.Date(2025, 4, 10, 0, 0, 0, 0, time.UTC)},
			{"NGA-N1", 11.85, 13.16, big.NewInt(200), nil},
			{"no-coords", nil, nil, big.NewInt(5), nil},
			{"bad-lat", 95.0, 10.0, nil, nil},
			{"nan", math.NaN(), 10.0, nil, nil},
		},
	}
}

// TestWriteGeoJSON parses the output back and checks it is a GeoJSON
// FeatureCollection with [lon, lat] points in range.
func TestWriteGeoJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteGeoJSON(&buf, siteTable(), DefaultGeoColumns); err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type     string `json:"type"`
			Geometry *struct {
				Type        string    `json:"type"`
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(buf.Bytes(), &fc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 5 {
		t.Fatalf("type %q with %d features", fc.Type, len(fc.Features))
	}
	wantCoords := [][]float64{{31.60, 4.85}, {13.16, 11.85}, nil, nil, nil}
	for i, f := range fc.Features {
		if f.Type != "Feature" {
			t.Errorf("feature %d type %q", i, f.Type)
		}
		if _, ok := f.Properties["latitude"]; ok {
			t.Errorf("feature %d repeats the coordinates as properties", i)
		}
		if f.Properties["site_id"] != siteTable().Rows[i][0] {
			t.Errorf("feature %d site_id %v", i, f.Properties["site_id"])
		}
		if wantCoords[i] == nil {
			if f.Geometry != nil {
				t.Errorf("feature %d: geometry %+v, want null", i, f.Geometry)
			}
			continue
		}
		if f.Geometry == nil || f.Geometry.Type != "Point" || len(f.Geometry.Coordinates) != 2 {
			t.Fatalf("feature %d geometry %+v", i, f.Geometry)
		}
		lon, lat := f.Geometry.Coordinates[0], f.Geometry.Coordinates[1]
		if lon < -180 || lon > 180 || lat < -90 || lat > 90 || lon != wantCoords[i][0] || lat != wantCoords[i][1] {
			t.Errorf("feature %d coordinates %v, want %v (lon, lat)", i, f.Geometry.Coordinates, wantCoords[i])
		}
	}
	if got := fc.Features[0].Properties["idp_individuals"]; got != 80.0 {
		t.Errorf("idp_individuals = %v (%T), want the number 80", got, got)
	}
	if got := fc.Features[0].Properties["assessment_date"]; got != "2025-04-10" {
		t.Errorf("assessment_date = %v", got)
	}
}

func TestWriteGeoJSONNeedsCoordinates(t *testing.T) {
	tbl := &Table{Columns: []string{"a"}, Rows: [][]any{{"x"}}}
	if err := WriteGeoJSON(&bytes.Buffer{}, tbl, DefaultGeoColumns); err == nil {
		t.Fatal("want an error for a table without coordinates")
	}
}

func TestWKBPoint(t *testing.T) {
	b := WKBPoint(31.6, 4.85)
	if len(b) != 21 || b[0] != 1 || binary.LittleEndian.Uint32(b[1:5]) != 1 {
		t.Fatalf("header % x", b[:5])
	}
	x := math.Float64frombits(binary.LittleEndian.Uint64(b[5:13]))
	y := math.Float64frombits(binary.LittleEndian.Uint64(b[13:21]))
	if x != 31.6 || y != 4.85 {
		t.Errorf("x, y = %v, %v", x, y)
	}
}

// geoFile is what readGeoParquet found in a file.
type geoFile struct {
	meta map[string]string
	geom [][]byte // nil for a null geometry
	cols []string
	rows int64
}

func readGeoParquet(t *testing.T, path string) geoFile {
	t.Helper()
	pr, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	out := geoFile{meta: map[string]string{}}
	for _, kv := range pr.MetaData().KeyValueMetadata() {
		if _, twice := out.meta[kv.Key]; twice {
			t.Errorf("%s: file metadata key %q written twice", path, kv.Key)
		}
		if kv.Value != nil {
			out.meta[kv.Key] = *kv.Value
		}
	}
	fr, err := pqarrow.NewFileReader(pr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	out.rows = tbl.NumRows()
	for i := 0; i < int(tbl.NumCols()); i++ {
		out.cols = append(out.cols, tbl.Schema().Field(i).Name)
	}
	idx := tbl.Schema().FieldIndices(GeometryColumn)
	if len(idx) != 1 {
		t.Fatalf("columns %v: no geometry", out.cols)
	}
	if tbl.Schema().Field(idx[0]).Type.ID() != arrow.BINARY {
		t.Fatalf("geometry type %s", tbl.Schema().Field(idx[0]).Type)
	}
	for _, chunk := range tbl.Column(idx[0]).Data().Chunks() {
		c := chunk.(*array.Binary)
		for i := 0; i < c.Len(); i++ {
			if c.IsNull(i) {
				out.geom = append(out.geom, nil)
			} else {
				out.geom = append(out.geom, append([]byte(nil), c.Value(i)...))
			}
		}
	}
	return out
}

// checkGeoMeta checks the GeoParquet `geo` key.
func checkGeoMeta(t *testing.T, meta map[string]string, wantBBox []float64) {
	t.Helper()
	raw, ok := meta["geo"]
	if !ok {
		t.Fatalf("no geo key in %v", meta)
	}
	var geo struct {
		Version       string `json:"version"`
		PrimaryColumn string `json:"primary_column"`
		Columns       map[string]struct {
			Encoding      string          `json:"encoding"`
			GeometryTypes []string        `json:"geometry_types"`
			CRS           json.RawMessage `json:"crs"`
			BBox          []float64       `json:"bbox"`
		} `json:"columns"`
	}
	if err := json.Unmarshal([]byte(raw), &geo); err != nil {
		t.Fatalf("geo is not JSON: %v", err)
	}
	col, ok := geo.Columns[geo.PrimaryColumn]
	if geo.Version != "1.1.0" || geo.PrimaryColumn != "geometry" || !ok {
		t.Fatalf("geo = %s", raw)
	}
	if col.Encoding != "WKB" || len(col.GeometryTypes) != 1 || col.GeometryTypes[0] != "Point" {
		t.Errorf("column metadata %+v", col)
	}
	var crs struct {
		ID struct{ Authority, Code string } `json:"id"`
	}
	if err := json.Unmarshal(col.CRS, &crs); err != nil || crs.ID.Authority != "OGC" || crs.ID.Code != "CRS84" {
		t.Errorf("crs %s", col.CRS)
	}
	if len(col.BBox) != 4 {
		t.Fatalf("bbox %v", col.BBox)
	}
	for i := range wantBBox {
		if math.Abs(col.BBox[i]-wantBBox[i]) > 1e-9 {
			t.Errorf("bbox %v, want %v", col.BBox, wantBBox)
		}
	}
}

func TestWriteParquetTableGeo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sites.parquet")
	if err := WriteParquetTable(path, siteTable(), &DefaultGeoColumns, nil); err != nil {
		t.Fatal(err)
	}
	got := readGeoParquet(t, path)
	checkGeoMeta(t, got.meta, []float64{13.16, 4.85, 31.60, 11.85})
	if got.rows != 5 || len(got.geom) != 5 {
		t.Fatalf("%d rows, %d geometries", got.rows, len(got.geom))
	}
	if !bytes.Equal(got.geom[0], WKBPoint(31.60, 4.85)) || !bytes.Equal(got.geom[1], WKBPoint(13.16, 11.85)) {
		t.Errorf("points % x / % x", got.geom[0], got.geom[1])
	}
	for i := 2; i < 5; i++ {
		if got.geom[i] != nil {
			t.Errorf("row %d: geometry % x, want null", i, got.geom[i])
		}
	}
	if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
}

func TestAddGeoPoints(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "plain.parquet")
	if err := WriteParquetTable(src, siteTable(), nil, nil); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "geo.parquet")
	if err := AddGeoPoints(context.Background(), src, dst, DefaultGeoColumns, nil); err != nil {
		t.Fatal(err)
	}
	got := readGeoParquet(t, dst)
	checkGeoMeta(t, got.meta, []float64{13.16, 4.85, 31.60, 11.85})
	if len(got.cols) != 6 || got.cols[5] != "geometry" || got.cols[0] != "site_id" {
		t.Errorf("columns %v", got.cols)
	}
	if !bytes.Equal(got.geom[1], WKBPoint(13.16, 11.85)) || got.geom[3] != nil {
		t.Errorf("geometries %x", got.geom)
	}
	// A file without coordinates is refused and nothing is left behind.
	noGeo := filepath.Join(dir, "nogeo.parquet")
	if err := WriteParquetTable(noGeo, &Table{Columns: []string{"a"}, Types: []string{"BIGINT"}, Rows: [][]any{{int64(1)}}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := AddGeoPoints(context.Background(), noGeo, filepath.Join(dir, "x.parquet"), DefaultGeoColumns, nil); err == nil {
		t.Error("want an error without coordinate columns")
	}
	if _, err := os.Stat(filepath.Join(dir, "x.parquet")); err == nil {
		t.Error("output written despite the error")
	}
}

func TestWriteParquetTableTypes(t *testing.T) {
	huge, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	tbl := &Table{
		Columns: []string{"i", "h", "hbig", "f", "d", "b", "s", "l"},
		Types:   []string{"INTEGER", "HUGEINT", "HUGEINT", "DOUBLE", "DATE", "BOOLEAN", "VARCHAR", "VARCHAR[]"},
		Rows: [][]any{
			{int32(1), big.NewInt(2), huge, 1.5, time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), true, "x", []any{"a", "b"}},
			{nil, nil, nil, nil, nil, nil, nil, nil},
		},
	}
	path := filepath.Join(t.TempDir(), "t.parquet")
	if err := WriteParquetTable(path, tbl, nil, nil); err != nil {
		t.Fatal(err)
	}
	pr, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	fr, _ := pqarrow.NewFileReader(pr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	at, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer at.Release()
	wantTypes := []arrow.Type{arrow.INT64, arrow.INT64, arrow.STRING, arrow.FLOAT64, arrow.DATE32, arrow.BOOL, arrow.STRING, arrow.STRING}
	for i, w := range wantTypes {
		if got := at.Schema().Field(i).Type.ID(); got != w {
			t.Errorf("column %s: %s, want %s", tbl.Columns[i], got, w)
		}
	}
	if v := at.Column(2).Data().Chunk(0).(*array.String).Value(0); v != huge.String() {
		t.Errorf("huge = %s", v)
	}
	if v := at.Column(7).Data().Chunk(0).(*array.String).Value(0); v != `["a","b"]` {
		t.Errorf("list = %s", v)
	}
	if at.Column(0).Data().Chunk(0).IsNull(1) != true {
		t.Error("null lost")
	}
}

// TestAddGeoPointsKeepsMetadataOnce: a dataset file's own metadata (its
// dataset name and version) reaches the GeoParquet copy once, beside `geo`.
func TestAddGeoPointsKeepsMetadataOnce(t *testing.T) {
	dir := t.TempDir()
	md := arrow.NewMetadata([]string{"dtm.dataset", "dtm.schema_version"}, []string{"site_assessment", "7"})
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "latitude", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "longitude", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, &md)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.Float64Builder).Append(4.85)
	b.Field(1).(*array.Float64Builder).Append(31.6)
	rec := b.NewRecordBatch()
	defer rec.Release()
	src := filepath.Join(dir, "src.parquet")
	f, err := os.Create(src)
	if err != nil {
		t.Fatal(err)
	}
	fw, err := pqarrow.NewFileWriter(schema, f, nil, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "geo.parquet")
	if err := AddGeoPoints(context.Background(), src, dst, DefaultGeoColumns, nil); err != nil {
		t.Fatal(err)
	}
	got := readGeoParquet(t, dst) // fails on a key written twice
	if got.meta["dtm.dataset"] != "site_assessment" || got.meta["dtm.schema_version"] != "7" || got.meta["geo"] == "" {
		t.Errorf("metadata %v", got.meta)
	}
}
