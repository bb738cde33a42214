#!/bin/sh
# run-bench-batch.sh [BUILD_DIR] [RUNS] - batch scaling: `hingecheck batch` on 8
# synthetic clips (640x360, 30 fps, 3 reps, ~14.6 s each; default full model) with --jobs 1 and
# --jobs 2, --force each time, RUNS runs each (default 3), alternating; prints every run's wall
# time, CPU time (user+sys), peak RSS and each thread's CPU time (bench_whole --exec: the
# workers are threads of the one process) with the load average before it, then the median wall
# times and their ratio (target >= 1.8). On a shared machine the wall clock measures the others'
# load as much as hingecheck: read the load average and the threads' CPU times; the total CPU
# time should be the same for both (no work duplicated by the second worker), and with --jobs 2
# two threads should each carry about half of it. The clips are made once into
# BUILD_DIR/bench-batch/in.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${1:-$ROOT/build-bench}
RUNS=${2:-3}
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" --target hingecheck hc_synth bench_whole -j2 >/dev/null
W=$BUILD/bench-batch
mkdir -p "$W/in"
for i in 1 2 3 4 5 6 7 8; do
    [ -f "$W/in/clip$i.mp4" ] ||
        "$BUILD/tools/hc_synth" --width 640 --height 360 --reps 3 --seed "$i" --out "$W/in/clip$i.mp4"
done
echo "# batch: $(nproc) cores; clips: $(ls "$W/in" | wc -l | tr -d ' ') files in $W/in"
: >"$W/times"
r=1
while [ "$r" -le "$RUNS" ]; do
    for j in 1 2; do
        rm -rf "$W/out"
        load=$(cut -d' ' -f1-3 /proc/loadavg)
        line=$("$BUILD/bench/bench_whole" --exec "$BUILD/hingecheck" batch "$W/in" --out "$W/out" \
            --jobs "$j" --quiet --deterministic) || true
        echo "jobs $j run $r (load before: $load): $line"
        echo "$j $(echo "$line" | awk '{print $2}')" >>"$W/times"
    done
    r=$((r + 1))
done
m1=$(awk '$1 == 1 {print $2}' "$W/times" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
m2=$(awk '$1 == 2 {print $2}' "$W/times" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
echo "median wall: jobs 1 $m1 s, jobs 2 $m2 s; speed-up $(awk "BEGIN {printf \"%.2f\", $m1 / $m2}") (target >= 1.8)"
