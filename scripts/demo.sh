#!/usr/bin/env bash
# make demo: start portald on a fresh demo database on a free loopback port,
# log in as demo users and show real portalctl output, then stop the server.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/portald-url.sh
BIN=${BIN:-bin}
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$BIN/portald" demo --db "$work/demo.db" >/dev/null
"$BIN/portald" serve --db "$work/demo.db" --addr 127.0.0.1:0 --log-format text 2>"$work/portald.log" &
pid=$!
url=$(portald_url "$work/portald.log")

# A private config dir, so the demo never touches your own portalctl login.
export XDG_CONFIG_HOME="$work/config" PORTALCTL_HOST="$url"
unset PORTALCTL_TOKEN

show() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

echo "portald is serving the demo portal at $url"
printf 'demo\n' | "$BIN/portalctl" auth login --username ava --password-stdin --insecure-storage
show "$BIN/portalctl" projects list -o table
show "$BIN/portalctl" tasks open -o table
printf 'demo\n' | "$BIN/portalctl" auth login --username chloe --password-stdin --insecure-storage >/dev/null
show "$BIN/portalctl" endclient projects -o table

cat <<MSG

The demo server is stopped now. To keep one running:
  bin/portald demo --db demo.db
  bin/portald serve --db demo.db            # http://127.0.0.1:8787
  bin/portalctl auth login --host http://127.0.0.1:8787 --username ava   # password: demo
MSG
