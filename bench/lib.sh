# Shared helpers for the bench scripts (sourced, not run).
set -euo pipefail
# BENCH_DIR holds these scripts; ROOT is the source tree measured (its
# benchmarks and bench/hello), which compare.sh points at another checkout.
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${BENCH_ROOT:-$(cd "$BENCH_DIR/.." && pwd)}
source "$BENCH_DIR/../scripts/portald-url.sh"
BIN=${BIN:-$ROOT/bin}
WORK=${WORK:-$(mktemp -d)}
PIDS=()
PG_DATA=""
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [ -z "$PG_DATA" ] || pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

# need CMD PACKAGE: this script cannot run without CMD. Nothing is ever
# installed here (.ci/run installs every tool on CI's machine).
need() {
  command -v "$1" >/dev/null 2>&1 && return
  missing "$1 (Debian package $2)"
}

# missing WHAT: a tool is not there. In a smoke run (make test) the rest of
# this script is skipped with a line saying why, unless
# PORTALCTL_TEST_NO_SKIP=1 (CI) turns the skip into a failure; in make bench
# it fails, since a figure left out would look like a figure measured.
missing() {
  local script
  script=$(basename "$0")
  if [ -n "${SMOKE:-}" ] && [ -z "${PORTALCTL_TEST_NO_SKIP:-}" ]; then
    echo "bench: skipping the rest of $script: it needs $1, which is not installed" >&2
    exit 0
  fi
  echo "bench: $script needs $1, which is not installed; install it (CI: .ci/run does)" >&2
  exit 1
}

# pinned CPUS: taskset's prefix that runs a command on CPUS (a taskset
# list), or nothing when CPUS is empty.
pinned() { [ -z "$1" ] || echo taskset -c "$1"; }

# serve DB [FLAG...]: start portald on a free loopback port (on the cores
# SERVER_CPUS when set); sets URL and SERVER_PID. One server at a time:
# stop_server before serving another.
serve() {
  local db=$1 log; shift
  # A log of its own, created before the server starts: with one log for
  # every server, the next server's address was read from the last one's
  # lines before the new server had truncated them (a dead port).
  log=$(mktemp "$WORK/portald.XXXXXX.log")
  $(pinned "${SERVER_CPUS:-}") "$BIN/portald" serve --db "$db" --addr 127.0.0.1:0 --log-format text --log-level error "$@" 2>"$log" &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  URL=$(portald_url "$log")
}

# stop_server: stop the portald that serve started and wait for it.
stop_server() { kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; }

# pg_start: a throwaway PostgreSQL server for the PostgreSQL rows, the way the
# Go tests start theirs (internal/testutil/pgtest): initdb into $WORK/pg, a
# free loopback port, trust authentication, stopped and removed by cleanup.
# Durability is off (fsync): the figures measure portald reading, and the
# data is rebuilt every run. The server runs on the cores PG_CPUS when set.
# Sets PG_URL.
pg_start() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$PG_BIN" ] && command -v initdb >/dev/null 2>&1; then PG_BIN=$(dirname "$(command -v initdb)"); fi
  [ -n "$PG_BIN" ] || missing "a PostgreSQL server for its PostgreSQL rows (Debian package postgresql)"
  PG_DATA=$WORK/pg
  mkdir -p "$PG_DATA"
  if [ "$(id -u)" = 0 ]; then # PostgreSQL refuses to run as root
    chmod o+x "$WORK"
    chown postgres: "$PG_DATA"
  fi
  pg_as "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --no-locale --encoding=UTF8 --no-sync >/dev/null
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  pg_as $(pinned "${PG_CPUS:-}") "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
}

# pg_as CMD...: run CMD as the postgres user when we are root.
pg_as() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# token DB USER: a fresh token for USER.
token() { "$BIN/portald" token create --db "$1" --username "$2" --name bench; }

# peak_rss_kb PID: the process's peak resident set (VmHWM), in kB.
peak_rss_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

# timed OUT CMD...: run CMD under /usr/bin/time -v; prints "seconds maxrss_kb".
timed() {
  local out=$1; shift
  /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$out"
  awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; t=s}
              /Maximum resident/ {m=$2} END {printf "%.3f %d\n", t, m}' "$WORK/time.txt"
}

# median_seconds CMD: hyperfine's median wall time of CMD, in seconds.
median_seconds() {
  hyperfine -N --warmup 3 --runs "${RUNS:-20}" --export-json "$WORK/hf.json" "$1" >/dev/null 2>&1
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$WORK/hf.json"
}

# medians CMD...: hyperfine's median wall times of every CMD, measured in
# one run, in seconds, on one line in the order given.
medians() {
  hyperfine -N --warmup 3 --runs "${RUNS:-20}" --export-json "$WORK/hf.json" "$@" >/dev/null 2>&1
  python3 -c 'import json,sys; print(" ".join(str(r["median"]) for r in json.load(open(sys.argv[1]))["results"]))' "$WORK/hf.json"
}

header() { printf '| %-66s | %12s | %12s | %7s | %-28s |\n' "what" "ours" "comparison" "ratio" "target"
           printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..68})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..9})" "$(printf -- '-%.0s' {1..30})"; }
row() { printf '| %-66s | %12s | %12s | %7s | %-28s |\n' "$@"; }
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.2f}' if b else '-')" "$1" "$2"; }
