#!/bin/sh
# run-bench-peer.sh [BUILD_DIR] [FRAMES] - a peer side by side (a benchmark, not a test): Google's
# own MediaPipe runtime for the same models, the JS solution of the npm package the models come
# from (@mediapipe/pose 0.5.1675469404: pose_landmark_full.tflite, the detector inside its packed
# assets), in Debian's headless Chromium, on the 1080p30 clip of run-bench-pipeline.sh, against
# hingecheck's pose pass on the same frames. Prints the solution's frames per second (its send()
# calls only; seeking the <video> to each frame is timed apart) and the ratio of hingecheck's.
#
# The solution runs its graph in WebAssembly with WebGL for the image steps; without a GPU,
# Chromium's SwiftShader draws them on the CPU. Settings as hingecheck's default: full model
# (modelComplexity 1), landmark smoothing on, no segmentation (hingecheck computes masks only on
# the frames that need them). FRAMES (default 300, the first 10 s) bounds the run: on a CPU-only
# 2-core machine the solution takes seconds a frame at 1080p when the machine is busy.
#
# Google's Python package (mediapipe on PyPI) is the other peer: it has no wheel for this
# machine's Python and cannot be installed here, so it is not measured (no estimate is made).
#
# Needs: npm (the package is fetched once with `npm pack` into BUILD_DIR/peer), python3 (a local
# HTTP server: the solution fetches its wasm and models), /usr/bin/chromium.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${1:-$ROOT/build-bench}
FRAMES=${2:-300}
PKG=@mediapipe/pose@0.5.1675469404
PORT=${HC_PEER_PORT:-8765}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
for tool in npm python3 "$CHROMIUM"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "run-bench-peer: needs $tool" >&2; exit 2; }
done
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" --target hingecheck bench_whole bench_mkclip -j2 >/dev/null
BUILD=$(cd "$BUILD" && pwd) # the page's links are absolute
CLIP=$BUILD/bench-clips/clip1080p30_34s.mp4
if [ ! -f "$CLIP" ]; then
    echo "run-bench-peer: run bench/run-bench-pipeline.sh or run-bench-whole.sh first (it makes $CLIP)" >&2
    exit 2
fi
P=$BUILD/peer
mkdir -p "$P/root"
if [ ! -f "$P/package/pose.js" ]; then
    (cd "$P" && npm pack --silent "$PKG" >/dev/null && tar xzf mediapipe-pose-*.tgz)
fi
cp "$HERE/peer/peer_pose.html" "$P/root/"
ln -sfn "$P/package" "$P/root/pose"
ln -sf "$CLIP" "$P/root/clip.mp4"
FPS=$("$BUILD/hingecheck" probe "$CLIP" | awk '$1 == "fps:" {print $2}')
rm -rf "$P/result.json" "$P/profile"
python3 "$HERE/peer/peer_server.py" "$P/root" "$P/result.json" "$PORT" &
SERVER=$!
CHROME=
cleanup() {
    [ -n "$CHROME" ] && kill "$CHROME" 2>/dev/null
    kill "$SERVER" 2>/dev/null
    true
}
trap cleanup EXIT INT TERM
sleep 1
echo "# $(uname -m), $(nproc) CPUs; $("$CHROMIUM" --version 2>/dev/null | head -1); $PKG"
echo "# load before the peer: $(cut -d' ' -f1-3 /proc/loadavg)"
"$CHROMIUM" --headless=new --no-sandbox --disable-dev-shm-usage --use-angle=swiftshader \
    --enable-unsafe-swiftshader --user-data-dir="$P/profile" \
    "http://127.0.0.1:$PORT/peer_pose.html?clip=clip.mp4&fps=$FPS&frames=$FRAMES&complexity=1" \
    >"$P/chromium.log" 2>&1 &
CHROME=$!
while [ ! -f "$P/result.json" ] && kill -0 "$CHROME" 2>/dev/null; do
    sleep 2
done
if [ ! -f "$P/result.json" ]; then
    echo "run-bench-peer: Chromium ended without a result; see $P/chromium.log" >&2
    exit 2
fi
cat "$P/result.json"
echo
END=$(awk "BEGIN {print $FRAMES / $FPS}")
echo "# load before hingecheck: $(cut -d' ' -f1-3 /proc/loadavg)"
HC=$("$BUILD/bench/bench_whole" --exec "$BUILD/hingecheck" pose --model full --end "$END" \
    -o /dev/null "$CLIP")
echo "hingecheck pose --model full --end $END (the same frames): $HC"
python3 - "$P/result.json" "$HC" "$FRAMES" <<'PY'
import json, re, sys
r = json.load(open(sys.argv[1]))
if not r.get("ok"):
    sys.exit("run-bench-peer: the solution failed: " + r.get("error", "?"))
peer_fps = r["frames"] / (r["send_ms"] / 1000.0)
m = re.search(r"wall ([0-9.]+) s, CPU ([0-9.]+) s", sys.argv[2])
wall, cpu = float(m.group(1)), float(m.group(2))
hc_fps = r["frames"] / wall
print(f"peer: {r['frames']} frames {r['width']}x{r['height']}, a pose on {r['with_pose']}; "
      f"{peer_fps:.2f} fps in send() ({r['send_ms'] / r['frames']:.0f} ms a frame; seeking "
      f"{r['seek_ms'] / r['frames']:.0f} ms a frame apart; start-up {r['init_ms'] / 1000:.1f} s), "
      f"WebGL: {r['renderer']}")
print(f"hingecheck: {hc_fps:.2f} fps (whole process, model loading included; CPU {cpu:.1f} s); "
      f"ratio hingecheck / peer {hc_fps / peer_fps:.1f}x")
print("Google's Python package (mediapipe on PyPI): cannot be installed here, not measured")
PY
