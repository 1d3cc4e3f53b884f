#!/usr/bin/env bash
# compare's wall time, one training at a time against several at once (docs/BENCHMARKS.md, "compare --workers"):
# the default data and model, 2 losses x 2 seeds, U updates per run, for --workers/--threads 1x2 (the old
# default), 2x1 and 1x1, each alone and beside one CPU-bound process (a shell busy loop, started and
# stopped here). Usage: docs/tools/bench-workers.sh [UPDATES=100] [ROUNDS=1]
set -euo pipefail
updates="${1:-100}"
rounds="${2:-1}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/segloss-bench-workers.XXXXXX")"
busy=""
cleanup() { [ -n "$busy" ] && kill "$busy" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
cd "$root"
./segloss losses >/dev/null 2>&1 # builds the CLI first
n=0
run() {
  local label="$1" workers="$2" threads="$3" load start end
  n=$((n + 1))
  load="$(cut -d' ' -f1 /proc/loadavg)"
  start="$(date +%s.%N)"
  ./segloss compare --losses 'dice; bce' --seeds 2 --updates "$updates" --folds 1 --device cpu \
      --workers "$workers" --threads "$threads" --out "$tmp/r$n" >"$tmp/out.txt" 2>"$tmp/err.txt" || { cat "$tmp/err.txt" >&2; exit 1; }
  end="$(date +%s.%N)"
  awk -v w="$label" -v s="$start" -v e="$end" -v l="$load" 'BEGIN { printf "%-40s %8.1f s   load %s\n", w, e - s, l }'
}
for ((k = 1; k <= rounds; k++)); do
  for competing in no yes; do
    if [ "$competing" = yes ]; then (while :; do :; done) & busy=$!; fi
    run "workers 1 x threads 2, busy loop: $competing" 1 2
    run "workers 2 x threads 1, busy loop: $competing" 2 1
    run "workers 1 x threads 1, busy loop: $competing" 1 1
    if [ -n "$busy" ]; then kill "$busy"; wait "$busy" 2>/dev/null || true; busy=""; fi
  done
done
