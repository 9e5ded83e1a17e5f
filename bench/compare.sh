#!/usr/bin/env bash
# make bench-compare: the bench suite on the merge base with BASE (default
# main) and on the working tree, on this machine in one go, script by
# script (base, then tree, so both see the same load), then one table of
# the ratios (compare.py) that flags every row more than 10 % worse. The
# same scripts (this tree's) measure both builds, so the rows match; a row
# only one side has shows as new or gone. BENCH_SCRIPTS picks scripts
# (default: all of run.sh's); SMOKE=1 runs them on tiny inputs.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
BASE=${BASE:-main}
base=$(git -C "$ROOT" merge-base HEAD "$BASE")
# BENCH_OUT keeps both runs' tables (base.md, tree.md) and the base build.
OUT=${BENCH_OUT:-$(mktemp -d)}
mkdir -p "$OUT"
[ -n "${BENCH_OUT:-}" ] || trap 'rm -rf "$OUT"' EXIT
rm -rf "$OUT/base" "$OUT/base.md" "$OUT/tree.md"
# The base as files only (git archive): no worktree for git to track.
mkdir -p "$OUT/base"
git -C "$ROOT" archive "$base" | tar -x -C "$OUT/base"
build() { (cd "$1" && CGO_ENABLED=0 go build -trimpath -o "$2/" ./cmd/portalctl ./cmd/portald); }
build "$OUT/base" "$OUT/base/bin"
build "$ROOT" "$OUT/tree-bin"
if [ -n "${SMOKE:-}" ]; then
  export N=2000 M=200 DURATION=1s RUNS=3 BENCHTIME=1x
fi
echo "bench-compare: base $(git -C "$ROOT" rev-parse --short "$base") (merge base with $BASE) vs the working tree of $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD || echo ' + uncommitted changes') — $(date -u '+%F %H:%M') UTC — load: $(cut -d' ' -f1-3 /proc/loadavg)"
for s in ${BENCH_SCRIPTS:-export import startup list load gobench}; do
  echo "bench-compare: $s on the base, then on the tree" >&2
  WORK=$(mktemp -d) BENCH_ROOT="$OUT/base" BIN="$OUT/base/bin" "$BENCH_DIR/$s.sh" >>"$OUT/base.md"
  WORK=$(mktemp -d) BIN="$OUT/tree-bin" "$BENCH_DIR/$s.sh" >>"$OUT/tree.md"
done
python3 "$BENCH_DIR/compare.py" "$OUT/base.md" "$OUT/tree.md"
