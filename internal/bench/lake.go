package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/iom-dtm/dtm/internal/bench/synth"
	"github.com/iom-dtm/dtm/query"
)

// lakeBucket is the bucket of the bench's S3 server.
const lakeBucket = "bench"

// s3Server is an S3 API on loopback for the object-store comparison:
// gofakes3 with its in-memory backend, in the bench process (the dtm
// children it serves are measured, not it).
type s3Server struct {
	url  string
	srv  *http.Server
	done chan error
}

func startS3() (*s3Server, error) {
	backend := s3mem.New()
	if err := backend.CreateBucket(lakeBucket); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &s3Server{url: "http://" + ln.Addr().String(), srv: &http.Server{Handler: gofakes3.New(backend).Server(), ReadHeaderTimeout: 10 * time.Second}, done: make(chan error, 1)}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

func (s *s3Server) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(ctx)
	<-s.done
}

// lakeInput is one input of the comparison: how to fill the local
// warehouse with it.
type lakeInput struct {
	name string   // short name: directories, object prefix, table line
	args []string // dtm arguments that fill --warehouse (ingest or run), without --warehouse
}

// lakeResult compares one input's local and object-store warehouses.
type lakeResult struct {
	name string
	rows string // site_assessment rows (as dtm query prints them)
	// ingest fills the local warehouse; publish copies it to s3:// (a
	// run straight into s3:// is measured instead when dtm has it: not
	// yet).
	ingest, publish measurement
	// firstLocal and firstLake are the first read of each warehouse
	// (dtm query of the row count): for s3:// it plans the pinned
	// snapshots and fetches every file into the empty local cache.
	firstLocal, firstLake measurement
	// figLocal and figLake are `dtm figures NAME --format csv` of every
	// standard figure, one child each (the s3:// cache then warm).
	figLocal, figLake []measurement
	figures           int
	differ            []string // figures (or the row count) whose output differs
	err               string
}

// lakeCompare fills a local warehouse with in, publishes it to the S3
// server with a SQLite catalog, and runs the same reads on both
// warehouses in child processes, comparing their outputs byte for byte.
// A failure is reported in the result, not fatal.
func lakeCompare(ctx context.Context, cfg config, s3 *s3Server, in lakeInput) (r lakeResult) {
	r.name = in.name
	dir := filepath.Join(cfg.out, "lake-"+in.name)
	os.RemoveAll(dir)
	defer os.RemoveAll(dir)
	wh := filepath.Join(dir, "warehouse")
	loc := "s3://" + lakeBucket + "/" + in.name
	env := []string{
		"AWS_ENDPOINT_URL=" + s3.url, "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=bench", "AWS_SECRET_ACCESS_KEY=bench-secret",
		"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"), // the s3:// read cache starts empty
		"DTM_CATALOG=sqlite:" + filepath.Join(dir, "catalog.db"),
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		r.err = err.Error()
		return r
	}
	dtm := func(okExit []int, args ...string) (measurement, error) {
		return runChildEnv(ctx, env, okExit, cfg.dtm, append(args, "--quiet")...)
	}
	var err error
	logf("object store, %s: dtm %s (local warehouse)", in.name, in.args[0])
	if r.ingest, err = dtm([]int{3}, append(in.args, "--warehouse", wh)...); err != nil {
		r.err = firstLine(err.Error())
		return r
	}
	logf("object store, %s: dtm warehouse publish --to %s", in.name, loc)
	if r.publish, err = dtm(nil, "warehouse", "publish", "--warehouse", wh, "--to", loc); err != nil {
		r.err = firstLine(err.Error())
		return r
	}
	count := []string{"query", "--format", "csv", "SELECT count(*) FROM site_assessment"}
	if r.firstLocal, err = dtm(nil, append(count, "--warehouse", wh)...); err != nil {
		r.err = firstLine(err.Error())
		return r
	}
	if r.firstLake, err = dtm(nil, append(count, "--warehouse", loc)...); err != nil {
		r.err = firstLine(err.Error())
		return r
	}
	r.rows = strings.TrimSpace(lastLine(string(r.firstLocal.stdout)))
	if !bytes.Equal(r.firstLocal.stdout, r.firstLake.stdout) {
		r.differ = append(r.differ, "count(*)")
	}
	figs, err := query.Figures()
	if err != nil {
		r.err = err.Error()
		return r
	}
	for _, f := range figs {
		logf("object store, %s: dtm figures %s (local, then s3://)", in.name, f.Name)
		args := []string{"figures", f.Name, "--format", "csv"}
		l, lerr := dtm(nil, append(args, "--warehouse", wh)...)
		o, oerr := dtm(nil, append(args, "--warehouse", loc)...)
		if err := errors.Join(lerr, oerr); err != nil {
			r.err = firstLine(err.Error())
			return r
		}
		r.figLocal, r.figLake = append(r.figLocal, l), append(r.figLake, o)
		r.figures++
		if !bytes.Equal(l.stdout, o.stdout) {
			r.differ = append(r.differ, f.Name)
		}
	}
	return r
}

// lakeInputs are the inputs of the comparison: the bundled sample (the
// example job of `dtm run`) and, when rows > 0, the synthetic site
// assessment CSV of that many rows (generated as the CSV sizes are).
func lakeInputs(cfg config, rows int) ([]lakeInput, error) {
	ins := []lakeInput{{name: "sample", args: []string{"run"}}}
	if rows > 0 {
		path, err := ensure(siteCSVPath(cfg.out, rows), func(tmp string) error {
			logf("generating %d-row site assessment CSV", rows)
			return writeFileWith(tmp, func(f *os.File) error { return synth.WriteSiteCSV(f, rows) })
		})
		if err != nil {
			return nil, err
		}
		ins = append(ins, lakeInput{name: fmt.Sprintf("synthetic-%d", rows), args: []string{"ingest", "--kind", "site_assessment", path}})
	}
	return ins, nil
}

// sumWall is the total wall time of children.
func sumWall(ms []measurement) time.Duration {
	var d time.Duration
	for _, m := range ms {
		d += m.wall
	}
	return d
}

// runLake runs the object-store comparison on every input with one S3
// server.
func runLake(ctx context.Context, cfg config) ([]lakeResult, error) {
	ins, err := lakeInputs(cfg, cfg.lakeRows)
	if err != nil {
		return nil, err
	}
	s3, err := startS3()
	if err != nil {
		return nil, err
	}
	defer s3.stop()
	var out []lakeResult
	for _, in := range ins {
		out = append(out, lakeCompare(ctx, cfg, s3, in))
	}
	return out, nil
}

// printLake writes the comparison table.
func printLake(w io.Writer, rs []lakeResult) {
	fmt.Fprintln(w, "Local vs object-store warehouse (the same files; S3: gofakes3 on loopback, in memory; catalog: SQLite). One dtm child per step: wall s (CPU s: user + system, what the step cost when other load inflates wall time) / peak RSS. "+
		"First read: `dtm query` of the row count (for s3:// it plans the pinned snapshots and fetches every file into the empty cache); "+
		"figures: every standard figure, `dtm figures NAME --format csv`, one child each (sums of wall and CPU, max RSS), outputs compared byte for byte.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| input | site rows | local: ingest | s3: publish | local: first read | s3: first read (fetch) | local: figures | s3: figures | same output |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---|")
	cell := func(m measurement) string {
		return fmt.Sprintf("%.2f s (CPU %.2f) / %s", m.wall.Seconds(), m.cpu.Seconds(), human(m.maxRSS))
	}
	cells := func(ms []measurement) string {
		var cpu time.Duration
		for _, m := range ms {
			cpu += m.cpu
		}
		return fmt.Sprintf("%.2f s (CPU %.2f) / %s", sumWall(ms).Seconds(), cpu.Seconds(), human(maxRSS(ms)))
	}
	for _, r := range rs {
		if r.err != "" {
			fmt.Fprintf(w, "| %s | error: %s | | | | | | | |\n", r.name, strings.ReplaceAll(r.err, "|", "/"))
			continue
		}
		same := fmt.Sprintf("yes (%d figures + row count)", r.figures)
		if len(r.differ) > 0 {
			same = "NO: " + strings.Join(r.differ, ", ")
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.name, r.rows,
			cell(r.ingest), cell(r.publish), cell(r.firstLocal), cell(r.firstLake), cells(r.figLocal), cells(r.figLake), same)
	}
}
