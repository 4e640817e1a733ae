package xlsx

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
)

// maxSmallPart bounds the package parts read whole with encoding/xml
// (workbook.xml and relationship parts).
const maxSmallPart = 32 << 20

// partMap locates the XML parts of a workbook inside its zip archive.
type partMap struct {
	files  map[string]*zip.File // by normalised entry name
	sheets map[string]string    // sheet name -> entry name
	sst    string               // shared strings entry, "" if none
	styles string               // styles entry, "" if none
	// date1904 is set when workbook.xml says the workbook counts dates
	// from 1904 (workbookPr date1904="1").
	date1904 bool
	order    []string        // sheet names in workbook order
	hidden   map[string]bool // sheets with state hidden or veryHidden
}

// complete reports whether every listed sheet was resolved to a part.
func (pm *partMap) complete() bool {
	if len(pm.order) == 0 {
		return false
	}
	for _, name := range pm.order {
		if _, ok := pm.sheets[name]; !ok {
			return false
		}
	}
	return true
}

// normPart normalises a zip entry name for lookup: forward slashes, no
// leading slash, lower case (Excel treats part names case-insensitively).
func normPart(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, "\\", "/"), "/"))
}

// xRels is a relationships part.
type xRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// xWorkbook is the part of workbook.xml that lists the sheets and gives
// the date system.
type xWorkbook struct {
	Pr *struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []struct {
		Name  string `xml:"name,attr"`
		RID   string `xml:"id,attr"` // r:id, in whatever namespace
		State string `xml:"state,attr"`
	} `xml:"sheets>sheet"`
}

// resolveParts reads the package relationships and workbook.xml to map
// sheet names to worksheet parts. Parts it cannot resolve are left out;
// callers then fall back to excelize (see partMap.complete).
func resolveParts(zr *zip.Reader) (partMap, error) {
	pm := partMap{files: make(map[string]*zip.File, len(zr.File)), sheets: map[string]string{}, hidden: map[string]bool{}}
	for _, f := range zr.File {
		pm.files[normPart(f.Name)] = f
	}
	wbPath := "xl/workbook.xml"
	var root xRels
	if err := pm.decode("_rels/.rels", &root); err == nil {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wbPath = resolveTarget("", r.Target)
			}
		}
	}
	var wb xWorkbook
	if err := pm.decode(wbPath, &wb); err != nil {
		return pm, err
	}
	pm.date1904 = wb.Pr != nil && xmlTrue(wb.Pr.Date1904)
	dir := path.Dir(wbPath)
	var rels xRels
	if err := pm.decode(path.Join(dir, "_rels", path.Base(wbPath)+".rels"), &rels); err != nil {
		return pm, err
	}
	targets := map[string]string{}
	for _, r := range rels.Rels {
		t := resolveTarget(dir, r.Target)
		targets[r.ID] = t
		switch {
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			pm.sst = t
		case strings.HasSuffix(r.Type, "/styles"):
			pm.styles = t
		}
	}
	for _, s := range wb.Sheets {
		pm.order = append(pm.order, s.Name)
		pm.hidden[s.Name] = s.State == "hidden" || s.State == "veryHidden"
		if t, ok := targets[s.RID]; ok && pm.files[normPart(t)] != nil {
			pm.sheets[s.Name] = t
		}
	}
	return pm, nil
}

// resolveTarget resolves a relationship target against the source part's
// directory.
func resolveTarget(dir, target string) string {
	target = strings.ReplaceAll(target, "\\", "/")
	if strings.HasPrefix(target, "/") {
		return path.Clean(target)[1:]
	}
	return strings.TrimPrefix(path.Join(dir, target), "/")
}

// open opens a part for streaming.
func (pm *partMap) open(name string) (io.ReadCloser, error) {
	f := pm.files[normPart(name)]
	if f == nil {
		return nil, fmt.Errorf("%w: missing part %s", ErrCorrupt, name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: part %s: %v", ErrCorrupt, name, err)
	}
	return rc, nil
}

// decode unmarshals a small XML part.
func (pm *partMap) decode(name string, v any) error {
	rc, err := pm.open(name)
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }()
	if err := xml.NewDecoder(io.LimitReader(rc, maxSmallPart)).Decode(v); err != nil {
		return fmt.Errorf("%w: part %s: %v", ErrCorrupt, name, err)
	}
	return nil
}

// xmlTrue reads an xsd:boolean attribute ("1" or "true").
func xmlTrue(v string) bool {
	v = strings.TrimSpace(v)
	return v == "1" || strings.EqualFold(v, "true")
}
