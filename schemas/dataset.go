package schemas

import (
	"fmt"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Dataset is one canonical dataset.
type Dataset struct {
	Name        string  `json:"name"`
	Version     string  `json:"version"`
	Description string  `json:"description"`
	Fields      []Field `json:"fields"`
	// PartitionKey is the hive key of the second partition level
	// (`<dataset>/country=<ISO3>/<PartitionKey>=<value>/`).
	PartitionKey string `json:"partition_key"`
	// PartitionField is the field whose value fills PartitionKey.
	PartitionField string `json:"partition_field"`
	// PartitionDoc says how the partition value is derived.
	PartitionDoc string `json:"partition_doc"`
}

// Provenance columns carried by every record of every dataset.
const (
	ColSourceFile   = "source_file"
	ColSourceFileID = "source_file_id"
	ColSourceSheet  = "source_sheet"
	ColSourceRow    = "source_row"
	ColRunID        = "ingest_run_id"
)

// ProvenanceFields are appended to every dataset's fields.
var ProvenanceFields = []Field{
	{Name: ColSourceFile, Kind: String, Description: "Source file name as ingested.", Sensitivity: Public},
	{Name: ColSourceFileID, Kind: String, Description: "SHA-256 of the source file's bytes (hex).", Sensitivity: Public},
	{Name: ColSourceSheet, Kind: String, Description: "Worksheet of the source (empty for CSV and JSON).", Sensitivity: Public},
	{Name: ColSourceRow, Kind: Int, Encoding: Plain, Description: "1-based row of the source record (as a spreadsheet shows it).", Sensitivity: Public},
	{Name: ColRunID, Kind: String, Description: "Id of the dtm run that ingested the record.", Sensitivity: Public},
}

// AllFields returns the dataset's fields followed by the provenance fields.
func (d *Dataset) AllFields() []Field {
	out := make([]Field, 0, len(d.Fields)+len(ProvenanceFields))
	out = append(out, d.Fields...)
	return append(out, ProvenanceFields...)
}

// StoredFields returns AllFields without Personal fields: what reaches Parquet.
func (d *Dataset) StoredFields() []Field {
	var out []Field
	for _, f := range d.AllFields() {
		if f.Sensitivity != Personal {
			out = append(out, f)
		}
	}
	return out
}

// Field returns the named field (including provenance fields).
// It reads the fields in place (no copy of AllFields): the sinks ask it once
// per column of every Parquet file.
func (d *Dataset) Field(name string) (Field, bool) {
	for _, fields := range [2][]Field{d.Fields, ProvenanceFields} {
		for i := range fields {
			if fields[i].Name == name {
				return fields[i], true
			}
		}
	}
	return Field{}, false
}

// PlainEncoded reports a stored column whose Encoding is Plain (false for
// a nil dataset and for unknown columns): the sinks' Parquet hint.
func (d *Dataset) PlainEncoded(column string) bool {
	if d == nil {
		return false
	}
	f, ok := d.Field(column)
	return ok && f.Encoding == Plain
}

// ArrowSchema is the schema of the records written to Parquet, with the
// dataset name and version in its metadata.
func (d *Dataset) ArrowSchema() *arrow.Schema {
	fields := d.StoredFields()
	af := make([]arrow.Field, len(fields))
	for i, f := range fields {
		af[i] = arrow.Field{Name: f.Name, Type: f.Kind.ArrowType(), Nullable: true}
	}
	md := arrow.NewMetadata(
		[]string{"dtm.dataset", "dtm.schema_version"},
		[]string{d.Name, d.Version},
	)
	return arrow.NewSchema(af, &md)
}

// Registry holds the dataset kinds dtm knows, by name: the one list that
// `--kind`, a job's `kind:`, the warehouse views and `dtm schema` read.
// Built once (Default, or NewRegistry in tests), read-only afterwards and
// safe for concurrent use.
//
// Contract for a member: a unique snake_case Name, fields with unique
// names (none named like a provenance column), and PartitionField naming
// one of its fields when PartitionKey is set. A kind needs no code in
// package transform: the generic converter casts every field by its Kind,
// applies the run's country and operation defaults and the field
// attributes; transform's rules registry adds checks for kinds that need
// them (see the README, "Adding a dataset kind").
type Registry struct{ byName map[string]*Dataset }

// NewRegistry returns a registry of the given datasets. A duplicate name
// panics: it is a programming error, found at start-up.
func NewRegistry(ds ...*Dataset) *Registry {
	r := &Registry{byName: map[string]*Dataset{}}
	for _, d := range ds {
		if _, dup := r.byName[d.Name]; dup {
			panic(fmt.Sprintf("schemas: dataset %q registered twice", d.Name))
		}
		r.byName[d.Name] = d
	}
	return r
}

// Lookup returns a dataset by name, or an error listing the known names.
func (r *Registry) Lookup(name string) (*Dataset, error) {
	if d, ok := r.byName[name]; ok {
		return d, nil
	}
	return nil, fmt.Errorf("unknown dataset %q (known: %s)", name, strings.Join(r.Names(), ", "))
}

// Names lists the datasets in alphabetical order.
func (r *Registry) Names() []string {
	out := make([]string, 0, len(r.byName))
	for n := range r.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// All returns the datasets in alphabetical order.
func (r *Registry) All() []*Dataset {
	var out []*Dataset
	for _, n := range r.Names() {
		out = append(out, r.byName[n])
	}
	return out
}
