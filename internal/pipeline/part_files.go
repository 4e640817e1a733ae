package pipeline

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks"
	"github.com/iom-dtm/dtm/transform"
)

// An input's rows of one partition go to a staged Parquet file that is
// closed (footer written, fsynced: sinks.Txn.ClosePart) once it holds
// fileRows rows; the next rows of the partition go to a new file, numbered
// on (sinks.Txn.CreatePart's seq). A Parquet writer keeps the metadata of
// every row group it has written (column chunk descriptions and
// statistics, ~770 bytes a column chunk) until the file is closed, so
// without a bound it grows with the input: ~25 MB of a 10 M-row site
// assessment's live heap (45 columns, six partitions, ~14 k-row groups:
// the open row groups are bounded across the partitions, row_groups.go),
// which under the soft memory limit is paid for in garbage collections
// (issue 15). The files are cut at exact row counts, so a serial and a
// chunked ingest write the same files with the same rows (the records are
// sliced at the boundary); an input whose partitions hold fewer rows than
// fileRows (the usual DTM file) writes one file per partition, as before.

// defaultFileRows is Config.FileRows' default: the rows of one staged part
// file, ~9 MB of a site assessment. Measured (issue 15, 10 M-row synth
// site CSV, six partitions, one run each at load 5-7, GODEBUG=gctrace=1):
//
//	file rows    collections  mean live heap  peak live heap  CPU s
//	unbounded    1 126        129 MB          151 MB          181
//	1 Mi           792        119 MB          120 MB          166
//	512 Ki         732        115 MB          131 MB          123
//	256 Ki         687        112 MB          107 MB          131
//
// (live heap after each collection, averaged; peak from --memprofile's
// FILE.peak; CPU s noisy: the 1 Mi run shared the machine with a test
// run). That 10 M-row input then writes 42 data files instead of 6.
const defaultFileRows = 256 << 10

// fileRows is Config.FileRows or its default.
func (c Config) fileRows() int64 {
	if c.FileRows > 0 {
		return int64(c.FileRows)
	}
	return defaultFileRows
}

// partFile is the staged file a partition's rows are written to.
type partFile struct {
	// pf is nil once the file is full and closed (no rows since).
	pf  *sinks.ParquetFile
	rel string
	// seq numbers the partition's files of the input (0 first).
	seq int
	// rows written (or queued for the encoders) to pf.
	rows int64
}

// writePart writes rec, of partition p, to the partition's files: the open
// one up to fileRows rows, the rest to the next ones. The caller keeps its
// reference to rec.
func (s *staging) writePart(ds *schemas.Dataset, p transform.Partition, rec arrow.RecordBatch) error {
	if s.parts == nil {
		s.parts = map[transform.Partition]*partFile{}
	}
	n := rec.NumRows()
	for off := int64(0); off < n; {
		f := s.parts[p]
		if f == nil || f.pf == nil {
			seq := 0
			if f != nil {
				seq = f.seq + 1
			}
			pf, rel, err := s.txn.CreatePart(ds, rec.Schema(), p.Country, p.Key, p.Value, s.key, seq)
			if err != nil {
				return err
			}
			pf.SetEncoders(s.encoders)
			f = &partFile{pf: pf, rel: rel, seq: seq}
			s.parts[p] = f
			s.files = append(s.files, rel)
		}
		end := min(n, off+s.fileRows-f.rows)
		part := rec
		if off > 0 || end < n {
			part = rec.NewSlice(off, end)
		}
		err := s.writeFile(f.pf, part)
		if part != rec {
			part.Release()
		}
		if err != nil {
			return err
		}
		f.rows += end - off
		off = end
		if f.rows >= s.fileRows {
			if err := s.closeFile(f); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeFile appends rec to pf: as its own row groups (serial ingest), or
// to the buffered row groups (chunked), through the file's encoder when
// there are.
func (s *staging) writeFile(pf *sinks.ParquetFile, rec arrow.RecordBatch) error {
	switch {
	case s.groups == nil:
		return pf.Write(rec)
	case s.enc != nil:
		return s.enc.write(pf, rec, s.groups.next(pf, rec.NumRows()))
	default:
		return pf.WriteBuffered(rec, s.groups.next(pf, rec.NumRows()))
	}
}

// closeFile closes a full file (once its encoder has written every record
// queued for it); the partition's next rows start a new one.
func (s *staging) closeFile(f *partFile) error {
	if s.enc != nil {
		if err := s.enc.finish(f.pf); err != nil {
			return err
		}
	}
	if s.groups != nil {
		s.groups.closed(f.pf)
	}
	f.pf, f.rows = nil, 0
	return s.txn.ClosePart(f.rel)
}
