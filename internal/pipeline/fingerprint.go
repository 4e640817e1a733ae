package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// MappingRulesVersion names the version of the rules that turn a file's
// cells into rows (header mapping, casts, vocabularies, defaults). Raise it
// whenever a change of those rules changes the rows of an unchanged file:
// every input is then re-ingested once by the next run, with the reason
// "settings changed: mapping_rules".
const MappingRulesVersion = "2026-11-30.1"

// Shape is everything besides its bytes that shapes an input's rows, by
// name: kind, format, country, operation, sheets, column overrides and the
// mapping rules' version. It is stored with the committed source in the
// manifest; the ledger identity of an input is its content hash plus its
// shape, so that correcting a job's overrides or country re-ingests the
// input although its bytes did not change.
func (in Input) Shape() map[string]string {
	over := make([]string, 0, len(in.Overrides))
	for h, f := range in.Overrides {
		over = append(over, h+"="+f)
	}
	sort.Strings(over)
	overJSON, _ := json.Marshal(over)
	return map[string]string{
		"kind":          in.Kind,
		"format":        in.FormatName,
		"country":       in.Country,
		"operation":     in.Operation,
		"sheets":        strings.Join(in.Sheets, "\x1f"),
		"columns":       string(overJSON),
		"mapping_rules": MappingRulesVersion,
	}
}

// Fingerprint is the SHA-256 (hex) of a shape, keys in order.
func Fingerprint(shape map[string]string) string {
	keys := make([]string, 0, len(shape))
	for k := range shape {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%s\x00%s\x00", k, shape[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// shapeChanges names the settings that differ between a committed shape and
// the input's, sorted ("country", "columns"). A source committed before
// shapes were recorded (nil) has no differences: it is not re-read only
// because dtm was upgraded.
func shapeChanges(committed, now map[string]string) []string {
	if committed == nil {
		return nil
	}
	var out []string
	for k, v := range now {
		if committed[k] != v {
			out = append(out, k)
		}
	}
	for k := range committed {
		if _, ok := now[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// readReason says why an input is read: new, its content changed, its
// settings changed (naming them), or a refresh was asked for.
func readReason(cfg Config, in Input, committed, contentChanged bool, changes []string) string {
	var why []string
	if !committed {
		why = append(why, "new")
	}
	if contentChanged {
		why = append(why, "content changed")
	}
	if len(changes) > 0 {
		why = append(why, "settings changed: "+strings.Join(changes, ", "))
	}
	if len(why) == 0 {
		switch {
		case cfg.FullRefresh:
			why = append(why, "full refresh")
		case cfg.RefreshSources[in.Source]:
			why = append(why, "source refresh")
		}
	}
	return strings.Join(why, "; ")
}
