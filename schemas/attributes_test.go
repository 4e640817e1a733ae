package schemas

import (
	"strings"
	"testing"
)

// TestFieldAttributesAreConsistent checks the typed attributes of every
// built-in kind's fields: counts are integers, p-code fields are place
// codes, plain encoding only on stored leaf columns, and no two
// attributes contradict each other.
func TestFieldAttributesAreConsistent(t *testing.T) {
	reg := Default()
	for _, name := range reg.Names() {
		ds, _ := reg.Lookup(name)
		for _, f := range ds.AllFields() {
			if f.Unit.Counts() && f.Kind != Int && f.Kind != SADD {
				t.Errorf("%s.%s: unit %q counts people but the kind is %s (int or sadd expected)", name, f.Name, f.Unit, f.Kind)
			}
			if strings.HasSuffix(f.Name, "_pcode") && !f.PlaceCode {
				t.Errorf("%s.%s: a p-code field must be marked PlaceCode", name, f.Name)
			}
			if f.PlaceCode && f.Kind != String {
				t.Errorf("%s.%s: a place code must be a string", name, f.Name)
			}
			if f.Encoding == Plain && (f.Kind == StringList || f.Kind == SADD) {
				t.Errorf("%s.%s: plain encoding is a hint for leaf columns only", name, f.Name)
			}
			if f.Normaliser != MatchVocabulary && f.Kind != String {
				t.Errorf("%s.%s: a normaliser reads labels into a string field", name, f.Name)
			}
		}
	}
}

// TestPlainEncodedFollowsTheFields: the sinks' encoding hint comes from
// the Encoding attribute, for the dataset's own and provenance fields.
func TestPlainEncodedFollowsTheFields(t *testing.T) {
	ds := SiteAssessment()
	for col, want := range map[string]bool{"site_id": true, "latitude": true, ColSourceRow: true, "idp_individuals": true, "round": false, "assessment_date": false,
		"admin1_pcode": false, ColSourceFileID: false, "no_such_column": false} {
		if got := ds.PlainEncoded(col); got != want {
			t.Errorf("PlainEncoded(%q) = %v, want %v", col, got, want)
		}
	}
	var none *Dataset
	if none.PlainEncoded("site_id") {
		t.Error("a nil dataset has no plain columns")
	}
}
