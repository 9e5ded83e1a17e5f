#!/usr/bin/env bash
# portald import of a file with N billing items (from portald export of a
# demo database): rows per second and peak memory. N defaults to 1,000,000.
source "$(dirname "$0")/lib.sh"
need /usr/bin/time time
N=${N:-1000000}
"$BIN/portald" demo --db "$WORK/src.db" --billing-items "$N" >/dev/null
"$BIN/portald" export --db "$WORK/src.db" -o "$WORK/data.json"
read -r t rss < <(timed /dev/null "$BIN/portald" import --db "$WORK/dst.db" "$WORK/data.json")
rate=$(python3 -c "print(int($N/max($t,0.001)))")
row "portald import, $N billing items (rows/s)" "$rate" "-" "-" "≥ 100,000 rows/s"
row "  max RSS (MB)" "$((rss / 1024))" "-" "-" "≤ 256 MB"
