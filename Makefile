# dtm — build, run the bundled example, test, benchmark, fuzz.
# Needs Go (1.26+) and a C compiler (cgo, for DuckDB). Modules come from the
# Go module proxy on first build.
GO ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
export CGO_ENABLED = 1
BIN := bin/dtm
WAREHOUSE ?= ./warehouse
FUZZTIME ?= 30s
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: all build run test vet bench fuzz clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/dtm

## run: build, then run the bundled example job on the bundled sample data
run: build
	./$(BIN) run --warehouse $(WAREHOUSE)

vet:
	$(GO) vet ./...

## test: vet, then every test (unit, golden end-to-end, binary-spawning, fuzz seed corpora)
test: build vet
	$(GO) test -count=1 -timeout 20m ./...

## bench: side-by-side benchmark of dtm against DuckDB (see README)
bench: build
	$(GO) run ./internal/bench -dtm $(BIN) $(BENCHFLAGS)

## fuzz: run every fuzz target for FUZZTIME each
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

clean:
	rm -rf bin $(WAREHOUSE)
