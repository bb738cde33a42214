#!/bin/sh
# setup.sh - the README's first command: install what is missing (Debian 12), fetch the models,
# build, and run hingecheck on the bundled demo clip.
set -eu
cd "$(dirname "$0")/.."

# Debian packages the build and the tests need (see README "Dependencies"): libraries by package
# name, tools by command (npm may come from another Node.js packaging than Debian's npm package).
PKGS="libavformat-dev libavcodec-dev libswscale-dev libavutil-dev libxnnpack-dev \
libpthreadpool-dev libopencv-core-dev libopencv-imgproc-dev libcjson-dev check ca-certificates \
chromium fonts-dejavu-core parallel python3-jsonschema clang libclang-rt-14-dev"
# chromium + fonts: the HTML report's browser test; parallel: the batch sharding test;
# python3-jsonschema: the reports checked against docs/report.schema.json (test_report_schema);
# clang and its libFuzzer runtime: the fuzzing run of tools/test.sh (tools/fuzz-smoke.sh).
TOOLS="gcc:gcc g++:g++ make:make cmake:cmake pkg-config:pkg-config npm:npm"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
for t in $TOOLS; do
    command -v "${t%%:*}" >/dev/null 2>&1 || missing="$missing ${t#*:}"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "setup: installing$missing"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
    else
        echo "setup: missing Debian packages; run this as root, then run tools/setup.sh again:" >&2
        echo "  apt-get install -y$missing" >&2
        exit 1
    fi
fi

models/fetch-models.sh
JOBS=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$JOBS"

DEMO=data/demo/demo_rdl.mp4
echo "setup: build ok; running hingecheck on the demo clip ($DEMO)"
./build/hingecheck "$DEMO"
