#!/usr/bin/env bash
# The in-process figures: keyset paging (first vs 1,000th page over 100,000
# projects), the token check per request, the billed-hours summary of a
# million items and the calendar feed of 1,000 projects, from go test -bench.
source "$(dirname "$0")/lib.sh"
BENCHTIME=${BENCHTIME:-1s}
cd "$ROOT"
# SMOKE skips the keyset and summary benchmarks: their 100,000-project and
# million-item set-ups are the slow part.
pattern='BenchmarkKeysetPage|BenchmarkAuthenticate|BenchmarkBilledSummary|BenchmarkCalendarFeed'
[ -z "${SMOKE:-}" ] || pattern='BenchmarkAuthenticate|BenchmarkCalendarFeed'
go test -run '^$' -bench "$pattern" -benchtime "$BENCHTIME" ./internal/store/sqlite/ ./internal/portal/ ./internal/httpapi/ > "$WORK/go.txt"
ns() { awk -v n="$1" '$1 ~ n {print $3}' "$WORK/go.txt" | head -1; }
first=$(ns 'KeysetPage/first'); last=$(ns 'KeysetPage/page1000')
[ -z "$first" ] || row "keyset page over 100,000 projects (µs): 1,000th vs first" "$(python3 -c "print(round($last/1000,1))")" "$(python3 -c "print(round($first/1000,1))")" "$(ratio "$last" "$first")" "≤ 1.2 × (within 20 %)"
auth=$(ns 'Authenticate')
row "token check per request (µs)" "$(python3 -c "print(round($auth/1000,1))")" "-" "-" "≤ 100 µs, no password hash"
sum=$(ns 'BilledSummary/month-')
[ -z "$sum" ] || row "billed-hours summary by month, 1,000,000 items, SQLite (ms)" "$(python3 -c "print(round($sum/1e6))")" "-" "-" "< 1,000 ms, one query"
sumall=$(ns 'BilledSummary/client,project,month,resource')
[ -z "$sumall" ] || row "… by client, project, month and resource (ms)" "$(python3 -c "print(round($sumall/1e6))")" "-" "-" "< 1,000 ms"
summonth=$(ns 'BilledSummary/one_month_of_them')
[ -z "$summonth" ] || row "… one month of them, by month (ms)" "$(python3 -c "print(round($summonth/1e6))")" "-" "-" "< 1,000 ms"
feed=$(ns 'CalendarFeed/read')
[ -z "$feed" ] || row "calendar feed of 1,000 projects (5,000 items), SQLite (ms)" "$(python3 -c "print(round($feed/1e6))")" "-" "-" "< 200 ms"
feed304=$(ns 'CalendarFeed/not_modified')
[ -z "$feed304" ] || row "… the same poll answered 304 (ms)" "$(python3 -c "print(round($feed304/1e6))")" "-" "-" "(reference)"
