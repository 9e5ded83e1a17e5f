#!/usr/bin/env bash
# Billed-hours export: portalctl endclient hours -o csv to a file over N
# billing items, against curl fetching the same rows as NDJSON; throughput
# and peak memory of both programs. N defaults to 1,000,000, plus N/10
# items of as many end-client tickets (ticket work comes through the same
# export). Measured on
# SQLite, then on PostgreSQL (a throwaway local server, see pg_start).
source "$(dirname "$0")/lib.sh"
need curl curl
need /usr/bin/time time
N=${N:-1000000}

# measure DB LABEL: serve DB and print its rows, each named with LABEL.
measure() {
  local db=$1 label=$2
  serve "$db"
  export PORTALCTL_HOST=$URL PORTALCTL_TOKEN=$(token "$db" chloe)
  # One untimed pass first: whichever program ran first would otherwise pay
  # for reading the database into the page cache and warming portald.
  curl -sSf -H "Authorization: Bearer $PORTALCTL_TOKEN" -H "Accept: application/x-ndjson" -o /dev/null "$URL/v1/end-client/billed-hours"
  read -r t_ours rss_ours < <(timed /dev/null "$BIN/portalctl" endclient hours -o csv --output-file "$WORK/hours.csv")
  rows=$(( $(wc -l < "$WORK/hours.csv") - 1 ))
  read -r t_curl _ < <(timed /dev/null curl -sSf -H "Authorization: Bearer $PORTALCTL_TOKEN" \
    -H "Accept: application/x-ndjson" -o "$WORK/hours.ndjson" "$URL/v1/end-client/billed-hours")
  [ "$(wc -l < "$WORK/hours.ndjson")" -eq "$rows" ] || { echo "curl and portalctl saw different row counts" >&2; exit 1; }
  rss_server=$(peak_rss_kb "$SERVER_PID")
  stop_server

  rate=$(python3 -c "print(int($rows/max($t_ours,0.001)))")
  row "${label}endclient hours -o csv, $rows rows (rows/s)" "$rate" "-" "-" "≥ 200,000 rows/s"
  row "  wall time vs curl NDJSON (s)" "$t_ours" "$t_curl" "$(ratio "$t_ours" "$t_curl")" "≤ 1.5 ×"
  row "  portalctl max RSS (MB)" "$((rss_ours / 1024))" "-" "-" "≤ 64 MB"
  row "  portald max RSS (MB)" "$((rss_server / 1024))" "-" "-" "≤ 128 MB"
}

"$BIN/portald" demo --db "$WORK/big.db" --billing-items "$N" --tickets "$((N / 10))" >/dev/null
measure "$WORK/big.db" ""

pg_start
"$BIN/portald" demo --db "$PG_URL" --billing-items "$N" --tickets "$((N / 10))" >/dev/null
measure "$PG_URL" "PostgreSQL: "
