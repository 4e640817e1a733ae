package report_test

import (
	"bytes"
	"encoding/csv"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// pageTable is one chart's table as the HTML page shows it, read back with
// an HTML parser: the column names (th data-name) and the cells, with
// thousands separators removed, "–" as "" and "suppressed" kept.
type pageTable struct {
	cols []string
	rows [][]string
	csv  [][]string // the CSV download of the same chart, decoded
}

// get returns the cells of column c, in row order.
func (p *pageTable) col(t *testing.T, c string) []string {
	t.Helper()
	for i, name := range p.cols {
		if name == c {
			out := make([]string, len(p.rows))
			for j, r := range p.rows {
				out[j] = r[i]
			}
			return out
		}
	}
	t.Fatalf("no column %q in %v", c, p.cols)
	return nil
}

// records is the rows as maps by column name.
func (p *pageTable) records() []map[string]string {
	out := make([]map[string]string, len(p.rows))
	for i, r := range p.rows {
		m := map[string]string{}
		for j, c := range p.cols {
			m[c] = r[j]
		}
		out[i] = m
	}
	return out
}

// parsePage reads every chart table of a rendered report, by chart id.
func parsePage(t *testing.T, page []byte) map[string]*pageTable {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("parsing the report: %v", err)
	}
	tables := map[string]*pageTable{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch {
			case n.Data == "table" && attr(n, "data-chart-table") != "":
				tables[attr(n, "data-chart-table")] = readTable(n)
			case n.Data == "a" && attr(n, "download") != "":
				id := strings.TrimSuffix(strings.TrimPrefix(attr(n, "download"), "dtm-"), ".csv")
				if tables[id] == nil {
					t.Fatalf("CSV link %s before its table", id)
				}
				tables[id].csv = decodeCSV(t, attr(n, "href"))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return tables
}

func readTable(n *html.Node) *pageTable {
	p := &pageTable{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "th" {
			p.cols = append(p.cols, attr(n, "data-name"))
			return
		}
		if n.Type == html.ElementNode && n.Data == "tr" && n.Parent != nil && n.Parent.Data == "tbody" {
			var row []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.Data == "td" {
					s := strings.TrimSpace(textOf(c))
					switch {
					case s == "–":
						s = ""
					case strings.Contains(attr(c, "class"), "num"):
						s = strings.ReplaceAll(s, ",", "")
					}
					row = append(row, s)
				}
			}
			p.rows = append(p.rows, row)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return p
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textOf(c))
	}
	return b.String()
}

func decodeCSV(t *testing.T, href string) [][]string {
	t.Helper()
	const prefix = "data:text/csv;charset=utf-8,"
	if !strings.HasPrefix(href, prefix) {
		t.Fatalf("CSV link is not a data: URI: %.60s", href)
	}
	raw, err := url.PathUnescape(strings.TrimPrefix(href, prefix))
	if err != nil {
		t.Fatalf("CSV link: %v", err)
	}
	recs, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatalf("CSV link: %v", err)
	}
	return recs
}
