# dtm — build, run the bundled example, test, benchmark, fuzz.
# Needs Go (1.26+) and a C compiler (cgo, for DuckDB). Modules come from the
# Go module proxy on first build.
GO ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
export CGO_ENABLED = 1
BIN := bin/dtm
WAREHOUSE ?= ./warehouse
FUZZTIME ?= 30s
TMPDIR_OR_TMP := $(or $(TMPDIR),/tmp)
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

STATICCHECK_VERSION := v0.8.2
STATICCHECK := bin/tools/staticcheck-$(STATICCHECK_VERSION)
# versitygw: the real S3 server of the object-store end-to-end test
# (sinks/lake/versitygw_test.go), built once from the module proxy.
VERSITYGW_VERSION := v1.8.0
VERSITYGW := bin/tools/versitygw-$(VERSITYGW_VERSION)

.PHONY: all build run test test-short vet lint bench bench-serve pgo fuzz clean ensure-chromium ensure-postgresql

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/dtm

## run: build, then run the bundled example job on the bundled sample data
run: build
	./$(BIN) run --warehouse $(WAREHOUSE)

vet:
	$(GO) vet ./...

## lint: staticcheck, pinned, installed from the Go module proxy into bin/tools
lint: $(STATICCHECK)
	$(STATICCHECK) ./...

$(STATICCHECK):
	mkdir -p bin/tools
	GOBIN=$(CURDIR)/bin/tools $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	mv bin/tools/staticcheck $(STATICCHECK)

$(VERSITYGW):
	mkdir -p bin/tools
	cd $(TMPDIR_OR_TMP) && GOBIN=$(CURDIR)/bin/tools $(GO) install github.com/versity/versitygw/cmd/versitygw@$(VERSITYGW_VERSION) \
		&& mv $(CURDIR)/bin/tools/versitygw $(CURDIR)/$(VERSITYGW) \
		|| echo "versitygw $(VERSITYGW_VERSION) not built: the object-store end-to-end test builds it or says why it skips"

## test: vet, staticcheck, then every test (unit, layering, golden end-to-end,
## binary-spawning, fuzz seed corpora, the report in headless Chromium): what CI runs
# The tests build everything without cmd/dtm/default.pgo (bin/dtm too): with
# it, bin/dtm's packages and the vet and test builds' were each compiled once
# with and once without the profile (a clean clone's make test took 21 min,
# about 10 of them in go vet). Profile-guided optimisation changes no result.
test test-short: export GOFLAGS += -pgo=off

test: build vet lint ensure-chromium ensure-postgresql $(VERSITYGW)
	DTM_VERSITYGW=$$([ -x $(VERSITYGW) ] && echo $(CURDIR)/$(VERSITYGW)) $(GO) test -count=1 -timeout 20m ./...

## test-short: the quick loop (vet and the tests that skip themselves under -short)
test-short: build vet
	$(GO) test -short -count=1 -timeout 20m ./...

## ensure-chromium: install Debian's chromium for report/browser_test.go (apt-get;
## says so loudly when it cannot, and the browser test then skips)
ensure-chromium:
	scripts/ensure-chromium.sh

## ensure-postgresql: install Debian's postgresql server for the Iceberg catalog test on
## PostgreSQL (apt-get; the test starts its own cluster, and skips saying why when none can be installed)
ensure-postgresql:
	scripts/ensure-postgresql.sh

## pgo: regenerate cmd/dtm/default.pgo, the CPU profile `go build` optimises
## dtm with (profile-guided optimisation): bin/dtm ingesting a 1 M-row site
## assessment CSV, a 100 k-row XLSX and a 100 k-row flow CSV, merged
pgo: build
	$(GO) run ./internal/bench -dtm $(BIN) -rows 1000000 -xlsx-rows 100000 -flow-rows 100000 \
		-out $(TMPDIR_OR_TMP)/dtm-pgo -pgo cmd/dtm/default.pgo

## bench: side-by-side benchmark of dtm against DuckDB, then the dtm serve load test (see README)
bench: build
	$(GO) run ./internal/bench -dtm $(BIN) $(BENCHFLAGS)
	$(MAKE) bench-serve

SERVE_LOAD ?= 20s
SERVE_CLIENTS ?= 32
## bench-serve: dtm serve under SERVE_CLIENTS concurrent clients for SERVE_LOAD while generations are committed
bench-serve:
	DTM_SERVE_LOAD=$(SERVE_LOAD) DTM_SERVE_LOAD_CLIENTS=$(SERVE_CLIENTS) $(GO) test -count=1 -run '^TestLoadWhileCommitting$$' -v ./serve

## fuzz: run every fuzz target for FUZZTIME each
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

clean:
	rm -rf bin $(WAREHOUSE)
