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
TESTFLAGS ?= -race -count=1 -timeout 20m

# The pinned GoReleaser; scripts/goreleaser.sh uses it from PATH or builds it.
GORELEASER_VERSION ?= v2.15.0
export GORELEASER_VERSION

.PHONY: staticcheck bench bench-compare bench-smoke all build test check demo lint fmt-check vet clean completions docs generated-check release-check snapshot openapi-lint package-check package-files

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/portalctl ./cmd/portalctl
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/portald ./cmd/portald

# The gate CI runs (.ci/run): installs nothing. A step whose tool is missing
# (PostgreSQL, gnome-keyring, hyperfine, wrk, npx, …) skips with a line
# saying so, or fails when PORTALCTL_TEST_NO_SKIP=1 (CI sets it).
test: fmt-check vet staticcheck generated-check release-check openapi-lint
	PORTALCTL_LOAD_SECONDS=10 $(GO) test $(TESTFLAGS) ./...
	$(MAKE) bench-smoke
	$(MAKE) fuzz

# The quick loop while you work: gofmt, go vet and every test once, without
# the race detector, staticcheck, the benchmark smoke run and fuzzing.
check: fmt-check vet
	$(GO) test -count=1 ./...

# spectral (its spectral:oas rules) and redocly on api/openapi.yaml, at the
# versions pinned in the script, through npx.
openapi-lint:
	./scripts/openapi-lint.sh

# The linux/amd64 .deb built by GoReleaser from .goreleaser.yaml, checked as
# Debian would: lintian, and systemd-analyze verify and security on its unit.
# .ci/run runs it after make test.
package-check:
	./scripts/package-check.sh

# Every benchmark with its target, one table (bench/RESULTS.md keeps the
# latest). Takes several minutes: it builds million-row data sets.
bench: build
	./bench/run.sh

# The suite on the merge base with BASE (default main) and on the working
# tree, on this machine in one go, with the ratios; rows more than 10 %
# worse are flagged (and it exits 1). CONTRIBUTING.md says when to run it.
bench-compare:
	./bench/compare.sh

# The bench scripts on tiny inputs, so they keep working; figures mean nothing.
bench-smoke: build
	SMOKE=1 ./bench/run.sh

# Every native fuzz target, one after another (the seeds in each package's
# testdata/fuzz/ also run in plain `go test`). Each target gets a number of
# executions, not a duration: with a wall-clock -fuzztime, Go 1.26's fuzz
# coordinator can fail a clean run with "context deadline exceeded" and no
# crasher when the deadline meets a busy worker (go.dev/issue/75804, fixed in
# Go 1.27; it failed our CI once). The counts are about 4 s of each target on
# a 2-core CI machine; FUZZSCALE multiplies them for a longer hunt. New inputs
# are minimized for at most FUZZMINIMIZETIME: Go's default of 60 s would spend
# a short run on the first interesting input.
FUZZSCALE ?= 1
FUZZMINIMIZETIME ?= 1s
fuzz_target = $(GO) test -run '^$$' -fuzz '^$(1)$$' -fuzztime $$(( $(2) * $(FUZZSCALE) ))x -fuzzminimizetime $(FUZZMINIMIZETIME) $(3)

.PHONY: fuzz
fuzz:
	$(call fuzz_target,FuzzImport,4000,./internal/dataset)
	$(call fuzz_target,FuzzFastRecord,40000,./internal/dataset)
	$(call fuzz_target,FuzzOnePass,8000,./internal/dataset)
	$(call fuzz_target,FuzzCursor,200,./internal/httpapi)
	$(call fuzz_target,FuzzPostBodies,1000,./internal/httpapi)
	$(call fuzz_target,FuzzAppendJSON,120000,./pkg/api)
	$(call fuzz_target,FuzzProjectAppendJSON,120000,./pkg/api)
	$(call fuzz_target,FuzzStreamReader,15000,./pkg/client)
	$(call fuzz_target,FuzzBilledHoursRow,40000,./pkg/client)
	$(call fuzz_target,FuzzCSVFormulaGuard,40000,./pkg/output)
	$(call fuzz_target,FuzzCSVMatchesEncodingCSV,40000,./pkg/output)
	$(call fuzz_target,FuzzColumnsAndJQ,60000,./pkg/output)
	$(call fuzz_target,FuzzSanitize,4000,./pkg/output)

# Completions, man pages and the markdown command reference, from the real
# command tree (internal/tools/gendocs). Checked in; regenerate after
# changing a command.
completions docs:
	$(GO) run ./internal/tools/gendocs -out .

# Fails when the checked-in completions or docs differ from a fresh run.
generated-check:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(GO) run ./internal/tools/gendocs -out "$$tmp" && \
	diff -r completions "$$tmp/completions" && diff -r docs/man "$$tmp/docs/man" && diff -r docs/cli "$$tmp/docs/cli" || \
	{ echo "completions or docs are stale: run 'make completions docs' and commit the result"; exit 1; }

# Validates .goreleaser.yaml.
release-check:
	./scripts/goreleaser.sh check

# What the packages ship compressed, as Debian policy wants: the man pages
# and the changelog, into .build/ (.goreleaser.yaml's hook runs it).
package-files:
	rm -rf .build && mkdir -p .build/man
	for f in docs/man/*.1; do gzip -9nc "$$f" > ".build/man/$${f##*/}.gz"; done
	gzip -9nc CHANGELOG.md > .build/changelog.gz

# A local snapshot release of every target into dist/.
snapshot:
	./scripts/goreleaser.sh release --snapshot --clean

demo: build
	./scripts/demo.sh

lint: fmt-check vet staticcheck

# staticcheck, pinned; built once into the Go build cache.
staticcheck:
	GOFLAGS= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

clean:
	rm -rf $(BIN) dist
