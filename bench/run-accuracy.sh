#!/bin/sh
# run-accuracy.sh [OPTIONS] [-- HINGECHECK OPTIONS] - how right hingecheck's verdicts are on the
# labelled real clips (docs/ACCURACY.md): runs bench/accuracy.py with the same options. Without
# --bin, --reports or --self-test it first builds build/hingecheck (Release, -j2), the binary
# accuracy.py runs by default. A hand-run script, never a timed test.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
build=1
for a in "$@"; do
    case $a in
        --) break ;;
        --bin | --bin=* | --reports | --reports=* | --self-test | -h | --help) build=0 ;;
    esac
done
if [ "$build" = 1 ]; then
    if [ ! -f "$ROOT/build/CMakeCache.txt" ]; then
        cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    fi
    cmake --build "$ROOT/build" --target hingecheck -j2 >/dev/null
fi
exec python3 "$HERE/accuracy.py" "$@"
