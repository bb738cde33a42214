#!/bin/sh
# run-bench-nn.sh [BUILD_DIR] [bench_nn options] - inference speed of the four BlazePose models on
# hingecheck's XNNPACK runtime: median ms at 1 and 2 threads over 50 runs after 10 warm-ups, for
# all outputs and for landmarks only, GMAC/s, ratio to ../shared/PERF-NOTES.md, peak RSS.
#
# Figures are only meaningful on an idle machine: the script prints the load average before and
# after, and under `perf stat` (when available) the task-clock and context switches, so a noisy
# run shows itself; 1-thread rows also give the thread's CPU time per inference (median), which
# other processes on the core inflate far less than the wall clock. Builds bench_nn first
# (Release). Exit 0 on success, 2 when a model fails.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${1:-$ROOT/build-bench}
[ $# -gt 0 ] && shift
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" --target bench_nn -j2 >/dev/null
echo "# $(uname -m), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
if command -v perf >/dev/null 2>&1 && perf stat -e task-clock true >/dev/null 2>&1; then
    perf stat -e task-clock,context-switches,cpu-migrations -- "$BUILD/bench/bench_nn" "$@"
else
    "$BUILD/bench/bench_nn" "$@"
fi
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
