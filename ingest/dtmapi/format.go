package dtmapi

import (
	"bytes"

	"github.com/iom-dtm/dtm/ingest"
)

// Format is a DTM API response (v2 or v3 JSON, saved or fetched) as a
// member of the ingest.Formats registry, named "dtmapi".
type Format struct{}

// Name is "dtmapi".
func (Format) Name() string { return "dtmapi" }

// Sniff claims, by content, a JSON object whose first bytes carry the API
// envelope's keys ("result", "isSuccess", "statusCode") or a JSON array of
// records with DTM API field names ("admin0Pcode", "operation"...); by
// extension only, any .json file (a .json file is not always a DTM API
// response: the reader then says why it is not one).
func (Format) Sniff(path string, head []byte) ingest.Confidence {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		for _, key := range []string{`"result"`, `"isSuccess"`, `"statusCode"`, `"admin0Pcode"`, `"admin0Name"`, `"numPresentIdpInd"`} {
			if bytes.Contains(t, []byte(key)) {
				return ingest.ByContent
			}
		}
	}
	if ingest.HasExtension(path, ".json") {
		return ingest.ByExtension
	}
	return ingest.NotMine
}

// Open reads one response from src (a file, or bytes fetched by a job).
func (Format) Open(src ingest.Source, opts ingest.Options) (ingest.Reader, error) {
	return ingest.OpenStreamReader(src, opts, NewReader)
}
