package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iom-dtm/dtm/report"
	"golang.org/x/net/html"
)

// The browser test opens the report in Debian's real headless Chromium
// (installed by scripts/ensure-chromium.sh, which `make test` runs first)
// with networking disabled, and checks that the page logs nothing to the
// console, requests nothing from the network, and draws every chart (an
// SVG with at least one coloured mark per non-zero value). It saves the
// page and a full-page screenshot as artifacts: $DTM_REPORT_ARTIFACTS, or
// report/testdata/artifacts (ignored by git).
//
// Without Chromium the test skips with a loud message, or fails when
// DTM_REQUIRE_CHROMIUM=1.

// chromiumPath finds the browser: $DTM_CHROMIUM, then chromium or
// chromium-browser on PATH.
func chromiumPath() string {
	if p := os.Getenv("DTM_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// palette is report/echarts.go's series colours: a path filled or stroked
// with one of them is a data mark (bar, point, line), not an axis or grid.
var markColour = regexp.MustCompile(`(?i)(fill|stroke)="(#0072B2|#E69F00|#009E73|#CC79A7|#56B4E9|#D55E00|#F0E442|#000000)"`)

func TestReportInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the browser test (about a minute in Chromium) runs in make test")
	}
	bin := chromiumPath()
	if bin == "" {
		msg := "\n################################################################\n" +
			"## CHROMIUM NOT FOUND: the report browser test is SKIPPED.\n" +
			"## Install it with scripts/ensure-chromium.sh (make test runs it),\n" +
			"## or set DTM_CHROMIUM to a Chromium binary.\n" +
			"################################################################"
		if os.Getenv("DTM_REQUIRE_CHROMIUM") == "1" {
			t.Fatal(msg)
		}
		fmt.Fprintln(os.Stderr, msg)
		t.Skip(msg)
	}
	db := openFixture(t)
	ctx := context.Background()
	model, err := report.Build(ctx, db, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := report.Write(model, &page); err != nil {
		t.Fatal(err)
	}
	checkNoExternalReferences(t, page.Bytes())

	dir := artifactsDir(t)
	htmlPath := filepath.Join(dir, "report.html")
	if err := os.WriteFile(htmlPath, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	isolate := networkNamespace()
	if !isolate {
		t.Log("no network namespace here (unshare -n failed): networking is disabled by Chromium's proxy and resolver flags only")
	}

	// 1. The DOM after the scripts ran, the console and the network log.
	netlog := filepath.Join(work, "netlog.json")
	dom, stderr := runChromium(t, bin, isolate, work, "--enable-logging=stderr", "--v=0", "--log-net-log="+netlog,
		"--dump-dom", fileURL(htmlPath))
	var console []string
	for _, line := range strings.Split(stderr, "\n") {
		// Chromium's own pages (source: chrome://…, e.g. a "slow network"
		// notice of its UI under a loaded machine) are not the report's.
		if strings.Contains(line, ":CONSOLE") && !strings.Contains(line, "source: chrome://") {
			console = append(console, line)
		}
	}
	if len(console) > 0 {
		t.Errorf("the page wrote to the console:\n%s", strings.Join(console, "\n"))
	}
	checkNoPageRequests(t, netlog)
	checkChartsDrawn(t, model, dom)

	// 2. A full-page screenshot (a tall window, cropped to the content).
	shot := filepath.Join(work, "shot.png")
	runChromium(t, bin, isolate, work, "--window-size=1400,20000", "--hide-scrollbars", "--screenshot="+shot, fileURL(htmlPath))
	out := filepath.Join(dir, "report.png")
	if err := cropPNG(shot, out); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	t.Logf("report and screenshot saved: %s, %s", htmlPath, out)
}

// artifactsDir is where the page and screenshot are kept after the test.
func artifactsDir(t *testing.T) string {
	dir := os.Getenv("DTM_REPORT_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// networkNamespace reports whether Chromium can run in a new network
// namespace (no interfaces but a down loopback): true networking off.
func networkNamespace() bool {
	return exec.Command("unshare", "-n", "true").Run() == nil
}

// runChromium runs headless Chromium with networking disabled (a network
// namespace when available; always an unreachable proxy and a resolver
// that resolves nothing) and returns its stdout and stderr.
func runChromium(t *testing.T, bin string, isolate bool, work string, args ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
		"--disable-extensions", "--user-data-dir=" + filepath.Join(work, "profile"),
		"--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=10000"}
	argv := append(base, args...)
	name := bin
	if isolate {
		name, argv = "unshare", append([]string{"-n", bin}, argv...)
	}
	cmd := exec.CommandContext(ctx, name, argv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, lastLines(stderr.String(), 20))
	}
	return stdout.String(), stderr.String()
}

func fileURL(path string) string { return "file://" + filepath.ToSlash(path) }

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// checkNoExternalReferences: no element loads anything by URL (scripts,
// styles, images, fonts, frames); only in-page anchors and data: URIs.
func checkNoExternalReferences(t *testing.T, page []byte) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				switch a.Key {
				case "src", "srcset", "poster", "data", "action", "formaction":
					t.Errorf("<%s %s=%.80q>: the page must load nothing", n.Data, a.Key, a.Val)
				case "href":
					if !strings.HasPrefix(a.Val, "#") && !strings.HasPrefix(a.Val, "data:text/csv") {
						t.Errorf("<%s href=%.80q>: only in-page links and CSV data: URIs", n.Data, a.Val)
					}
				}
			}
			if n.Data == "link" || n.Data == "iframe" || n.Data == "img" {
				t.Errorf("<%s> in the page", n.Data)
			}
			if n.Data == "style" && n.FirstChild != nil && regexp.MustCompile(`(?i)url\(|@import`).MatchString(n.FirstChild.Data) {
				t.Errorf("the stylesheet loads a URL")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// checkNoPageRequests reads Chromium's network log: the page (origin
// file://) must not have started any request. Chromium's own background
// requests, if any, are not the page's and fail anyway.
func checkNoPageRequests(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("network log: %v", err)
	}
	var log struct {
		Events []struct {
			Params map[string]any `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		// Chromium may leave the final "]}" off when it exits at once.
		if err := json.Unmarshal(append(bytes.TrimRight(bytes.TrimSpace(b), ","), []byte("]}")...), &log); err != nil {
			t.Fatalf("network log: %v", err)
		}
	}
	for _, e := range log.Events {
		u, _ := e.Params["url"].(string)
		if u == "" || strings.HasPrefix(u, "file:") || strings.HasPrefix(u, "data:") {
			continue
		}
		nik, _ := e.Params["network_isolation_key"].(string)
		init, _ := e.Params["initiator"].(string)
		if strings.Contains(nik, "file://") || init == "null" {
			t.Errorf("the page requested %s", u)
		}
	}
}

// checkChartsDrawn reads the DOM Chromium dumped after the scripts ran:
// every chart of the model with an option has its box, marked drawn, with
// one SVG holding at least one coloured mark per non-zero value (per line
// for line charts).
func checkChartsDrawn(t *testing.T, model *report.Report, dom string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(dom))
	if err != nil {
		t.Fatal(err)
	}
	boxes := map[string]*html.Node{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && attr(n, "data-chart") != "" {
			boxes[attr(n, "data-chart")] = n
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	want := 0
	for _, s := range model.Sections {
		for _, c := range s.Charts {
			if c.Option == nil {
				continue
			}
			want++
			box := boxes[c.ID]
			if box == nil {
				t.Errorf("chart %s: no box in the page", c.ID)
				continue
			}
			if d := attr(box, "data-drawn"); d != "true" {
				t.Errorf("chart %s: data-drawn=%q: %s", c.ID, d, textOf(box))
				continue
			}
			var svg bytes.Buffer
			svgs := 0
			var find func(n *html.Node)
			find = func(n *html.Node) {
				if n.Type == html.ElementNode && n.Data == "svg" {
					svgs++
					html.Render(&svg, n)
					return
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					find(c)
				}
			}
			find(box)
			marks := len(markColour.FindAllString(svg.String(), -1))
			paths := strings.Count(svg.String(), "<path")
			if svgs != 1 || marks < expectedMarks(c.Option) {
				t.Errorf("chart %s: %d svg, %d paths, %d coloured marks; want 1 svg and at least %d marks", c.ID, svgs, paths, marks, expectedMarks(c.Option))
			} else {
				t.Logf("chart %s: %d paths, %d coloured marks", c.ID, paths, marks)
			}
		}
	}
	if want == 0 {
		t.Fatal("the fixture report has no chart to draw")
	}
	if len(boxes) != want {
		t.Errorf("%d chart boxes in the page, %d charts with options", len(boxes), want)
	}
}

// expectedMarks is the fewest data marks a chart draws: a bar or point per
// non-zero value, a path per line.
func expectedMarks(option map[string]any) int {
	n := 0
	ss, _ := option["series"].([]any)
	for _, s := range ss {
		m := s.(map[string]any)
		if m["type"] == "line" {
			n++
			continue
		}
		data, _ := m["data"].([]any)
		for _, d := range data {
			switch v := d.(type) {
			case float64:
				if v != 0 {
					n++
				}
			case map[string]any:
				n++
			}
		}
	}
	return n
}

// cropPNG writes src cropped to its content: the white rows under the
// page's end are cut (20 px kept).
func cropPNG(src, dst string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return err
	}
	b := img.Bounds()
	last := b.Min.Y
	for y := b.Max.Y - 1; y >= b.Min.Y && last == b.Min.Y; y-- {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				last = y
				break
			}
		}
	}
	h := min(last+20, b.Max.Y) - b.Min.Y
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), h))
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	w, err := os.Create(dst)
	if err != nil {
		return err
	}
	if err := png.Encode(w, out); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
