package transform

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/iom-dtm/dtm/schemas"
)

// pcodeNote is one row naming a code: what checkPcodes hands noteNameOf.
type pcodeNote struct {
	level      int
	code, name string
	line       int
}

// pcodeNameFindingsRef is a straightforward reference of the p-code name
// findings of a file: the codes in order first named, each code's names
// (one per NormalizeLabel key) in order first seen, spelled as first
// written, with their row counts and first pcodeFileMaxLines listable rows;
// for a code of two names or more, a warning per listed row of each name
// but the first of most rows, and one for its rows not listed.
func pcodeNameFindingsRef(notes []pcodeNote, header string) []schemas.Reject {
	type name struct {
		name, key string
		rows      int
		lines     []int
	}
	type entry struct {
		level int
		code  string
		names []*name
	}
	var order []*entry
	byCode := map[string]*entry{}
	for _, n := range notes {
		k := fmt.Sprint(n.level, ":", n.code)
		e := byCode[k]
		if e == nil {
			e = &entry{level: n.level, code: n.code}
			byCode[k] = e
			order = append(order, e)
		}
		key := NormalizeLabel(n.name)
		var nm *name
		for _, x := range e.names {
			if x.key == key {
				nm = x
			}
		}
		if nm == nil {
			nm = &name{name: n.name, key: key}
			e.names = append(e.names, nm)
		}
		nm.rows++
		if len(nm.lines) < pcodeFileMaxLines && n.line > 0 && uint64(n.line) <= math.MaxUint32 {
			nm.lines = append(nm.lines, n.line)
		}
	}
	var out []schemas.Reject
	for _, e := range order {
		if len(e.names) < 2 {
			continue
		}
		best, total := e.names[0], 0
		for _, n := range e.names {
			total += n.rows
			if n.rows > best.rows {
				best = n
			}
		}
		for _, n := range e.names {
			if n == best {
				continue
			}
			msg := fmt.Sprintf("admin%d p-code %q is named %q on this row but %q on %d of the %d rows that give it a name (the name most rows use); check this row's name or code",
				e.level, e.code, n.name, best.name, best.rows, total)
			for _, l := range n.lines {
				out = append(out, schemas.Reject{File: "f.csv", Row: l, Column: header, Value: e.code,
					Code: schemas.CodePcodeName, Severity: schemas.SeverityWarning, Message: msg})
			}
			if more := n.rows - len(n.lines); more > 0 {
				out = append(out, schemas.Reject{File: "f.csv", Column: header, Value: e.code, Code: schemas.CodePcodeName,
					Severity: schemas.SeverityWarning, Message: fmt.Sprintf("and %d more rows name admin%d p-code %q %q (not listed one by one)", more, e.level, e.code, n.name)})
			}
		}
	}
	return out
}

// pcodeNameNotes generates notes of shape kind over codes codes: "sorted"
// (runs of a code), "shuffled", "alternating" (two codes), "hostile"
// (case, space and accent variants, names changing for a code, blank
// names, Unicode, row numbers out of order, 0 and past 2³²-1) or "split"
// (each code named two ways, 3 rows in 5 and 2 in 5, in no order: both
// names past pcodeFileMaxLines rows when a code has 2,500 or more).
func pcodeNameNotes(kind string, n, codes int, seed uint64) []pcodeNote {
	rnd := rand.New(rand.NewPCG(seed, 3))
	names := []string{"Nord", "NORD ", "Nörd", "North", "", "قرية", "Sud", "nord"}
	out := make([]pcodeNote, n)
	for i := range out {
		k := rnd.IntN(codes)
		switch kind {
		case "sorted":
			k = i * codes / n
		case "alternating":
			k = i % 2
		}
		name := fmt.Sprintf("Place %d", k)
		if kind == "split" && rnd.IntN(5) < 2 {
			name = fmt.Sprintf("Town %d", k)
		}
		if kind == "hostile" && rnd.IntN(5) == 0 {
			name = names[rnd.IntN(len(names))]
		}
		line := i + 2
		if kind == "hostile" {
			switch rnd.IntN(50) {
			case 0:
				line = 0
			case 1:
				line = 1<<32 + i
			case 2:
				line = rnd.IntN(n) + 1
			}
		}
		out[i] = pcodeNote{level: 1 + k%3, code: fmt.Sprintf("AA%04d", k), name: name, line: line}
	}
	return out
}

// TestPcodeNameFindingsAreReference: the p-code name findings (rows,
// column, value, code, message, in order) of notes taken by one set of
// checks, or in chunks by workers that keep their entries from chunk to
// chunk and merged in order by a parent, are the reference's, on sorted,
// shuffled, alternating, hostile and split notes, with codes (and names
// of a code named two ways) of more than pcodeFileMaxLines rows and chunk
// boundaries anywhere.
func TestPcodeNameFindingsAreReference(t *testing.T) {
	const header = "Admin Pcode"
	headers := [...]string{"", header, header, header}
	for _, kind := range []string{"sorted", "shuffled", "alternating", "hostile", "split"} {
		for _, codes := range []int{2, 40, 3000} {
			notes := pcodeNameNotes(kind, 9000, codes, uint64(codes))
			want := pcodeNameFindingsRef(notes, header)
			if kind == "hostile" && codes < 3000 && len(want) == 0 {
				t.Fatalf("%s %d codes: no finding: the test checks nothing", kind, codes)
			}
			if kind == "split" && codes == 2 && len(want) < 2*pcodeFileMaxLines {
				// Each code's second name listed to the bound, in
				// chunks from workers that listed its first name's
				// (pcodeNameRows.listed).
				t.Fatalf("%s %d codes: %d findings: the test does not reach the bound of rows listed", kind, codes, len(want))
			}
			note := func(p *pcodeFileChecks, memo map[string]*pcodeEntry, n pcodeNote) {
				k := fmt.Sprint(n.level, ":", n.code)
				m := memo[k]
				if m == nil {
					m = &pcodeEntry{code: n.code}
					memo[k] = m
				}
				p.noteNameOf(m, n.level, n.code, n.name, headers[n.level], n.line)
			}
			var serial pcodeFileChecks
			memo := map[string]*pcodeEntry{}
			for _, n := range notes {
				note(&serial, memo, n)
			}
			if got, _ := serial.finish("f.csv", ""); !reflect.DeepEqual(got, want) {
				diffRejects(t, fmt.Sprintf("%s %d codes serial", kind, codes), got, want)
			}
			for _, chunk := range []int{1, 13, 700} {
				for _, workers := range []int{1, 3} {
					var parent pcodeFileChecks
					ws := make([]pcodeFileChecks, workers)
					memos := make([]map[string]*pcodeEntry, workers)
					for i := range ws {
						ws[i].gen = uint64(i + 1)
						memos[i] = map[string]*pcodeEntry{}
					}
					pmemo := map[string]*pcodeEntry{}
					for _, n := range notes[:chunk] {
						note(&parent, pmemo, n)
					}
					var taken []pcodeFileChecks
					for k, at := 0, chunk; at < len(notes); k, at = k+1, at+chunk {
						w := k % workers
						for _, n := range notes[at:min(at+chunk, len(notes))] {
							note(&ws[w], memos[w], n)
						}
						taken = append(taken, ws[w].takeChunk())
					}
					for i := range taken {
						parent.merge(&taken[i])
					}
					if got, _ := parent.finish("f.csv", ""); !reflect.DeepEqual(got, want) {
						diffRejects(t, fmt.Sprintf("%s %d codes chunk=%d workers=%d", kind, codes, chunk, workers), got, want)
					}
				}
			}
		}
	}
}
