# portalctl — see README.md. `make demo` and `make test` are the two set-up commands.
SHELL := /bin/bash
GO    ?= go
BIN   ?= bin

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo none)
DATE    ?= $(shell git log -1 --format=%cs 2>/dev/null || echo unknown)
PKG_BUILDINFO := github.com/portalctl/portalctl/internal/buildinfo
LDFLAGS := -s -w -X $(PKG_BUILDINFO).Version=$(VERSION) -X $(PKG_BUILDINFO).Commit=$(COMMIT) -X $(PKG_BUILDINFO).Date=$(DATE)

# Tests run in parallel packages; -race on the whole tree stays well inside CI's budget.
TESTFLAGS ?= -race -count=1 -timeout 10m

.PHONY: all build test demo lint fmt-check vet clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/portalctl ./cmd/portalctl
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/portald ./cmd/portald

test: fmt-check vet
	$(GO) test $(TESTFLAGS) ./...

demo: build
	./scripts/demo.sh

lint: fmt-check vet
	$(GO) run honnef.co/go/tools/cmd/staticcheck@2025.1.1 ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

clean:
	rm -rf $(BIN)
