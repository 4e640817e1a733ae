package transform

import (
	"fmt"
	"strings"
	"sync"

	"github.com/iom-dtm/dtm/schemas"
)

// PcodeBook checks p-codes across the rows it is given (the pipeline gives
// each input its own book, so that an input's rows depend on it alone): one name per code,
// and, when a gazetteer is loaded, that codes are official. It is safe for
// concurrent use.
type PcodeBook struct {
	mu        sync.Mutex
	names     map[string]string // level:code -> first name seen
	gazetteer map[string]string // level:code -> official name ("" unknown)
}

type pcodeProblem struct{ flag, code, message string }

// NewPcodeBook returns an empty book; gazetteer may be nil.
func NewPcodeBook(gazetteer map[string]string) *PcodeBook {
	return &PcodeBook{names: map[string]string{}, gazetteer: gazetteer}
}

// GazetteerKey is the key of a p-code in a gazetteer map.
func GazetteerKey(level int, code string) string {
	return fmt.Sprintf("%d:%s", level, strings.ToUpper(strings.TrimSpace(code)))
}

// Check records (level, code, name) and returns its problems.
func (b *PcodeBook) Check(level int, code, name string) []pcodeProblem {
	if b == nil || code == "" {
		return nil
	}
	key := GazetteerKey(level, code)
	var out []pcodeProblem
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.gazetteer != nil && !PcodeIsPseudo(code) {
		if _, ok := b.gazetteer[key]; !ok {
			out = append(out, pcodeProblem{"unknown", schemas.CodeUnknownPcode,
				fmt.Sprintf("admin%d p-code %q is not in the gazetteer", level, code)})
		}
	}
	if name == "" {
		return out
	}
	if first, ok := b.names[key]; !ok {
		b.names[key] = name
	} else if NormalizeLabel(first) != NormalizeLabel(name) {
		out = append(out, pcodeProblem{"name", schemas.CodePcodeName,
			fmt.Sprintf("admin%d p-code %q is named %q here but %q on an earlier row of this file", level, code, name, first)})
	}
	return out
}
