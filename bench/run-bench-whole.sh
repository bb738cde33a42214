#!/bin/sh
# run-bench-whole.sh [BUILD_DIR] [RUNS] - everything a coach waits for, as whole hingecheck
# processes, against the clip's floor, in one run (bench_whole; median of RUNS, default 5):
#
#   1. the 1080p30 clip of 34 s that run-bench-pipeline.sh makes: the floor (decoding alone +
#      the bare landmark model x frames analysed), then `hingecheck pose`, the default analysis
#      (`hingecheck CLIP --json`) and the analysis with `--html` and `--overlay`: wall time,
#      real-time factor, wall / floor, CPU time, each thread's CPU time, peak RSS; the render
#      pass's own decoder, drawing and encoder threads
#   2. peak RSS at 4K: the same three commands once on a synthetic 3840x2160 clip (target
#      <= 250 MB for each)
#   3. the batch block: run-bench-batch.sh (8 clips, --jobs 2 against --jobs 1, target >= 1.8x)
#
# Targets: the default analysis >= 5x real time, the analysis with --html and --overlay >= 3x.
# On a machine shared with other work read the load averages and the CPU times: "cpu est" is
# what the run would take on an idle machine if its threads overlapped perfectly. Past figures:
# docs/PERFORMANCE.md.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${1:-$ROOT/build-bench}
RUNS=${2:-5}
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" --target hingecheck bench_whole bench_mkclip hc_synth -j2 >/dev/null
. "$HERE/bench-clip.sh"
K4=$CLIPS/synth2160p30.mp4
[ -f "$K4" ] || "$BUILD/tools/hc_synth" --width 3840 --height 2160 --reps 3 --crf 20 --out "$K4"

echo "# $(uname -m), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "## 1. whole processes on the 1080p30 clip, against the floor"
"$BUILD/bench/bench_whole" "$CLIP" --runs "$RUNS"
echo "## 2. peak RSS on a 3840x2160 clip (target <= 250 MB)"
"$BUILD/bench/bench_whole" "$K4" --runs 1
echo "## 3. batch of 8 clips, --jobs 2 against --jobs 1"
"$HERE/run-bench-batch.sh" "$BUILD" "$RUNS"
