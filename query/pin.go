package query

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/iom-dtm/dtm/sinks"
)

// pinned holds open every file of one manifest, so that a DB whose views
// read them through /proc/self/fd/N is a snapshot: a later commit that
// deletes files its manifest no longer references (sinks.Txn.Commit) does
// not change or break it. The files are closed with the DB.
type pinned struct {
	files map[string]*os.File // manifest-relative path -> open file
}

// pinAttempts bounds how often pinManifest re-reads a manifest that a
// commit replaced while its files were being opened.
const pinAttempts = 20

// errPinUnsupported is returned where /proc/self/fd is not available.
var errPinUnsupported = errors.New("pinning files needs /proc/self/fd (Linux)")

// fdDir is where a process sees its open files by number.
const fdDir = "/proc/self/fd"

// pinManifest reads the committed manifest of root and opens every data
// and rejects file it references. A file missing means a commit happened
// between the read and the open (its cleanup removed the file): the
// manifest is read again.
func pinManifest(root string) (*sinks.Manifest, *pinned, error) {
	if fi, err := os.Stat(fdDir); err != nil || !fi.IsDir() {
		return nil, nil, errPinUnsupported
	}
	for attempt := 1; ; attempt++ {
		m, err := sinks.ReadManifest(root)
		if err != nil {
			return nil, nil, err
		}
		p := &pinned{files: map[string]*os.File{}}
		missing := false
		var rels []string
		for _, s := range m.Sources {
			rels = append(rels, s.Files...)
			if s.RejectsFile != "" {
				rels = append(rels, s.RejectsFile)
			}
			if s.Summary != "" {
				rels = append(rels, s.Summary)
			}
		}
		for _, rel := range rels {
			f, err := os.Open(filepath.Join(root, filepath.FromSlash(rel)))
			if errors.Is(err, os.ErrNotExist) {
				missing = true
				break
			}
			if err != nil {
				p.close()
				return nil, nil, fmt.Errorf("opening %s: %w", rel, err)
			}
			p.files[rel] = f
		}
		if !missing {
			return m, p, nil
		}
		p.close()
		if attempt == pinAttempts {
			return nil, nil, fmt.Errorf("the warehouse manifest keeps changing while its files are opened (%d attempts)", pinAttempts)
		}
	}
}

// path is the name under which DuckDB reads a pinned file ("" when the
// file is not pinned).
func (p *pinned) path(rel string) string {
	if p == nil {
		return ""
	}
	f := p.files[rel]
	if f == nil {
		return ""
	}
	return fdDir + "/" + strconv.FormatUint(uint64(f.Fd()), 10)
}

func (p *pinned) close() {
	if p == nil {
		return
	}
	for _, f := range p.files {
		f.Close()
	}
	p.files = nil
}

// filePath is the path DuckDB reads a manifest-relative file by: its
// pinned descriptor when the DB is pinned, else its path in the warehouse.
func (d *DB) filePath(rel string) string {
	if p := d.pins.path(rel); p != "" {
		return p
	}
	return filepath.Join(d.root, filepath.FromSlash(rel))
}
