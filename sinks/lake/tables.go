package lake

import (
	"fmt"
	"path"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/table"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
)

// Table names of the rejects tables.
const (
	RejectsTable       = "rejects"
	RejectsFailedTable = "rejects_failed"
)

// partField is one partition field: a source column and its transform.
type partField struct {
	Column string
	Year   bool // year(column) instead of identity(column)
}

// tableDef is one Iceberg table dtm publishes.
type tableDef struct {
	Name      string
	Schema    *arrow.Schema
	Partition []partField
	// files lists the local manifest's files of the table (relative to the
	// warehouse root), and the source each belongs to.
	files func(m *sinks.Manifest) []sourceFile
}

// sourceFile is one committed file and its source's content hash.
type sourceFile struct {
	Rel  string // relative to the local warehouse root
	Hash string // the source's content hash (source_file_id)
}

// tableDefs lists the tables of a registry in commit order: the datasets
// by name, then rejects, then rejects_failed.
func tableDefs(reg *schemas.Registry) ([]tableDef, error) {
	var out []tableDef
	for _, ds := range reg.All() {
		def := tableDef{Name: ds.Name, Schema: ds.ArrowSchema()}
		if _, ok := ds.Field("country_iso3"); ok {
			def.Partition = append(def.Partition, partField{Column: "country_iso3"})
		}
		if ds.PartitionKey != "" {
			f, ok := ds.Field(ds.PartitionField)
			if !ok {
				return nil, fmt.Errorf("dataset %s: partition field %q is not a field", ds.Name, ds.PartitionField)
			}
			def.Partition = append(def.Partition, partField{Column: f.Name, Year: f.Kind == schemas.Date})
		}
		name := ds.Name
		def.files = func(m *sinks.Manifest) []sourceFile {
			var fs []sourceFile
			for _, s := range m.Sources {
				if s.Dataset == name {
					for _, f := range s.Files {
						fs = append(fs, sourceFile{Rel: f, Hash: s.Hash})
					}
				}
			}
			return fs
		}
		out = append(out, def)
	}
	sortDefs(out)
	rj := schemas.RejectsDataset().ArrowSchema()
	out = append(out,
		tableDef{Name: RejectsTable, Schema: rj, files: func(m *sinks.Manifest) []sourceFile {
			var fs []sourceFile
			for _, s := range m.Sources {
				if s.RejectsFile != "" {
					fs = append(fs, sourceFile{Rel: s.RejectsFile, Hash: s.Hash})
				}
			}
			return fs
		}},
		tableDef{Name: RejectsFailedTable, Schema: rj, files: func(m *sinks.Manifest) []sourceFile {
			var fs []sourceFile
			for _, s := range m.Failed {
				if s.RejectsFile != "" {
					fs = append(fs, sourceFile{Rel: s.RejectsFile, Hash: s.Hash})
				}
			}
			return fs
		}},
	)
	return out, nil
}

func sortDefs(defs []tableDef) {
	for i := 1; i < len(defs); i++ {
		for j := i; j > 0 && defs[j].Name < defs[j-1].Name; j-- {
			defs[j], defs[j-1] = defs[j-1], defs[j]
		}
	}
}

// ident is the table's catalog identifier.
func (d tableDef) ident() table.Identifier { return table.Identifier{Namespace, d.Name} }

// dataKey is where a local file lives in the object store, relative to
// the location: <table>/data/ then the file's path below its dataset
// directory (partition directories kept), or its base name for rejects.
func (d tableDef) dataKey(rel string) string {
	rel = strings.TrimPrefix(rel, "/")
	if after, ok := strings.CutPrefix(rel, d.Name+"/"); ok && d.Name != RejectsTable && d.Name != RejectsFailedTable {
		return d.Name + "/data/" + after
	}
	return d.Name + "/data/" + path.Base(rel)
}

// icebergSchema converts the table's Arrow schema, with fresh field ids.
func (d tableDef) icebergSchema() (*iceberg.Schema, error) {
	sc, err := table.ArrowSchemaToIcebergWithFreshIDs(d.Schema, false)
	if err != nil {
		return nil, fmt.Errorf("table %s: converting the schema: %w", d.Name, err)
	}
	return sc, nil
}

// spec builds the partition spec over sc.
func (d tableDef) spec(sc *iceberg.Schema) (*iceberg.PartitionSpec, error) {
	var opts []iceberg.PartitionOption
	for _, p := range d.Partition {
		var tr iceberg.Transform = iceberg.IdentityTransform{}
		name := p.Column
		if p.Year {
			tr = iceberg.YearTransform{}
			name = p.Column + "_year"
		}
		opts = append(opts, iceberg.AddPartitionFieldByName(p.Column, name, tr, sc, nil))
	}
	spec, err := iceberg.NewPartitionSpecOpts(opts...)
	if err != nil {
		return nil, fmt.Errorf("table %s: partition spec: %w", d.Name, err)
	}
	return &spec, nil
}
