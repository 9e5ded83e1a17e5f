#!/usr/bin/env bash
# The load test on separate cores: wrk pinned to one core, portald (and, for
# the PostgreSQL rows, the PostgreSQL server) to the other, so the latency
# measures the server rather than the scheduler sharing two cores between
# it and the load generator. For GET /v1/projects, GET /v1/tasks/open,
# GET /v1/end-client/projects and a 50/50 read/write mix of task notes, on
# SQLite and on PostgreSQL: req/s, p50/p99/p99.9 and portald's CPU per
# request (user + system, from /proc), which noise on a shared machine
# disturbs least. M projects (default 10,000) are in ava's scope.
source "$(dirname "$0")/lib.sh"
need wrk wrk
need taskset util-linux
M=${M:-10000}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
if [ "$(nproc)" -lt 2 ]; then missing "a second core to pin portald apart from wrk"; fi
WRK_CPU=${WRK_CPU:-0}
# serve and pg_start (lib.sh) pin portald and PostgreSQL to the other core.
SERVER_CPUS=${SERVER_CPUS:-1} PG_CPUS=${SERVER_CPUS:-1}

# cpu_ticks PID: the process's user + system CPU time so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# load LABEL TOKEN PATH [ENV...]: one wrk run, its rows named with LABEL.
load() {
  local label=$1 tok=$2 path=$3; shift 3
  local wrk=(taskset -c "$WRK_CPU" wrk -t1 -c"$CONNS" -s "$BENCH_DIR/wrk.lua" -H "Authorization: Bearer $tok")
  # A short warm-up first: the first seconds under load (page cache,
  # connection pool, heap growth) swing req/s by a third between runs.
  [ -n "${SMOKE:-}" ] || env "$@" "${wrk[@]}" -d2s "$URL$path" >/dev/null
  local before after
  before=$(cpu_ticks "$SERVER_PID")
  env "$@" "${wrk[@]}" -d"$DURATION" "$URL$path" >"$WORK/wrk.txt"
  after=$(cpu_ticks "$SERVER_PID")
  local rps res
  rps=$(awk '/Requests\/sec/ {print int($2)}' "$WORK/wrk.txt")
  res=$(grep '^RESULT ' "$WORK/wrk.txt")
  field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$res"; }
  ms() { python3 -c "print(round($1/1000, 2))"; }
  local p99_target="-" cpu_target="-"
  [ -n "$P99_TARGET" ] && p99_target="≤ 20 ms"
  [ -n "$CPU_TARGET" ] && cpu_target="$CPU_TARGET"
  row "${label} (req/s)" "$rps" "-" "-" "-"
  row "${label}: p50 latency (ms)" "$(ms "$(field p50)")" "-" "-" "-"
  row "${label}: p99 latency (ms)" "$(ms "$(field p99)")" "-" "-" "$p99_target"
  row "${label}: p99.9 latency (ms)" "$(ms "$(field p999)")" "-" "-" "-"
  row "${label}: portald CPU per request (µs)" \
    "$(python3 -c "print(round(($after - $before) / $(getconf CLK_TCK) * 1e6 / max($(field requests), 1)))")" "-" "-" "$cpu_target"
  row "${label}: non-2xx answers, socket errors" "$(field non2xx), $(field socket_errors)" "-" "-" "0, 0"
}

# measure DB DBLABEL: serve DB pinned to the server core, then every row.
measure() {
  local db=$1 dblabel=$2
  # No per-token rate limit, no email allowance (each note notifies the
  # task's contact; the outbox is still written) and no access log: the
  # load test measures serving.
  serve "$db" --rate-limit 0 --email-rate 0
  local ava chloe task
  ava=$(token "$db" ava)
  chloe=$(token "$db" chloe)
  task=$(curl -sSf -H "Authorization: Bearer $ava" "$URL/v1/tasks/open" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  P99_TARGET=1 CPU_TARGET="≤ 165 µs" load "$dblabel GET /v1/projects" "$ava" /v1/projects
  P99_TARGET=1 CPU_TARGET="" load "$dblabel GET /v1/tasks/open" "$ava" /v1/tasks/open
  P99_TARGET=1 CPU_TARGET="" load "$dblabel GET /v1/end-client/projects" "$chloe" /v1/end-client/projects
  P99_TARGET=1 CPU_TARGET="" load "$dblabel task notes, 50 % GET / 50 % POST" "$ava" "/v1/tasks/$task/notes" WRK_MIX=notes WRK_TASK="$task"
  # The harness's own floor: the same load on /healthz, which does no work.
  [ "$dblabel" != "SQLite:" ] || P99_TARGET="" CPU_TARGET="" load "reference: GET /healthz (no work)" "-" /healthz
  stop_server
}

echo "load: wrk -t1 -c$CONNS -d$DURATION on core $WRK_CPU; portald (and PostgreSQL) on core $SERVER_CPUS" >&2
"$BIN/portald" demo --db "$WORK/load.db" --projects "$M" >/dev/null
measure "$WORK/load.db" "SQLite:"

pg_start
"$BIN/portald" demo --db "$PG_URL" --projects "$M" >/dev/null
measure "$PG_URL" "PostgreSQL:"
