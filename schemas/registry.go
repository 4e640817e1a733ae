package schemas

// Default returns the registry of every canonical dataset dtm knows.
func Default() *Registry {
	return NewRegistry(SiteAssessment(), DisplacementAdmin(), FlowRegistry(), FlowSurvey())
}
