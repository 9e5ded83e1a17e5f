#!/usr/bin/env bash
# projects list against a local portald with M projects in scope (first
# page), against curl of the same endpoint with the same token; then wrk at
# 64 connections on GET /v1/projects. M defaults to 10,000.
source "$(dirname "$0")/lib.sh"
need hyperfine hyperfine
need wrk wrk
M=${M:-10000}
DURATION=${DURATION:-10s}
"$BIN/portald" demo --db "$WORK/list.db" --projects "$M" >/dev/null
# No per-token rate limit and no access log: the load test measures serving.
"$BIN/portald" serve --db "$WORK/list.db" --addr 127.0.0.1:0 --log-level error --rate-limit 0 2>"$WORK/portald.log" &
SERVER_PID=$!; PIDS+=("$SERVER_PID")
for _ in $(seq 1 200); do URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/portald.log" | head -1 || true); [ -n "$URL" ] && break; sleep 0.05; done
export PORTALCTL_HOST=$URL PORTALCTL_TOKEN=$(token "$WORK/list.db" ava)

ours=$(median_seconds "$BIN/portalctl projects list -o json")
curl=$(median_seconds "curl -sSf -o /dev/null -H 'Authorization: Bearer $PORTALCTL_TOKEN' $URL/v1/projects")
row "projects list -o json, first page of $M (ms, median)" "$(python3 -c "print(round($ours*1000,2))")" "$(python3 -c "print(round($curl*1000,2))")" "$(ratio "$ours" "$curl")" "≤ 1.5 × curl"

wrk -t2 -c64 -d"$DURATION" --latency -H "Authorization: Bearer $PORTALCTL_TOKEN" "$URL/v1/projects" > "$WORK/wrk.txt"
rps=$(awk '/Requests\/sec/ {print int($2)}' "$WORK/wrk.txt")
p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk.txt"); non2xx=${non2xx:-0}
row "GET /v1/projects under wrk -c64 -d$DURATION (req/s)" "$rps" "-" "-" "≥ 5,000 req/s"
row "  p99 latency" "$p99" "-" "-" "≤ 20 ms"
row "  non-2xx answers" "$non2xx" "-" "-" "0"
