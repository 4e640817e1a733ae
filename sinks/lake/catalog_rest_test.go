package lake_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/catalog"
	"github.com/apache/iceberg-go/table"

	"github.com/iom-dtm/dtm/schemas"
	"github.com/iom-dtm/dtm/sinks/lake"
)

// restEndpoints are the Iceberg REST catalog endpoints dtm uses (publish
// and read): restFacade advertises exactly these in /v1/config, so
// iceberg-go's client refuses to call any other.
var restEndpoints = []string{
	"GET /v1/{prefix}/namespaces/{namespace}",
	"POST /v1/{prefix}/namespaces",
	"GET /v1/{prefix}/namespaces/{namespace}/tables/{table}",
	"POST /v1/{prefix}/namespaces/{namespace}/tables",
	"POST /v1/{prefix}/namespaces/{namespace}/tables/{table}",
}

// restFacade is NOT a REST catalog server: it is a test double that
// answers only restEndpoints, each by calling iceberg-go's SQL catalog
// (SQLite) behind it, so that dtm's REST path (lake.OpenCatalog with an
// http:// URL, iceberg-go's REST client) runs end to end against real
// catalog semantics (metadata written by the catalog, compare-and-swap on
// commit mapped to 409). No real REST catalog server can run offline here
// (the reference one is Java, from Maven). It records the endpoints hit.
type restFacade struct {
	t   *testing.T
	cat catalog.Catalog

	mu  sync.Mutex
	hit map[string]int
}

func newRESTFacade(t *testing.T, loc lake.Location, env lake.S3Env) *httptest.Server {
	t.Helper()
	cat, err := lake.OpenCatalog(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "rest-backing.db"), loc, env.IcebergProps())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lake.CloseCatalog(cat) })
	f := &restFacade{t: t, cat: cat, hit: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/config", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusOK, map[string]any{"defaults": map[string]string{}, "overrides": map[string]string{}, "endpoints": restEndpoints})
	})
	mux.HandleFunc("GET /v1/namespaces/{ns}", f.count(restEndpoints[0], f.loadNamespace))
	mux.HandleFunc("POST /v1/namespaces", f.count(restEndpoints[1], f.createNamespace))
	mux.HandleFunc("GET /v1/namespaces/{ns}/tables/{tbl}", f.count(restEndpoints[2], f.loadTable))
	mux.HandleFunc("POST /v1/namespaces/{ns}/tables", f.count(restEndpoints[3], f.createTable))
	mux.HandleFunc("POST /v1/namespaces/{ns}/tables/{tbl}", f.count(restEndpoints[4], f.commitTable))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("REST facade: unexpected %s %s", r.Method, r.URL.Path)
		restError(w, http.StatusNotImplemented, "NotImplemented", "not served by the test facade")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		var used []string
		for e, n := range f.hit {
			if n > 0 {
				used = append(used, e)
			}
		}
		sort.Strings(used)
		t.Logf("REST endpoints used: %s", strings.Join(used, "; "))
	})
	return srv
}

func (f *restFacade) count(e string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.hit[e]++
		f.mu.Unlock()
		h(w, r)
	}
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func restError(w http.ResponseWriter, status int, typ, msg string) {
	reply(w, status, map[string]any{"error": map[string]any{"message": msg, "type": typ, "code": status}})
}

func (f *restFacade) fail(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, catalog.ErrNoSuchNamespace):
		restError(w, http.StatusNotFound, "NoSuchNamespaceException", err.Error())
	case errors.Is(err, catalog.ErrNoSuchTable):
		restError(w, http.StatusNotFound, "NoSuchTableException", err.Error())
	case errors.Is(err, catalog.ErrNamespaceAlreadyExists), errors.Is(err, catalog.ErrTableAlreadyExists):
		restError(w, http.StatusConflict, "AlreadyExistsException", err.Error())
	case errors.Is(err, table.ErrCommitFailed), strings.Contains(err.Error(), "requirement failed"):
		restError(w, http.StatusConflict, "CommitFailedException", err.Error())
	default:
		f.t.Errorf("REST facade: %v", err)
		restError(w, http.StatusBadRequest, "BadRequestException", err.Error())
	}
}

func (f *restFacade) loadNamespace(w http.ResponseWriter, r *http.Request) {
	ns := r.PathValue("ns")
	props, err := f.cat.LoadNamespaceProperties(r.Context(), table.Identifier{ns})
	if err != nil {
		f.fail(w, err)
		return
	}
	reply(w, http.StatusOK, map[string]any{"namespace": []string{ns}, "properties": props})
}

func (f *restFacade) createNamespace(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Namespace  []string           `json:"namespace"`
		Properties iceberg.Properties `json:"properties"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		f.fail(w, err)
		return
	}
	if err := f.cat.CreateNamespace(r.Context(), req.Namespace, req.Properties); err != nil {
		f.fail(w, err)
		return
	}
	reply(w, http.StatusOK, map[string]any{"namespace": req.Namespace, "properties": req.Properties})
}

func tableReply(w http.ResponseWriter, tbl *table.Table) {
	reply(w, http.StatusOK, map[string]any{"metadata-location": tbl.MetadataLocation(), "metadata": tbl.Metadata(), "config": map[string]string{}})
}

func (f *restFacade) loadTable(w http.ResponseWriter, r *http.Request) {
	tbl, err := f.cat.LoadTable(r.Context(), table.Identifier{r.PathValue("ns"), r.PathValue("tbl")})
	if err != nil {
		f.fail(w, err)
		return
	}
	tableReply(w, tbl)
}

func (f *restFacade) createTable(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name          string                 `json:"name"`
		Schema        *iceberg.Schema        `json:"schema"`
		Location      string                 `json:"location"`
		PartitionSpec *iceberg.PartitionSpec `json:"partition-spec"`
		Props         iceberg.Properties     `json:"properties"`
		StageCreate   bool                   `json:"stage-create"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		f.fail(w, err)
		return
	}
	if req.StageCreate {
		restError(w, http.StatusBadRequest, "BadRequestException", "staged create is not served by the test facade")
		return
	}
	opts := []catalog.CreateTableOpt{catalog.WithLocation(req.Location), catalog.WithProperties(req.Props)}
	if req.PartitionSpec != nil {
		opts = append(opts, catalog.WithPartitionSpec(req.PartitionSpec))
	}
	tbl, err := f.cat.CreateTable(r.Context(), table.Identifier{r.PathValue("ns"), req.Name}, req.Schema, opts...)
	if err != nil {
		f.fail(w, err)
		return
	}
	tableReply(w, tbl)
}

func (f *restFacade) commitTable(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Requirements table.Requirements `json:"requirements"`
		Updates      table.Updates      `json:"updates"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		f.fail(w, err)
		return
	}
	ident := table.Identifier{r.PathValue("ns"), r.PathValue("tbl")}
	meta, loc, err := f.cat.CommitTable(r.Context(), ident, req.Requirements, req.Updates)
	if err != nil {
		f.fail(w, err)
		return
	}
	reply(w, http.StatusOK, map[string]any{"metadata-location": loc, "metadata": meta})
}

// TestRESTCatalogPath publishes the sample through a REST catalog URL
// (iceberg-go's REST client, against restFacade) and reads it back:
// the same figures as the local warehouse, an idempotent second publish,
// and iceberg-go's own scan of the table holding dtm's rows.
func TestRESTCatalogPath(t *testing.T) {
	ctx := context.Background()
	root := filepath.Join(t.TempDir(), "wh")
	ingest(t, root, "20260101T000000Z-aaaa", sampleInputs(t, nil))
	env := fakeS3(t)
	loc := lake.Location{Bucket: "lake", Prefix: "rest"}
	srv := newRESTFacade(t, loc, env)
	opts := lake.PublishOptions{Root: root, To: loc.String(), Catalog: srv.URL, Env: env, Registry: schemas.Default()}
	if _, err := lake.Publish(ctx, opts); err != nil {
		t.Fatal(err)
	}
	again, err := lake.Publish(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range again.Tables {
		if tp.Committed {
			t.Errorf("second publish through REST committed %s again", tp.Table)
		}
	}
	v, err := lake.Materialize(ctx, lake.ReadOptions{Location: loc.String(), Catalog: srv.URL, Env: env, Registry: schemas.Default(), CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	local, remote := figureRows(t, root), figureRows(t, v.Root)
	for name, want := range local {
		if got := remote[name]; got != want {
			t.Errorf("%s:\n local %s\n REST  %s", name, want, got)
		}
	}
	cat, err := lake.OpenCatalog(ctx, srv.URL, loc, env.IcebergProps())
	if err != nil {
		t.Fatal(err)
	}
	defer lake.CloseCatalog(cat)
	tbl, err := cat.LoadTable(ctx, table.Identifier{lake.Namespace, "site_assessment"})
	if err != nil {
		t.Fatal(err)
	}
	rows, sum := icebergScan(t, tbl, "idp_individuals")
	if rows != 55 || sum != 116462 {
		t.Fatalf("iceberg scan through REST: %d rows, sum %d; want the sample's 55 rows, 116462", rows, sum)
	}
}
