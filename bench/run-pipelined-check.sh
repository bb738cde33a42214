#!/bin/sh
# run-pipelined-check.sh [BUILD_DIR] - may the pipelined arrangement (src/pose/pose_run.c,
# POSE_RUN_PIPELINED: two workers on alternate frames, each frame tracked from the ROI of two
# frames before, moved on by the lifter's velocity) replace the default one? Its landmarks are
# not bit-identical to the default's, so for each clip of ../shared/clips: analyse it
# (`hingecheck VIDEO --json`, default settings) in the default arrangement and in the pipelined
# one (HINGECHECK_POSE_RUN=pipelined), and compare the exercise, view, reps (index, partial) and
# each rep's and the set's findings (rule, severity), as run-frame-selection-check.sh does. The
# pipelined run is made twice: its whole --deterministic report must be byte-identical (same
# input, same output, whatever the threads' timing). Prints SAME/DIFF per clip; exit 0 when all
# are SAME. Needs python3 (JSON diff).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${1:-$ROOT/build-bench}
CLIPS=$(dirname "$ROOT")/shared/clips
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" --target hingecheck -j2 >/dev/null
OUT=$BUILD/pipelined-check
mkdir -p "$OUT"
status=0
for v in "$CLIPS"/*.mp4 "$CLIPS"/*.mov; do
    [ -f "$v" ] || continue
    n=$(basename "$v")
    n=${n%.*}
    "$BUILD/hingecheck" "$v" --deterministic --json "$OUT/$n.default.json" >/dev/null 2>&1 || true
    HINGECHECK_POSE_RUN=pipelined "$BUILD/hingecheck" "$v" --deterministic \
        --json "$OUT/$n.pipe.json" >/dev/null 2>&1 || true
    HINGECHECK_POSE_RUN=pipelined "$BUILD/hingecheck" "$v" --deterministic \
        --json "$OUT/$n.pipe2.json" >/dev/null 2>&1 || true
    PYTHONPATH="$HERE" python3 - "$OUT/$n" "$n" <<'PY' || status=1
import sys
from report_key import key, print_diff
base, name = sys.argv[1], sys.argv[2]
def raw(path):
    try:
        return open(path, 'rb').read()
    except OSError:
        return None
a, b = key(base + '.default.json'), key(base + '.pipe.json')
p1, p2 = raw(base + '.pipe.json'), raw(base + '.pipe2.json')
ident = p1 is not None and p1 == p2
same = a is not None and a == b and ident
print('%s %s: reps %s / %s; pipelined run-to-run %s' % (
    'SAME' if same else 'DIFF', name, len(a['reps']) if a else '-', len(b['reps']) if b else '-',
    'identical' if ident else 'DIFFERENT'))
print_diff(a, b)
sys.exit(0 if same else 1)
PY
done
exit $status
