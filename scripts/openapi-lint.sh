#!/usr/bin/env bash
# make openapi-lint: spectral (its spectral:oas rules) and redocly (its
# recommended rules, stricter where api/redocly.yaml says) on
# api/openapi.yaml; any error or warning fails. The tools are npm packages
# at the versions pinned below. Nothing is installed system-wide: they run
# from $OPENAPI_TOOLS, where `scripts/openapi-lint.sh --install` (.ci/run)
# puts them, or else through npx from npm's cache. Without npx the lint is
# skipped with a line saying so, or fails under PORTALCTL_TEST_NO_SKIP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
SPECTRAL=@stoplight/spectral-cli@6.16.3
REDOCLY=@redocly/cli@2.77.0
TOOLS=${OPENAPI_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/portalctl/npm}
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1

if [ "${1:-}" = --install ]; then
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "$SPECTRAL" "$REDOCLY"
  exit
fi

# tool BIN PACKAGE@VERSION: the command running that version.
tool() {
  local bin=$TOOLS/node_modules/.bin/$1
  if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null | tail -1)" = "${2##*@}" ]; then
    echo "$bin"
  else
    echo "npx --yes $2"
  fi
}

if ! command -v npx >/dev/null 2>&1 && [ ! -x "$TOOLS/node_modules/.bin/spectral" ]; then
  if [ -n "${PORTALCTL_TEST_NO_SKIP:-}" ]; then
    echo "openapi-lint: npx (Node.js) is not installed" >&2
    exit 1
  fi
  echo "openapi-lint: skipped: npx (Node.js) is not installed" >&2
  exit 0
fi

$(tool spectral "$SPECTRAL") lint --quiet --ruleset api/spectral.yaml --fail-severity warn api/openapi.yaml
echo "openapi-lint: spectral ($SPECTRAL): no errors or warnings"
# redocly prints a banner about the Node.js version on stderr; its findings go to stdout.
$(tool redocly "$REDOCLY") lint --config api/redocly.yaml --format stylish api/openapi.yaml 2>/dev/null
echo "openapi-lint: redocly ($REDOCLY): no errors or warnings"
