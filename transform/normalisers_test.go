package transform

import (
	"testing"

	"github.com/iom-dtm/dtm/schemas"
)

// TestEveryNormaliserIsImplemented fails when a schema declares a
// Normaliser this package does not implement, or a field has a
// Normaliser but no vocabulary to normalise into.
func TestEveryNormaliserIsImplemented(t *testing.T) {
	reg := schemas.Default()
	for _, name := range reg.Names() {
		ds, _ := reg.Lookup(name)
		for _, f := range ds.AllFields() {
			if _, ok := labelNormaliser(f.Normaliser); !ok {
				t.Errorf("%s.%s: normaliser %q is not implemented in package transform", name, f.Name, f.Normaliser)
			}
			if f.Normaliser != schemas.MatchVocabulary && len(f.Vocabulary) == 0 {
				t.Errorf("%s.%s: normaliser %q without a vocabulary", name, f.Name, f.Normaliser)
			}
		}
	}
}

// TestNormaliserIsReadFromTheField: a toy field with the site-type
// normaliser reads site-type labels whatever its name.
func TestNormaliserIsReadFromTheField(t *testing.T) {
	f := schemas.Field{Name: "shelter_kind", Kind: schemas.String, Normaliser: schemas.SiteTypeLabels,
		Vocabulary: []string{"camp", "collective_centre", "other"}}
	if got, ok := normalizeVocabulary(f, "Collective Center"); !ok || got != "collective_centre" {
		t.Errorf("site-type normaliser on another field: got %q %v", got, ok)
	}
	f.Normaliser = schemas.MatchVocabulary
	if got, ok := normalizeVocabulary(f, "Collective Center"); ok {
		t.Errorf("plain vocabulary match must not read DTM site-type labels: got %q", got)
	}
	if _, ok := labelNormaliser("no_such_normaliser"); ok {
		t.Error("an unknown normaliser must be reported")
	}
}
