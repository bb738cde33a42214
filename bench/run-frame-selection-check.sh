#!/bin/sh
# run-frame-selection-check.sh [BUILD_DIR] [MAX_FPS] - may default settings analyse fewer frames?
# Frame selection may become a default only if, on every clip of ../shared/clips, the reps found
# and the findings reported are the same as with every frame analysed. For each clip: track every frame and with
# hc_pose_clip_params.max_fps = MAX_FPS (default 30) using bench_track, score both tracks with
# `hingecheck score --json`, and compare the exercise, view, reps (index, partial) and each rep's
# and the set's findings (rule, severity). Also scores every other frame of the every-frame track
# (same poses, lower rate), which separates the analysis' own frame-rate sensitivity from the
# tracker's. Prints SAME/DIFF per clip; exit 0 when all are SAME. Needs python3 (JSON diff).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${1:-$ROOT/build-bench}
MAX_FPS=${2:-30}
CLIPS=$(dirname "$ROOT")/shared/clips
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" --target bench_track hingecheck -j2 >/dev/null
OUT=$BUILD/frame-selection
mkdir -p "$OUT"
status=0
for v in "$CLIPS"/*.mp4 "$CLIPS"/*.mov; do
    [ -f "$v" ] || continue
    n=$(basename "$v")
    n=${n%.*}
    "$BUILD/bench/bench_track" "$v" "$OUT/$n.all.jsonl" 0 >/dev/null
    "$BUILD/bench/bench_track" "$v" "$OUT/$n.cap.jsonl" "$MAX_FPS" >/dev/null
    python3 - "$OUT/$n" <<'EOF'
import json, sys
base = sys.argv[1]
with open(base + '.all.jsonl') as f, open(base + '.half.jsonl', 'w') as g:
    for line in f:
        d = json.loads(line)
        if 'frame' not in d or d['frame'] % 2 == 0:
            g.write(line)
EOF
    for k in all cap half; do
        "$BUILD/hingecheck" score "$OUT/$n.$k.jsonl" --json "$OUT/$n.$k.json" >/dev/null 2>&1 || true
    done
    PYTHONPATH="$HERE" python3 - "$OUT/$n" "$n" "$MAX_FPS" <<'EOF' || status=1
import sys
from report_key import key, print_diff
base, name, cap = sys.argv[1], sys.argv[2], sys.argv[3]
def frames(path):
    return sum(1 for line in open(path) if '"frame"' in line)
a, b, h = key(base + '.all.json'), key(base + '.cap.json'), key(base + '.half.json')
na, nb = frames(base + '.all.jsonl'), frames(base + '.cap.jsonl')
same = a == b
print('%s %s: %d frames, %d with max_fps %s; reps %s / %s%s' % (
    'SAME' if same else 'DIFF', name, na, nb, cap,
    len(a['reps']) if a else '-', len(b['reps']) if b else '-',
    '' if same else '; every other frame of the same track: ' + ('SAME' if a == h else 'DIFF')))
if not same:
    print_diff(a, b)
sys.exit(0 if same else 1)
EOF
done
exit $status
