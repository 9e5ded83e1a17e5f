#!/usr/bin/env bash
# The in-process figures: keyset paging (first vs 1,000th page over 100,000
# projects) and the token check per request, from go test -bench.
source "$(dirname "$0")/lib.sh"
BENCHTIME=${BENCHTIME:-1s}
cd "$ROOT"
# SMOKE skips the keyset benchmark: its 100,000-project set-up is the slow part.
pattern='BenchmarkKeysetPage|BenchmarkAuthenticate'
[ -z "${SMOKE:-}" ] || pattern='BenchmarkAuthenticate'
go test -run '^$' -bench "$pattern" -benchtime "$BENCHTIME" ./internal/store/sqlite/ ./internal/portal/ > "$WORK/go.txt"
ns() { awk -v n="$1" '$1 ~ n {print $3}' "$WORK/go.txt" | head -1; }
first=$(ns 'KeysetPage/first'); last=$(ns 'KeysetPage/page1000')
[ -z "$first" ] || row "keyset page over 100,000 projects (µs): 1,000th vs first" "$(python3 -c "print(round($last/1000,1))")" "$(python3 -c "print(round($first/1000,1))")" "$(ratio "$last" "$first")" "≤ 1.2 × (within 20 %)"
auth=$(ns 'Authenticate')
row "token check per request (µs)" "$(python3 -c "print(round($auth/1000,1))")" "-" "-" "≤ 100 µs, no password hash"
