# Shared helpers for the bench scripts (sourced, not run).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${BIN:-$ROOT/bin}
WORK=${WORK:-$(mktemp -d)}
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

need() { # need CMD PACKAGE: install a Debian package when a tool is missing
  command -v "$1" >/dev/null 2>&1 && return
  echo "bench: installing $2" >&2
  apt-get install -y -qq --no-install-recommends "$2" >/dev/null
}

# serve DB: start portald on a free loopback port; sets URL and SERVER_PID.
serve() {
  "$BIN/portald" serve --db "$1" --addr 127.0.0.1:0 --log-format text --log-level error 2>"$WORK/portald.log" &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  URL=""
  for _ in $(seq 1 200); do
    URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/portald.log" | head -1 || true)
    [ -n "$URL" ] && return
    sleep 0.05
  done
  echo "portald did not start" >&2; cat "$WORK/portald.log" >&2; exit 1
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

header() { printf '| %-58s | %12s | %12s | %7s | %-28s |\n' "what" "ours" "comparison" "ratio" "target"
           printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..60})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..9})" "$(printf -- '-%.0s' {1..30})"; }
row() { printf '| %-58s | %12s | %12s | %7s | %-28s |\n' "$@"; }
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.2f}' if b else '-')" "$1" "$2"; }
