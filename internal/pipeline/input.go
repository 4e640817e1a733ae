package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/iom-dtm/dtm/ingest"
	"github.com/iom-dtm/dtm/ingest/formats"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Input is one source to ingest.
type Input struct {
	// Path is the file path; for embedded data, a name such as
	// "sample/ssd_round37.csv".
	Path string
	// Data, when non-nil, holds the bytes of an embedded input (CSV or JSON).
	Data []byte
	// FormatName names the input format (a job's `format:`, one of the
	// registry's names); "" detects it from the content, then the name.
	FormatName string
	// Source is the job source the input belongs to ("" for `dtm ingest`).
	Source string
	// Kind is the dataset name.
	Kind    string
	Country string
	// Sheets names the worksheets to read (spreadsheets); empty = the
	// detected data sheet and every other sheet of the same layout.
	Sheets    []string
	Operation string
	// Overrides map source headers to field names ("" ignores the column).
	Overrides map[string]string
	// MaxRejectRatio is the share of rejected rows above which the input
	// fails (0 = use the run default).
	MaxRejectRatio float64
	// Unavailable, when set, says why the input could not be obtained (a
	// job path pattern that matched nothing, a DTM API request that failed;
	// Path is then the pattern or the request URL, never with a key): the
	// input is reported as failed, never read, and its job source is not
	// pruned.
	Unavailable string
	// Replaces is the job source's `replaces:` ("round" or ""): recorded in
	// the ledger, it makes the input's site-rounds replace those of older
	// inputs in the views (see config.Source.Replaces).
	Replaces string
	// Duplicates is the policy for rows identical in every column to an
	// earlier row of the input: transform.DuplicatesKeep ("" too: kept with
	// a warning) or transform.DuplicatesDrop.
	Duplicates string
}

// Key identifies the input in the ledger: its absolute path (or embedded
// name), plus the sheets when they are named ("#Entry", "#Entry#Exit").
func (in Input) Key() string {
	k := in.Path
	if in.Data == nil {
		if abs, err := filepath.Abs(in.Path); err == nil {
			k = abs
		}
	}
	if len(in.Sheets) > 0 {
		k += "#" + strings.Join(in.Sheets, "#")
	}
	return in.Kind + ":" + k
}

// firstSheet is the first named sheet, "" when none is named.
func (in Input) firstSheet() string {
	if len(in.Sheets) == 0 {
		return ""
	}
	return in.Sheets[0]
}

// Format is the name of the input's format in the default registry: the
// explicit one, else the detected one ("csv", "xlsx", "dtmapi"); "" when no
// format recognises the input or it cannot be read.
func (in Input) Format() string {
	if in.FormatName != "" {
		return in.FormatName
	}
	f, err := formats.Default().Detect(ingest.Source{Path: in.Path, Data: in.Data})
	if err != nil {
		return ""
	}
	return f.Name()
}

// hash returns the hex SHA-256 and size of the input's bytes.
func (in Input) hash(maxBytes int64) (string, int64, error) {
	if in.Data != nil {
		h := sha256.Sum256(in.Data)
		return hex.EncodeToString(h[:]), int64(len(in.Data)), nil
	}
	// A named pipe blocks on open and a device never ends: only regular
	// files (or links to them) are read.
	if st, err := os.Stat(in.Path); err != nil {
		return "", 0, fmt.Errorf("opening %q: %w", in.Path, err)
	} else if !st.Mode().IsRegular() {
		return "", 0, fmt.Errorf("%q is not a regular file (%s)", in.Path, st.Mode().Type())
	}
	return hashFile(context.Background(), in.Path, maxBytes)
}

// hashFile returns the hex SHA-256 and size of the file at path (checked
// to be a regular file by the caller), reading at most maxBytes+1 bytes
// (larger is an error). It stops with ctx's error once ctx is done.
//
// It reads hashReadBytes at a time, not io.Copy's 32 KiB.
func hashFile(ctx context.Context, path string, maxBytes int64) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("opening %q: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, io.LimitReader(ctxReader{ctx: ctx, r: f}, maxBytes+1), make([]byte, hashReadBytes))
	if err != nil {
		return "", n, fmt.Errorf("reading %q: %w", path, err)
	}
	if n > maxBytes {
		return "", n, fmt.Errorf("%q is larger than the %d-byte limit (max_file_bytes)", path, maxBytes)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// hashReadBytes is hashFile's read size. Measured on the 1.76 GB 10 M-row
// bench CSV (page cache warm, 5 alternated runs each, SHA-256 with the
// CPU's SHA instructions): 32 KiB reads 1.30-1.32 s (1.08-1.14 user +
// 0.17-0.24 sys), 256 KiB 1.20-1.23 s, 1 MiB 1.20-1.22 s: a tenth of
// the hash's time is the 54 k read calls of 32 KiB.
const hashReadBytes = 256 << 10

// ctxReader is r, ending with ctx's error once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// statSize returns the size of the input's file (-1 when it cannot be
// stat'ed) and whether it may be read before it is hashed (planSizes): a
// regular file within maxBytes that opens. An embedded input, or a file
// that hash would fail on, gives false: plan hashes it first and says why
// it fails.
func (in Input) statSize(maxBytes int64) (int64, bool) {
	if in.Data != nil {
		return int64(len(in.Data)), false
	}
	st, err := os.Stat(in.Path)
	if err != nil {
		return -1, false
	}
	if !st.Mode().IsRegular() || st.Size() > maxBytes {
		return st.Size(), false
	}
	f, err := os.Open(in.Path)
	if err != nil {
		return st.Size(), false
	}
	f.Close()
	return st.Size(), true
}
