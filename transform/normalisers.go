package transform

import "github.com/iom-dtm/dtm/schemas"

// labelNormaliser returns the function that implements a field's
// schemas.Normaliser: it maps a published label to a word of the field's
// vocabulary, reporting false for a label it does not know. The default
// (schemas.MatchVocabulary) returns nil, true: the caller compares labels
// with NormalizeLabel. An unknown Normaliser returns false; every one the
// schemas declare is known (TestEveryNormaliserIsImplemented).
func labelNormaliser(n schemas.Normaliser) (func(string) (string, bool), bool) {
	switch n {
	case schemas.MatchVocabulary:
		return nil, true
	case schemas.SiteTypeLabels:
		return NormalizeSiteType, true
	case schemas.AssessmentTypeLabels:
		return NormalizeAssessmentType, true
	}
	return nil, false
}
