#!/usr/bin/env bash
# make bench: every benchmark, one table. SMOKE=1 (make test) runs each
# script on tiny inputs only to keep the scripts working; its figures mean
# nothing.
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
need python3 python3
if [ -n "${SMOKE:-}" ]; then
  export N=2000 M=200 DURATION=1s RUNS=3 BENCHTIME=1x
fi
echo "portalctl benchmarks — $(date -u +%F) — commit $(git -C "$ROOT" rev-parse --short HEAD) — $(nproc) cores, $(awk '/model name/ {sub(/.*: /,""); print; exit}' /proc/cpuinfo)"
echo
header
for s in ${BENCH_SCRIPTS:-export import startup list load gobench}; do
  WORK=$(mktemp -d) "./$s.sh"
done
