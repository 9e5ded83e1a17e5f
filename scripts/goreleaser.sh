#!/usr/bin/env bash
# Runs the pinned GoReleaser: the one on PATH when it is that version,
# otherwise one built from source into the Go build cache (slow only once).
set -euo pipefail
cd "$(dirname "$0")/.."
want=${GORELEASER_VERSION:-v2.15.0}
if command -v goreleaser >/dev/null 2>&1 && goreleaser --version 2>/dev/null | grep -Eq "GitVersion:[[:space:]]+${want}$"; then
  exec goreleaser "$@"
fi
GOFLAGS= exec go run "github.com/goreleaser/goreleaser/v2@${want}" "$@"
