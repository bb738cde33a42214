#!/bin/sh
# run-bench-pipeline.sh [BUILD_DIR] [RUNS] - whole-clip speed of hc_pose_run_file on a
# 1080p30 clip of 34 s, against its floor (decode alone + bare landmark model x frames analysed,
# measured in the same run), median of RUNS (default 5):
#
#   1. full model, default settings (concurrent: decoder thread + 1 inference thread), pose
#      alone (hc_pose_run_file), then the whole `hingecheck VIDEO` analysis (hc_analyse_file:
#      also kinematics, reps, rules and the second look with person masks; 3 runs); then both
#      again tracked as two halves at once (hc_pose_clip_params.two_halves: each thread decoding
#      its own); then the analysis of the longest 60 fps side-view phone clip of INDEX.tsv, both
#      ways
#   2. full model, sequential on 1 thread (what the concurrent arrangement saves)
#   3. full model, --threads 2 (sequential: two XNNPACK threads, no decoder thread beside them;
#      the first 10 s only, 3 runs: on a loaded machine one 2-thread inference can take 0.3 s)
#   4. lite and heavy models, default settings
#   5. peak RSS on a clip 4x longer (136 s; one run): must stay flat
#
# The clips are made once into BUILD_DIR/bench-clips by bench_mkclip from the longest 1080p30
# clip listed in ../shared/clips/INDEX.tsv (looped). Figures are wall clock on a 2-core machine
# that may be shared: the load average is printed with every run, and bench_pipeline adds each
# thread's CPU time per frame and the idle-machine estimate it implies (the busier thread bounds
# the run). Past figures: docs/PERFORMANCE.md.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${1:-$ROOT/build-bench}
RUNS=${2:-5}
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" --target bench_pipeline bench_mkclip -j2 >/dev/null
. "$HERE/bench-clip.sh"
LONG=$CLIPS/clip1080p30_136s.mp4
bench_make_clip 136 clip1080p30_136s.mp4
B=$BUILD/bench/bench_pipeline
# INDEX.tsv column 6 the camera view, column 7 "21.0s / 360x640 / 60fps"
PHONE=$SHARED/$(awk -F'\t' '$6 == "side" && $7 ~ / 60fps/ { d = $7 + 0; if (d > best) { best = d
    f = $1 } } END { print f }' "$SHARED/INDEX.tsv" 2>/dev/null)

echo "# $(uname -m), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## 1. full, default settings"
"$B" "$CLIP" --model full --runs "$RUNS"
echo "## 1b. full, default settings, the whole analysis (hingecheck VIDEO)"
"$B" "$CLIP" --model full --analyse --runs 3
echo "## 1c. full, two halves at once: pose alone, the analysis"
"$B" "$CLIP" --model full --two-halves --runs 3
"$B" "$CLIP" --model full --two-halves --analyse --runs 3
if [ -f "$PHONE" ]; then
    echo "## 1d. full, a 60 fps side-view phone clip, the analysis: default, two halves"
    "$B" "$PHONE" --model full --analyse --runs 3
    "$B" "$PHONE" --model full --two-halves --analyse --runs 3
fi
echo "## 2. full, sequential, 1 thread"
"$B" "$CLIP" --model full --mode seq --runs "$RUNS"
echo "## 3. full, --threads 2"
"$B" "$CLIP" --model full --threads 2 --end 10 --runs 3
echo "## 4a. lite, default settings"
"$B" "$CLIP" --model lite --runs "$RUNS"
echo "## 4b. heavy, default settings"
"$B" "$CLIP" --model heavy --runs "$RUNS"
echo "## 5. full, default settings, clip 4x longer (peak RSS must stay flat)"
"$B" "$LONG" --model full --runs 1
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
