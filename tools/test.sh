#!/bin/sh
# test.sh - the README's second command: build (incrementally) and run every test suite, then the
# unit suites again under AddressSanitizer + UndefinedBehaviorSanitizer, then a short fuzzing run
# of the data-file loaders (tools/fuzz-smoke.sh) and the analysis of a few damaged clips under the
# sanitizers (tools/mutate-clips.sh). Exits non-zero on any failure. Suites that need ../shared
# skip with a message when it is absent.
set -eu
cd "$(dirname "$0")/.."
JOBS=$(nproc 2>/dev/null || echo 2)

[ -x build/hingecheck ] || { echo "test: run tools/setup.sh first" >&2; exit 1; }
cmake --build build -j "$JOBS"
ctest --test-dir build --output-on-failure -j "$JOBS" --label-exclude browser-manual

echo "test: sanitizer build (ASan+UBSan) of the unit suites"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DHC_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$JOBS"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$JOBS" -L unit

echo "test: fuzzing the rules and track loaders (20 s each)"
set +e
tools/fuzz-smoke.sh 20
rc=$?
set -e
if [ "$rc" -eq 77 ]; then
    echo "test: fuzzing skipped (no clang with libFuzzer)"
elif [ "$rc" -ne 0 ]; then
    exit "$rc"
fi

echo "test: damaged clips under ASan+UBSan"
tools/mutate-clips.sh build-asan 6 1
