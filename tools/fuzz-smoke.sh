#!/bin/sh
# fuzz-smoke.sh - a short libFuzzer run of the data-file loaders (tests/fuzz/fuzz_rules.c,
# fuzz_track.c) from seeds written from the project's own files: builds build-fuzz with clang,
# writes the seeds, runs each target SECONDS (default 20; HC_FUZZ_SECONDS) and fails on any crash,
# leak, sanitizer report or timeout (the input is left in build-fuzz/fuzz-artifacts/). Needs clang
# and its libFuzzer runtime (Debian: clang, libclang-rt-14-dev; tools/setup.sh installs them);
# without them it says so and exits 77 (skipped). A long run: HC_FUZZ_SECONDS=600.
set -eu
cd "$(dirname "$0")/.."
SECONDS_EACH=${HC_FUZZ_SECONDS:-${1:-20}}
JOBS=$(nproc 2>/dev/null || echo 2)
[ "$JOBS" -gt 2 ] && JOBS=2
if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz-smoke: clang not found; skipped (apt-get install clang libclang-rt-14-dev)" >&2
    exit 77
fi
[ -x build/tools/hc_synth ] || { echo "fuzz-smoke: build first (tools/setup.sh)" >&2; exit 1; }
cmake -S . -B build-fuzz -DHC_FUZZ=ON -DHC_BUILD_TESTS=OFF -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
if ! cmake --build build-fuzz -j "$JOBS" --target fuzz_rules fuzz_track >build-fuzz/build.log 2>&1
then
    if grep -q "libclang_rt.fuzzer\|fsanitize=fuzzer" build-fuzz/build.log; then
        echo "fuzz-smoke: clang has no libFuzzer runtime; skipped (libclang-rt-14-dev)" >&2
        exit 77
    fi
    cat build-fuzz/build.log >&2
    exit 1
fi
corpus=build-fuzz/fuzz-corpus
art=build-fuzz/fuzz-artifacts
rm -rf "$corpus"
mkdir -p "$art"
tests/fuzz/fuzz_seeds.sh build "$corpus"
rc=0
for t in rules track; do
    log=build-fuzz/fuzz_$t.log
    if ASAN_OPTIONS=detect_leaks=1 build-fuzz/tests/fuzz/fuzz_$t "$corpus/$t" \
        -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$art/$t-" -print_final_stats=1 >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "fuzz-smoke: fuzz_$t: $runs executions in ${SECONDS_EACH} s, no crash"
    else
        echo "fuzz-smoke: fuzz_$t FAILED (input in $art/):" >&2
        grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$log" >&2 || tail -20 "$log" >&2
        rc=1
    fi
done
exit $rc
