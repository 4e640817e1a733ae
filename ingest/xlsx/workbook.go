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

// workbook is an open XLSX file. Sheets are listed from workbook.xml and
// rows streamed by fastRows straight from the zip archive. When the package
// layout cannot be resolved that way (or useExcelize is set, for tests),
// excelize lists the sheets and streams their rows instead.
type workbook struct {
	path        string
	lim         ingest.Limits
	fh          *os.File // the archive
	parts       partMap
	sheets      []string
	hidden      map[string]bool
	f           *excelize.File // nil unless excelize is used
	useExcelize bool
	styles      *styleTable // which cell formats are dates (nil: none)
	date1904    bool        // the workbook counts dates from 1904
	refs        int         // open readers sharing the workbook

	strs    []string // shared strings, loaded on first use
	strsErr error
	strsOK  bool
}

// openWorkbook checks the file against the limits and opens it. Every
// panic (from excelize or our parsers) becomes an error naming the file.
func openWorkbook(path string, lim ingest.Limits, useExcelize bool) (wb *workbook, err error) {
	defer recoverErr(&err, path, "")
	fh, zr, err := precheck(path, lim)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = fh.Close()
		}
	}()
	wb = &workbook{path: path, lim: lim, fh: fh, useExcelize: useExcelize}
	wb.parts, err = resolveParts(zr)
	wb.styles = loadStyles(&wb.parts)
	if err == nil && wb.parts.complete() && !useExcelize {
		wb.sheets, wb.hidden, wb.date1904 = wb.parts.order, wb.parts.hidden, wb.parts.date1904
		return wb, nil
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
	wb.f, wb.sheets, wb.hidden = f, f.GetSheetList(), map[string]bool{}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		wb.date1904 = *props.Date1904
	}
	for _, name := range wb.sheets {
		if vis, err := f.GetSheetVisible(name); err == nil && !vis {
			wb.hidden[name] = true
		}
	}
	if len(wb.sheets) == 0 {
		_ = f.Close()
		return nil, fileErr(path, fmt.Errorf("%w: the workbook lists no worksheets", ErrCorrupt))
	}
	return wb, nil
}

// sharedStrings loads the shared strings table once.
func (wb *workbook) sharedStrings() ([]string, error) {
	if !wb.strsOK {
		wb.strsOK = true
		wb.strs, wb.strsErr = loadSharedStrings(&wb.parts, rawTextLimit(wb.lim))
	}
	return wb.strs, wb.strsErr
}

// openRows starts streaming the rows of a sheet.
func (wb *workbook) openRows(sheet string) (rowSource, error) {
	if part, ok := wb.parts.sheets[sheet]; ok && !wb.useExcelize {
		src, err := openFastRows(wb, sheet, part)
		if err != nil {
			return nil, err
		}
		return &gapFiller{src: src}, nil
	}
	if wb.f == nil {
		return nil, sheetErr(wb.path, sheet, fmt.Errorf("%w: worksheet part not found", ErrCorrupt))
	}
	src, err := openExcelizeRows(wb, sheet)
	if err != nil {
		return nil, err
	}
	return &gapFiller{src: src}, nil
}

// close releases the archive and excelize's temporary files.
func (wb *workbook) close() (err error) {
	defer recoverErr(&err, wb.path, "")
	err = wb.fh.Close()
	if wb.f != nil {
		err = errors.Join(err, wb.f.Close())
	}
	return err
}

// zipMagic starts every zip archive with at least one entry.
var zipMagic = []byte("PK\x03\x04")

// precheck enforces MaxFileBytes and MaxDecompressedBytes (on the sizes the
// zip directory declares; archive/zip then refuses to inflate an entry past
// its declared size) and tells a non-zip file from a truncated one.
// On success the caller owns the open file.
func precheck(path string, lim ingest.Limits) (fh *os.File, zr *zip.Reader, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err // already names the file
	}
	defer func() {
		// Not fh: the error returns below set it to nil before this runs.
		if err != nil {
			_ = f.Close()
		}
	}()
	fh = f
	st, err := fh.Stat()
	if err != nil {
		return nil, nil, fileErr(path, err)
	}
	if st.IsDir() {
		return nil, nil, fileErr(path, fmt.Errorf("%w: is a directory", ErrNotXLSX))
	}
	if st.Size() > lim.MaxFileBytes {
		return nil, nil, fileErr(path, limitErr("file has %d bytes, limit %d", st.Size(), lim.MaxFileBytes))
	}
	head := make([]byte, 8)
	n, _ := io.ReadFull(fh, head)
	head = head[:n]
	if !bytes.HasPrefix(head, zipMagic) {
		if bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
			return nil, nil, fileErr(path, fmt.Errorf("%w: this is an OLE2 file (a legacy .xls workbook or a password-protected .xlsx); save it as .xlsx without a password", ErrNotXLSX))
		}
		return nil, nil, fileErr(path, fmt.Errorf("%w: not a zip archive", ErrNotXLSX))
	}
	zr, err = zip.NewReader(fh, st.Size())
	if err != nil {
		return nil, nil, fileErr(path, fmt.Errorf("%w: %v (the file is probably truncated)", ErrCorrupt, err))
	}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > uint64(lim.MaxDecompressedBytes) || total < zf.UncompressedSize64 {
			return nil, nil, fileErr(path, limitErr("archive declares more than %d uncompressed bytes (zip bomb?)", lim.MaxDecompressedBytes))
		}
	}
	return fh, zr, nil
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
