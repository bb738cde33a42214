#!/bin/sh
# run-split-check.sh [BUILD_DIR] [MODEL] - would tracking a clip as two halves at once
# (hc_pose_clip_params.two_halves, src/pipeline/pass_pose.c) change what `hingecheck CLIP`
# reports? For each clip of ../shared/clips: bench_split analyses it as one stretch and as two
# halves (default model full, spine masks on) and prints the largest landmark difference after
# the junction; the two JSON reports are compared on the status, exercise, view, reps (index,
# partial) and each rep's and the set's findings (rule, severity) with report_key.py. Prints
# SAME/DIFF per clip; exit 0 when all are SAME. Needs python3.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${1:-$ROOT/build-bench}
MODEL=${2:-full}
CLIPS=$(dirname "$ROOT")/shared/clips
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" --target bench_split -j2 >/dev/null
OUT=$BUILD/split-check
mkdir -p "$OUT"
rm -f "$OUT"/*.json
status=0
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for v in "$CLIPS"/*.mp4 "$CLIPS"/*.mov; do
    [ -f "$v" ] || continue
    n=$(basename "$v")
    n=${n%.*}
    echo "== $n"
    "$BUILD/bench/bench_split" "$v" "$OUT/$n" --model "$MODEL" | sed 's/^/    /' || status=1
    [ -f "$OUT/$n.split.json" ] || continue
    PYTHONPATH="$HERE" python3 - "$OUT/$n" <<'PY' || status=1
import sys
from report_key import key, print_diff
base = sys.argv[1]
a, b = key(base + '.one.json'), key(base + '.split.json')
print('    %s: reps %s / %s' % ('SAME' if a == b else 'DIFF', len(a['reps']) if a else '-',
                             len(b['reps']) if b else '-'))
if a != b:
    print_diff(a, b)
sys.exit(0 if a == b else 1)
PY
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
