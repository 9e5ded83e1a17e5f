#!/usr/bin/env bash
# Start-up: portalctl version against the smallest cobra program (bench/hello).
source "$(dirname "$0")/lib.sh"
need hyperfine hyperfine
(cd "$ROOT" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$WORK/hello" ./bench/hello)
ours=$(median_seconds "$BIN/portalctl version")
base=$(median_seconds "$WORK/hello version")
row "portalctl version start-up (ms, median)" "$(python3 -c "print(round($ours*1000,2))")" "$(python3 -c "print(round($base*1000,2))")" "$(ratio "$ours" "$base")" "≤ 1.2 × cobra hello"
