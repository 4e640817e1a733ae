package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/iom-dtm/dtm/ingest"
	"github.com/xuri/excelize/v2"
)

// maxXMLInMemory is the size above which excelize spills a worksheet or the
// shared strings part to a temporary file instead of holding it in memory.
const maxXMLInMemory = 16 << 20

// workbook is an open XLSX file.
type workbook struct {
	path   string
	lim    ingest.Limits
	f      *excelize.File
	sheets []string
}

// openWorkbook checks the file against the limits and opens it with excelize.
// Every excelize panic becomes an error naming the file.
func openWorkbook(path string, lim ingest.Limits) (wb *workbook, err error) {
	defer recoverErr(&err, path, "")
	if err := precheck(path, lim); err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{
		UnzipSizeLimit:    lim.MaxDecompressedBytes,
		UnzipXMLSizeLimit: min(maxXMLInMemory, lim.MaxDecompressedBytes),
		RawCellValue:      true,
	})
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		return nil, fileErr(path, classify(err))
	}
	wb = &workbook{path: path, lim: lim, f: f, sheets: f.GetSheetList()}
	if len(wb.sheets) == 0 {
		_ = f.Close()
		return nil, fileErr(path, fmt.Errorf("%w: the workbook lists no worksheets", ErrCorrupt))
	}
	return wb, nil
}

// close releases excelize's temporary files.
func (wb *workbook) close() (err error) {
	defer recoverErr(&err, wb.path, "")
	return wb.f.Close()
}

// zipMagic starts every zip archive with at least one entry.
var zipMagic = []byte("PK\x03\x04")

// precheck enforces MaxFileBytes and MaxDecompressedBytes (on the sizes the
// zip directory declares; archive/zip then refuses to inflate an entry past
// its declared size) and tells a non-zip file from a truncated one.
func precheck(path string, lim ingest.Limits) error {
	fh, err := os.Open(path)
	if err != nil {
		return err // already names the file
	}
	defer func() { _ = fh.Close() }()
	st, err := fh.Stat()
	if err != nil {
		return fileErr(path, err)
	}
	if st.IsDir() {
		return fileErr(path, fmt.Errorf("%w: is a directory", ErrNotXLSX))
	}
	if st.Size() > lim.MaxFileBytes {
		return fileErr(path, limitErr("file has %d bytes, limit %d", st.Size(), lim.MaxFileBytes))
	}
	head := make([]byte, 8)
	n, _ := io.ReadFull(fh, head)
	head = head[:n]
	if !bytes.HasPrefix(head, zipMagic) {
		if bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
			return fileErr(path, fmt.Errorf("%w: this is an OLE2 file (a legacy .xls workbook or a password-protected .xlsx); save it as .xlsx without a password", ErrNotXLSX))
		}
		return fileErr(path, fmt.Errorf("%w: not a zip archive", ErrNotXLSX))
	}
	zr, err := zip.NewReader(fh, st.Size())
	if err != nil {
		return fileErr(path, fmt.Errorf("%w: %v (the file is probably truncated)", ErrCorrupt, err))
	}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > uint64(lim.MaxDecompressedBytes) || total < zf.UncompressedSize64 {
			return fileErr(path, limitErr("archive declares more than %d uncompressed bytes (zip bomb?)", lim.MaxDecompressedBytes))
		}
	}
	return nil
}

// classify maps excelize and archive errors to this package's sentinels.
func classify(err error) error {
	switch {
	case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrChecksum),
		errors.Is(err, zip.ErrAlgorithm), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	case errors.Is(err, excelize.ErrWorkbookFileFormat):
		return fmt.Errorf("%w: %v", ErrNotXLSX, err)
	case strings.HasPrefix(err.Error(), "unzip size exceeds"):
		return limitErr("%v", err)
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return err
}
