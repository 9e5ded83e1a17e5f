#!/usr/bin/env bash
# projects list against a local portald with M projects in scope (first
# page), against curl of the same endpoint with the same token; then every
# one of M end-client tickets (endclient tickets --all: one NDJSON answer,
# billed hours each) against curl of the same NDJSON. M defaults to 10,000.
# Measured on SQLite, then on PostgreSQL (a throwaway local server, see
# pg_start). The load test is load.sh.
source "$(dirname "$0")/lib.sh"
need hyperfine hyperfine
need curl curl
M=${M:-10000}

# measure DB LABEL: serve DB and print its rows, each named with LABEL.
measure() {
  local db=$1 label=$2
  serve "$db" --rate-limit 0
  export PORTALCTL_HOST=$URL PORTALCTL_TOKEN=$(token "$db" ava)

  ours=$(median_seconds "$BIN/portalctl projects list -o json")
  curl=$(median_seconds "curl -sSf -o /dev/null -H 'Authorization: Bearer $PORTALCTL_TOKEN' $URL/v1/projects")
  row "${label}projects list -o json, first page of $M (ms, median)" "$(python3 -c "print(round($ours*1000,2))")" \
    "$(python3 -c "print(round($curl*1000,2))")" "$(ratio "$ours" "$curl")" "≤ 1.5 × curl"

  stop_server
}

# measure_tickets DB LABEL: chloe lists all of M end-client tickets.
measure_tickets() {
  local db=$1 label=$2
  serve "$db" --rate-limit 0
  export PORTALCTL_HOST=$URL PORTALCTL_TOKEN=$(token "$db" chloe)
  ours=$(median_seconds "$BIN/portalctl endclient tickets --all --include-completed -o ndjson")
  curl=$(median_seconds "curl -sSf -o /dev/null -H 'Accept: application/x-ndjson' -H 'Authorization: Bearer $PORTALCTL_TOKEN' '$URL/v1/end-client/tickets?include_completed=true'")
  stop_server
  row "${label}endclient tickets --all -o ndjson, $M tickets (ms, median)" "$(python3 -c "print(round($ours*1000,2))")" \
    "$(python3 -c "print(round($curl*1000,2))")" "$(ratio "$ours" "$curl")" "≤ 1.5 × curl"
}

"$BIN/portald" demo --db "$WORK/list.db" --projects "$M" --tickets "$M" >/dev/null
measure "$WORK/list.db" ""
measure_tickets "$WORK/list.db" ""

pg_start
"$BIN/portald" demo --db "$PG_URL" --projects "$M" --tickets "$M" >/dev/null
measure "$PG_URL" "PostgreSQL: "
measure_tickets "$PG_URL" "PostgreSQL: "
