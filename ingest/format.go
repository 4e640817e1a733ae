package ingest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Confidence is how sure a Format is that it reads an input.
type Confidence int

const (
	// NotMine: the format cannot read this input.
	NotMine Confidence = iota
	// ByExtension: only the file name says so (".json", ".csv").
	ByExtension
	// ByContent: the first bytes say so (a zip header, a DTM API envelope).
	ByContent
)

// Source is an input a Format opens.
type Source struct {
	// Path names the input in errors and provenance; when Data is nil the
	// content is read from the file at Path.
	Path string
	// Data is the whole content when it is already in memory (a DTM API
	// response fetched by a job), nil otherwise.
	Data []byte
	// Progress, when set, is called with the number of bytes read as a
	// streaming format reads them (a format that reads at random, such as
	// XLSX, may report nothing).
	Progress func(n int)
}

// Format is one input format of the registry: it recognises its inputs and
// opens a Reader on them.
//
// Contract: Name is short, lower case and unique in a registry ("csv",
// "xlsx", "dtmapi"); it is what a job's `format:` key and `--format` name.
// Sniff must not read beyond head (at most SniffBytes of the content, fewer
// for a short input) and must not fail; path is used only for its
// extension. Open returns a Reader whose Close releases everything Open
// acquired, or an error wrapped with the input's path; it must not panic on
// any content.
type Format interface {
	Name() string
	Sniff(path string, head []byte) Confidence
	Open(src Source, opts Options) (Reader, error)
}

// SniffBytes is how much of an input's content Formats.Detect shows Sniff.
const SniffBytes = 4096

// Formats is the registry of input formats. Build it once with NewFormats
// (cmd passes the default one, tests may add their own); it is read-only
// afterwards and safe for concurrent use.
type Formats struct {
	order  []Format
	byName map[string]Format
}

// NewFormats registers formats in order of precedence: when two are
// equally confident, the earlier wins. A duplicate name panics (a
// programming error, found at start-up).
func NewFormats(fs ...Format) *Formats {
	r := &Formats{byName: map[string]Format{}}
	for _, f := range fs {
		if _, dup := r.byName[f.Name()]; dup {
			panic(fmt.Sprintf("ingest: format %q registered twice", f.Name()))
		}
		r.byName[f.Name()] = f
		r.order = append(r.order, f)
	}
	return r
}

// Names lists the registered formats, sorted.
func (r *Formats) Names() []string {
	out := make([]string, 0, len(r.order))
	for _, f := range r.order {
		out = append(out, f.Name())
	}
	sort.Strings(out)
	return out
}

// Lookup returns the format of that name, or an error listing the known ones.
func (r *Formats) Lookup(name string) (Format, error) {
	if f, ok := r.byName[strings.ToLower(strings.TrimSpace(name))]; ok {
		return f, nil
	}
	return nil, fmt.Errorf("unknown input format %q (known: %s)", name, strings.Join(r.Names(), ", "))
}

// Detect chooses the format of an input by its content first and its file
// name second: the most confident format wins, the earlier registered on a
// tie. It reads at most SniffBytes of the file (or of src.Data). Errors: the
// file cannot be read, or no format claims it.
func (r *Formats) Detect(src Source) (Format, error) {
	head := src.Data
	if head == nil {
		f, err := os.Open(src.Path)
		if err != nil {
			return nil, fmt.Errorf("opening %q: %w", src.Path, err)
		}
		buf := make([]byte, SniffBytes)
		n, err := io.ReadFull(f, buf)
		f.Close()
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return nil, fmt.Errorf("reading %q: %w", src.Path, err)
		}
		head = buf[:n]
	}
	if len(head) > SniffBytes {
		head = head[:SniffBytes]
	}
	var best Format
	bestC := NotMine
	for _, f := range r.order {
		if c := f.Sniff(src.Path, head); c > bestC {
			best, bestC = f, c
		}
	}
	if best == nil {
		return nil, fmt.Errorf("%q: no input format recognises it (known: %s; name one with a job's format: key)",
			filepath.Base(src.Path), strings.Join(r.Names(), ", "))
	}
	return best, nil
}

// TableSet is an optional ability of a Format (found by type assertion):
// an input that holds several tables, such as the data sheets of a
// workbook. OpenAll returns one reader per table, in the input's order:
// those named (an unknown name is an error listing the tables), or, with no
// names, every table the format considers data. The caller closes every
// reader.
type TableSet interface {
	OpenAll(src Source, names []string, opts Options) ([]Reader, error)
}

// Choose returns the named format when name is not empty, else the one
// Detect finds.
func (r *Formats) Choose(src Source, name string) (Format, error) {
	if name != "" {
		return r.Lookup(name)
	}
	return r.Detect(src)
}

// Open chooses the format of src (see Choose) and opens it.
func (r *Formats) Open(src Source, name string, opts Options) (Reader, Format, error) {
	f, err := r.Choose(src, name)
	if err != nil {
		return nil, nil, err
	}
	rd, err := f.Open(src, opts)
	return rd, f, err
}

// HasExtension reports whether path ends with one of exts (lower case,
// with the dot), ignoring case: a helper for Sniff.
func HasExtension(path string, exts ...string) bool {
	e := strings.ToLower(filepath.Ext(path))
	for _, x := range exts {
		if e == x {
			return true
		}
	}
	return false
}
