package transform

import (
	"fmt"
	"sort"

	"github.com/iom-dtm/dtm/ingest"
)

// Rules are the checks and derivations one dataset kind adds to the
// generic casting. The zero value is the generic converter alone: every
// field cast by its Kind and attributes (schemas.Field), the run's country
// and operation defaults (defaults.go), blank rows, cell faults and
// reconciliation of nothing. A kind declared outside this package sets
// the exported fields; the built-in kinds also have Go rules (apply,
// prepare, custom) in rules_site.go, rules_admin.go and rules_flow.go.
type Rules struct {
	// Dedupe rejects rows identical to an earlier row of the file in every
	// source column (duplicates.go): DTM assessment files repeat rows when
	// sheets are pasted twice; flow registries legitimately repeat rows.
	Dedupe bool
	// Headline are the figures reconciled per input (reconcile.go):
	// each a count field of the kind's schema and its label in the run
	// results ("IDP individuals").
	Headline []Headline

	// custom are the fields apply casts itself (the generic cast skips them).
	custom map[string]bool
	// apply runs after the generic casting of a row.
	apply func(c *Converter, r ingest.Row, rc *rowContext)
	// prepare, when set, runs once after mapping (personal.go).
	prepare func(c *Converter)
}

// Headline names one headline figure: a count field and its label.
type Headline struct{ Field, Label string }

// RuleRegistry holds the Rules of the dataset kinds that need more than
// the generic converter, by kind name (schemas.Dataset.Name). A kind not
// in the registry gets the zero Rules. Built once (DefaultRules, then
// Register in tests or by an embedding program), read-only afterwards and
// safe for concurrent use. Contract: every field a member names (Headline,
// custom fields, fields its apply reads) is in that kind's schema
// (TestRulesNameOnlyTheirSchemasFields).
type RuleRegistry struct{ byKind map[string]Rules }

// DefaultRules returns the rules of dtm's built-in kinds.
func DefaultRules() *RuleRegistry {
	r := &RuleRegistry{byKind: map[string]Rules{}}
	r.Register("site_assessment", Rules{Dedupe: true, apply: siteAssessmentRules, custom: fieldSet(FieldCountry, "round"),
		Headline: []Headline{{"idp_individuals", "IDP individuals"}, {"idp_households", "IDP households"},
			{"returnee_individuals", "returnees"}}})
	r.Register("displacement_admin", Rules{Dedupe: true, apply: displacementAdminRules, custom: fieldSet(FieldCountry),
		Headline: []Headline{{"idp_individuals", "IDP individuals"}}})
	r.Register("flow_registry", Rules{apply: flowRegistryRules, prepare: flowPrepare, custom: flowRegistryCustom,
		Headline: []Headline{{"individuals", "flow individuals"}}})
	r.Register("flow_survey", Rules{apply: flowSurveyRules, prepare: flowPrepare, custom: flowSurveyCustom})
	return r
}

// Register adds the rules of a kind. Registering a kind twice panics: it
// is a programming error, found at start-up.
func (r *RuleRegistry) Register(kind string, rules Rules) {
	if _, dup := r.byKind[kind]; dup {
		panic(fmt.Sprintf("transform: rules of %q registered twice", kind))
	}
	r.byKind[kind] = rules
}

// For returns the rules of a kind (the zero Rules when it has none), with
// apply never nil.
func (r *RuleRegistry) For(kind string) Rules {
	var rules Rules
	if r != nil {
		rules = r.byKind[kind]
	}
	if rules.apply == nil {
		rules.apply = func(*Converter, ingest.Row, *rowContext) {}
	}
	return rules
}

// Kinds lists the kinds with registered rules, sorted.
func (r *RuleRegistry) Kinds() []string {
	out := make([]string, 0, len(r.byKind))
	for k := range r.byKind {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func fieldSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// rulesOf returns the rules of kind from reg, or from DefaultRules when
// reg is nil.
func rulesOf(reg *RuleRegistry, kind string) Rules {
	if reg == nil {
		reg = DefaultRules()
	}
	return reg.For(kind)
}
