#!/usr/bin/env bash
# Side-by-side wall times of weights and evaluate, local against --spark, on N generated masks (docs/BENCHMARKS.md,
# "Spark"). Usage: docs/tools/bench-spark.sh [N=100000] [ROUNDS=2] [MASTER=local[2]]
# Writes N 16x16 masks and N probability maps (8-bit PNG) into a temporary folder, deleted at the end; each
# round runs the four commands back to back, so local and Spark runs see the same load; prints one line per
# run with the load average before it. Also times Spark's fixed cost: weights on a folder of 10 masks.
set -euo pipefail
n="${1:-100000}"
rounds="${2:-2}"
master="${3:-local[2]}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/segloss-bench-spark.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" "$n" <<'PY'
import os, random, struct, sys, zlib
root, n = sys.argv[1], int(sys.argv[2])
def png(path, w, h, px):
    raw = b''.join(b'\x00' + bytes(px[y * w:(y + 1) * w]) for y in range(h))
    def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0))
                + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
r = random.Random(13)
for d in ('masks', 'preds', 'small'):
    os.makedirs(os.path.join(root, d))
for i in range(n):
    cy, cx, rad = r.randrange(16), r.randrange(16), r.randrange(1, 6)
    m = [255 if (y - cy) ** 2 + (x - cx) ** 2 <= rad * rad else 0 for y in range(16) for x in range(16)]
    p = [min(255, max(0, int((0.7 if v else 0.2) * 255 + r.gauss(0, 60)))) for v in m]
    png(os.path.join(root, 'masks', 'm%06d.png' % i), 16, 16, m)
    png(os.path.join(root, 'preds', 'm%06d.png' % i), 16, 16, p)
    if i < 10:
        png(os.path.join(root, 'small', 'm%06d.png' % i), 16, 16, m)
PY
cd "$root"
./segloss weights --masks "$tmp/small" >/dev/null 2>&1            # builds both launcher targets first
./segloss weights --masks "$tmp/small" --spark "$master" >/dev/null 2>&1
run() {
  local what="$1"; shift
  local load start end
  load="$(cut -d' ' -f1 /proc/loadavg)"
  start="$(date +%s.%N)"
  ./segloss "$@" >"$tmp/out.txt" 2>"$tmp/err.txt" || { cat "$tmp/err.txt" >&2; exit 1; }
  end="$(date +%s.%N)"
  awk -v w="$what" -v s="$start" -v e="$end" -v l="$load" 'BEGIN { printf "%-36s %8.1f s   load %s\n", w, e - s, l }'
}
for ((k = 1; k <= rounds; k++)); do
  run "fixed cost: weights, 10 masks" weights --masks "$tmp/small"
  run "fixed cost: weights, 10, --spark" weights --masks "$tmp/small" --spark "$master"
  run "weights, $n masks" weights --masks "$tmp/masks"
  run "weights, $n, --spark $master" weights --masks "$tmp/masks" --spark "$master"
  run "evaluate, $n pairs" evaluate --truth "$tmp/masks" --pred "$tmp/preds" --json
  run "evaluate, $n, --threads 2" evaluate --truth "$tmp/masks" --pred "$tmp/preds" --json --threads 2
  run "evaluate, $n, --spark $master" evaluate --truth "$tmp/masks" --pred "$tmp/preds" --json --spark "$master"
done
