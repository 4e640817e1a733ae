package ingest

// Options configures a reader.
type Options struct {
	// Sheet forces the worksheet to read (spreadsheets only); "" = detect.
	Sheet string
	// Scorer rates candidate header rows; nil = default heuristic.
	Scorer HeaderScorer
	// Limits bounds sizes; zero fields take DefaultLimits.
	Limits Limits
}
