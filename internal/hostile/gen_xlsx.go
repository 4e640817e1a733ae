package hostile

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"html"
	"os"
	"path/filepath"
	"strings"
)

// Hand-made workbooks: writing the zip parts directly gives control over
// what excelize never writes (lying sizes, broken XML, hostile names).

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`

const workbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`

func workbookXML(sheet string) string {
	sheets := ""
	if sheet != "" {
		sheets = fmt.Sprintf(`<sheet name="%s" sheetId="1" r:id="rId1"/>`, html.EscapeString(sheet))
	}
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` + sheets + `</sheets></workbook>`
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
const sheetTail = `</sheetData></worksheet>`

// colName is the letter name of a 1-based column.
func colName(c int) string {
	s := ""
	for c > 0 {
		c--
		s = string(rune('A'+c%26)) + s
		c /= 26
	}
	return s
}

// inlineRow renders a row of inline-string cells; a cell starting with
// "\x00f:" is a formula "\x00f:<expr>\x01<cached>".
func inlineRow(r int, cells []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, r)
	for i, c := range cells {
		ref := fmt.Sprintf("%s%d", colName(i+1), r)
		if expr, ok := strings.CutPrefix(c, "\x00f:"); ok {
			e, cached, _ := strings.Cut(expr, "\x01")
			fmt.Fprintf(&b, `<c r="%s" t="str"><f>%s</f><v>%s</v></c>`, ref, html.EscapeString(e), html.EscapeString(cached))
			continue
		}
		fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, html.EscapeString(c))
	}
	b.WriteString(`</row>`)
	return b.String()
}

// siteSheet is a sheet of siteHeader and n valid rows, with extra rows
// appended.
func siteSheet(n int, extra ...[]string) string {
	var b strings.Builder
	b.WriteString(sheetHead)
	b.WriteString(inlineRow(1, strings.Split(siteHeader, ",")))
	r := 2
	for i := 1; i <= n; i++ {
		b.WriteString(inlineRow(r, siteRow(i, fmt.Sprintf("Site %d", i))))
		r++
	}
	for _, e := range extra {
		b.WriteString(inlineRow(r, e))
		r++
	}
	b.WriteString(sheetTail)
	return b.String()
}

const emptySST = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>`

// part is one zip entry; raw entries carry their own header.
type part struct {
	name string
	data string
}

// writeZip writes parts with Deflate.
func writeZip(path string, parts []part) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			f.Close()
			return err
		}
		if _, err := w.Write([]byte(p.data)); err != nil {
			f.Close()
			return err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// workbook returns the parts of a one-sheet workbook.
func workbook(sheetName, sheetXML, sst string) []part {
	return []part{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"xl/workbook.xml", workbookXML(sheetName)},
		{"xl/_rels/workbook.xml.rels", workbookRels},
		{"xl/worksheets/sheet1.xml", sheetXML},
		{"xl/sharedStrings.xml", sst},
	}
}

func genXLSX(dir, name, sheetName, sheetXML, sst string) (string, error) {
	p := filepath.Join(dir, name)
	return p, writeZip(p, workbook(sheetName, sheetXML, sst))
}

func genTruncatedXLSX(dir string) (string, error) {
	p, err := genXLSX(dir, "truncated.xlsx", "Sites", siteSheet(20), emptySST)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	return p, os.Truncate(p, st.Size()/2)
}

// rawZip writes a workbook whose sheet part has the given compressed data,
// CRC and declared uncompressed size, whatever the data really inflates to.
func rawZip(path string, sheet []byte, declared uint64, crc uint32) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for _, p := range workbook("Sites", "", emptySST) {
		if p.name == "xl/worksheets/sheet1.xml" {
			var c bytes.Buffer
			fw, _ := flate.NewWriter(&c, flate.BestCompression)
			fw.Write(sheet)
			fw.Close()
			w, err := zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: crc,
				CompressedSize64: uint64(c.Len()), UncompressedSize64: declared})
			if err != nil {
				f.Close()
				return err
			}
			w.Write(c.Bytes())
			continue
		}
		w, err := zw.Create(p.name)
		if err != nil {
			f.Close()
			return err
		}
		w.Write([]byte(p.data))
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// genZipBombXLSX declares a 3 TB sheet part (the data itself is small):
// the reader must refuse it from the central directory alone.
func genZipBombXLSX(dir string) (string, error) {
	p := filepath.Join(dir, "zip_bomb.xlsx")
	s := []byte(siteSheet(3))
	return p, rawZip(p, s, 3<<40, crc32.ChecksumIEEE(s))
}

// genLyingXLSX declares 1 KiB for a sheet part that inflates to 8 MiB.
func genLyingXLSX(dir string) (string, error) {
	p := filepath.Join(dir, "lying_sizes.xlsx")
	pad := strings.Repeat(" ", 8<<20)
	s := []byte(strings.Replace(siteSheet(3), "<sheetData>", pad+"<sheetData>", 1))
	return p, rawZip(p, s, 1024, crc32.ChecksumIEEE(s))
}

// genPaddedXLSX is an honest workbook whose sheet inflates to 4 MiB.
func genPaddedXLSX(dir string) (string, error) {
	pad := strings.Repeat(" ", 4<<20)
	return genXLSX(dir, "padded.xlsx", "Sites", strings.Replace(siteSheet(3), "<sheetData>", pad+"<sheetData>", 1), emptySST)
}

// genHugeSST writes a shared-strings table of 1 000 000 strings, of
// which the sheet uses the first 15.
func genHugeSST(dir string) (string, error) {
	p := filepath.Join(dir, "huge_sst.xlsx")
	f, err := os.Create(p)
	if err != nil {
		return "", err
	}
	zw := zip.NewWriter(f)
	const n = 1_000_000
	header := strings.Split(siteHeader, ",")
	rows := [][]string{header}
	for i := 1; i <= 3; i++ {
		rows = append(rows, siteRow(i, fmt.Sprintf("Site %d", i)))
	}
	var strs []string
	idx := map[string]int{}
	var sheet strings.Builder
	sheet.WriteString(sheetHead)
	for r, row := range rows {
		fmt.Fprintf(&sheet, `<row r="%d">`, r+1)
		for c, v := range row {
			k, ok := idx[v]
			if !ok {
				k = len(strs)
				idx[v] = k
				strs = append(strs, v)
			}
			fmt.Fprintf(&sheet, `<c r="%s%d" t="s"><v>%d</v></c>`, colName(c+1), r+1, k)
		}
		sheet.WriteString(`</row>`)
	}
	sheet.WriteString(sheetTail)
	for _, pt := range workbook("Sites", sheet.String(), "") {
		w, err := zw.Create(pt.name)
		if err != nil {
			f.Close()
			return "", err
		}
		if pt.name != "xl/sharedStrings.xml" {
			w.Write([]byte(pt.data))
			continue
		}
		bw := bufio.NewWriterSize(w, 1<<20)
		fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, n, n)
		for i := 0; i < n; i++ {
			if i < len(strs) {
				fmt.Fprintf(bw, `<si><t>%s</t></si>`, html.EscapeString(strs[i]))
				continue
			}
			fmt.Fprintf(bw, `<si><t>unused shared string number %d</t></si>`, i)
		}
		bw.WriteString(`</sst>`)
		if err := bw.Flush(); err != nil {
			f.Close()
			return "", err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return "", err
	}
	return p, f.Close()
}

// genFormulaXLSX has formula cells whose cached values are read, and a
// formula whose cached text is an injection payload.
func genFormulaXLSX(dir string) (string, error) {
	r1 := siteRow(1, "\x00f:cmd|' /C calc'!A0\x01=cmd|' /C calc'!A0")
	r2 := siteRow(2, "Site 2")
	r2[10] = "\x00f:SUM(1,2)\x013"
	r2[11] = "\x00f:K3*4\x0112"
	r3 := siteRow(3, "Site 3")
	r3[11] = "\x00f:WEBSERVICE(\"http://example.invalid/\")\x0140"
	return genXLSX(dir, "formulas.xlsx", "Sites", siteSheet(0, r1, r2, r3), emptySST)
}

func genNotZip(dir string) (string, error) {
	p := filepath.Join(dir, "not_zip.xlsx")
	return p, os.WriteFile(p, []byte(siteHeader+"\n"), 0o644)
}

func genEmptyFile(dir string) (string, error) {
	p := filepath.Join(dir, "empty.xlsx")
	return p, os.WriteFile(p, nil, 0o644)
}

func genNoSheets(dir string) (string, error) {
	return genXLSX(dir, "no_sheets.xlsx", "", siteSheet(3), emptySST)
}

func genBigCellXLSX(dir string) (string, error) {
	return genXLSX(dir, "big_cell.xlsx", "Sites", siteSheet(2, siteRow(3, strings.Repeat("z", 2<<20))), emptySST)
}

func genBadXML(dir string) (string, error) {
	return genXLSX(dir, "bad_xml.xlsx", "Sites", "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Country Code</t></is></c></row><row", emptySST)
}

func genHostileSheetName(dir string) (string, error) {
	return genXLSX(dir, "sheet_name.xlsx", "../../x", siteSheet(3), emptySST)
}
