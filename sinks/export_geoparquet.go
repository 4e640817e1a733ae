package sinks

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// GeometryColumn is the name of the WKB point column of GeoParquet exports.
const GeometryColumn = "geometry"

// GeoParquetVersion is the GeoParquet specification version written.
const GeoParquetVersion = "1.1.0"

// crs84 is the PROJJSON of OGC:CRS84 (WGS 84, longitude then latitude),
// the CRS of the coordinates.
var crs84 = json.RawMessage(`{"$schema":"https://proj.org/schemas/v0.7/projjson.schema.json","type":"GeographicCRS","name":"WGS 84 (CRS84)","datum":{"type":"GeodeticReferenceFrame","name":"World Geodetic System 1984","ellipsoid":{"name":"WGS 84","semi_major_axis":6378137,"inverse_flattening":298.257223563}},"coordinate_system":{"subtype":"ellipsoidal","axis":[{"name":"Geodetic longitude","abbreviation":"Lon","direction":"east","unit":"degree"},{"name":"Geodetic latitude","abbreviation":"Lat","direction":"north","unit":"degree"}]},"id":{"authority":"OGC","code":"CRS84"}}`)

// WKBPoint returns the ISO WKB encoding of a 2D point: byte order 1 (little
// endian), geometry type 1 (Point), then x (longitude) and y (latitude) as
// IEEE 754 doubles: 21 bytes.
func WKBPoint(lon, lat float64) []byte {
	b := make([]byte, 21)
	b[0] = 1
	binary.LittleEndian.PutUint32(b[1:5], 1)
	binary.LittleEndian.PutUint64(b[5:13], math.Float64bits(lon))
	binary.LittleEndian.PutUint64(b[13:21], math.Float64bits(lat))
	return b
}

// bbox accumulates the bounding box of the points written.
type bbox struct {
	minX, minY, maxX, maxY float64
	n                      int
}

func (b *bbox) add(x, y float64) {
	if b.n == 0 {
		b.minX, b.maxX, b.minY, b.maxY = x, x, y, y
	} else {
		b.minX, b.maxX = math.Min(b.minX, x), math.Max(b.maxX, x)
		b.minY, b.maxY = math.Min(b.minY, y), math.Max(b.maxY, y)
	}
	b.n++
}

// GeoMetadata returns the value of the GeoParquet `geo` file metadata key for
// one WKB point column in OGC:CRS84 with the given bounding box (omitted
// when no point was written).
func geoMetadata(box bbox) (string, error) {
	col := map[string]any{
		"encoding":       "WKB",
		"geometry_types": []string{"Point"},
		"crs":            crs84,
	}
	if box.n > 0 {
		col["bbox"] = []float64{box.minX, box.minY, box.maxX, box.maxY}
	}
	b, err := json.Marshal(map[string]any{
		"version":        GeoParquetVersion,
		"primary_column": GeometryColumn,
		"columns":        map[string]any{GeometryColumn: col},
	})
	return string(b), err
}

// AddGeoPoints rewrites the Parquet file src as dst (replaced atomically)
// with a WKB point column `geometry` built from the geo columns and the
// GeoParquet `geo` key in the file metadata, so GIS tools (GDAL, QGIS,
// GeoPandas, DuckDB spatial) read the rows as points. Every other column
// and its type is kept; rows without valid coordinates get a null geometry.
// Records are streamed, one batch at a time.
//
// mem allocates every Arrow buffer of the rewrite (the reader's batches, the
// point columns and the Parquet decoders and encoders; nil:
// memory.DefaultAllocator); all of them are released when AddGeoPoints
// returns, on success or error.
func AddGeoPoints(ctx context.Context, src, dst string, g GeoColumns, mem memory.Allocator) (err error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("opening %s: %w", src, err)
	}
	defer in.Close()
	pr, err := file.NewParquetReader(in, file.WithReadProps(parquet.NewReaderProperties(mem)))
	if err != nil {
		return fmt.Errorf("reading %s: %w", src, err)
	}
	defer pr.Close()
	fr, err := pqarrow.NewFileReader(pr, pqarrow.ArrowReadProperties{BatchSize: 64 * 1024}, mem)
	if err != nil {
		return fmt.Errorf("reading %s: %w", src, err)
	}
	rr, err := fr.GetRecordReader(ctx, nil, nil)
	if err != nil {
		return fmt.Errorf("reading %s: %w", src, err)
	}
	defer rr.Release()
	schema := rr.Schema()
	lonIdx := schema.FieldIndices(g.Lon)
	latIdx := schema.FieldIndices(g.Lat)
	if len(lonIdx) != 1 || len(latIdx) != 1 {
		return fmt.Errorf("adding points to %s: no single %q and %q columns", src, g.Lon, g.Lat)
	}
	if len(schema.FieldIndices(GeometryColumn)) > 0 {
		return fmt.Errorf("adding points to %s: it already has a %q column", src, GeometryColumn)
	}
	fields := append(append([]arrow.Field{}, schema.Fields()...),
		arrow.Field{Name: GeometryColumn, Type: arrow.BinaryTypes.Binary, Nullable: true})
	md := sourceMetadata(pr)
	out := arrow.NewSchema(fields, &md)

	w, err := newExportWriter(dst, out, mem)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			w.abort()
		}
	}()
	var box bbox
	for rr.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := rr.RecordBatch()
		geom := pointColumn(mem, rec.Column(lonIdx[0]), rec.Column(latIdx[0]), &box)
		cols := append(append([]arrow.Array{}, rec.Columns()...), geom)
		nr := array.NewRecordBatch(out, cols, rec.NumRows())
		werr := w.fw.Write(nr)
		nr.Release()
		geom.Release()
		if werr != nil {
			return fmt.Errorf("writing %s: %w", dst, werr)
		}
	}
	if err := rr.Err(); err != nil {
		return fmt.Errorf("reading %s: %w", src, err)
	}
	return w.finish(box, true)
}

// pointColumn builds the WKB points of one batch.
func pointColumn(mem memory.Allocator, lonCol, latCol arrow.Array, box *bbox) arrow.Array {
	b := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
	defer b.Release()
	for i := 0; i < lonCol.Len(); i++ {
		lon, lonOK := coordinate(arrowFloat(lonCol, i), 180)
		lat, latOK := coordinate(arrowFloat(latCol, i), 90)
		if !lonOK || !latOK {
			b.AppendNull()
			continue
		}
		box.add(lon, lat)
		b.Append(WKBPoint(lon, lat))
	}
	return b.NewArray()
}

// arrowFloat reads a numeric Arrow cell as float64 (nil when null or not numeric).
func arrowFloat(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch c := a.(type) {
	case *array.Float64:
		return c.Value(i)
	case *array.Float32:
		return float64(c.Value(i))
	case *array.Int64:
		return float64(c.Value(i))
	case *array.Int32:
		return float64(c.Value(i))
	}
	return nil
}

// sourceMetadata is the key-value metadata of a Parquet file that its copy
// keeps (the dataset name and version of a dtm file, say): every key but
// the Arrow schema, which the writer stores for the new schema, and `geo`,
// which the copy writes for its own geometry. pqarrow's record reader does
// not carry the file's metadata on its schema, hence this.
func sourceMetadata(pr *file.Reader) arrow.Metadata {
	var keys, vals []string
	for _, kv := range pr.MetaData().KeyValueMetadata() {
		if kv.Key == "ARROW:schema" || kv.Key == "geo" || kv.Value == nil {
			continue
		}
		keys = append(keys, kv.Key)
		vals = append(vals, *kv.Value)
	}
	return arrow.NewMetadata(keys, vals)
}

// exportWriter writes one Parquet export to a temporary file beside its
// destination and renames it into place on success.
type exportWriter struct {
	dst, tmp string
	f        *os.File
	fw       *pqarrow.FileWriter
}

// newExportWriter starts the Parquet file of dst in a temporary file
// beside it; mem allocates the encoders' buffers.
func newExportWriter(dst string, schema *arrow.Schema, mem memory.Allocator) (*exportWriter, error) {
	f, err := CreateTemp(filepath.Dir(dst), ".dtm-export-*.parquet")
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", dst, err)
	}
	props := parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithDictionaryDefault(true),
		parquet.WithMaxRowGroupLength(1<<20),
		parquet.WithCreatedBy("dtm"),
		parquet.WithAllocator(mem),
	)
	fw, err := pqarrow.NewFileWriter(schema, syncOnClose{f}, props, pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(mem)))
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("starting parquet %s: %w", dst, err)
	}
	// pqarrow's FileWriter stores the schema's metadata in the file's
	// key-value metadata itself: appending it again wrote every key twice.
	return &exportWriter{dst: dst, tmp: f.Name(), f: f, fw: fw}, nil
}

// finish writes the GeoParquet metadata (when geo), closes the file and
// moves it into place.
func (w *exportWriter) finish(box bbox, geo bool) error {
	if geo {
		md, err := geoMetadata(box)
		if err != nil {
			return fmt.Errorf("geoparquet metadata: %w", err)
		}
		if err := w.fw.AppendKeyValueMetadata("geo", md); err != nil {
			return fmt.Errorf("geoparquet metadata %s: %w", w.dst, err)
		}
	}
	if err := w.fw.Close(); err != nil {
		os.Remove(w.tmp)
		return fmt.Errorf("closing %s: %w", w.dst, err)
	}
	if err := os.Rename(w.tmp, w.dst); err != nil {
		os.Remove(w.tmp)
		return fmt.Errorf("writing %s: %w", w.dst, err)
	}
	return nil
}

func (w *exportWriter) abort() {
	w.fw.Close()
	w.f.Close()
	os.Remove(w.tmp)
}
