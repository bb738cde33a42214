#!/bin/sh
# fetch-models.sh [DIR]          fetch MediaPipe's BlazePose models from the npm registry, pinned, and
# verify them against SHA256SUMS. Idempotent: files that already verify are not downloaded again.
# The model files are made readable by every user (a+r): the tarball's 0750 modes, or a umask of
# 077, would leave them unreadable to the other users of an installed hingecheck.
# fetch-models.sh --check [DIR]  only verify the files in DIR (no download); names each bad file.
#
# Source: npm package @mediapipe/pose@0.5.1675469404 (Apache-2.0). pose_solution_packed_assets.data
# in that package is pose_detection.tflite byte for byte (its loader maps bytes 0..2962288 to
# /third_party/mediapipe/modules/pose_detection/pose_detection.tflite); we save it under that name.
#
# Exit: 0 all verified; 1 usage; 2 npm missing or download failed; 3 checksum mismatch.
set -eu

PKG="@mediapipe/pose@0.5.1675469404"
HERE=$(cd "$(dirname "$0")" && pwd)
CHECK_ONLY=0
if [ "${1:-}" = "--check" ]; then
    CHECK_ONLY=1
    shift
fi
case "${1:-}" in
-*) echo "usage: $0 [--check] [DIR]" >&2; exit 1 ;;
esac
DIR=${1:-$HERE}
SUMS="$HERE/SHA256SUMS"

die() { code=$1; shift; echo "fetch-models: $*" >&2; exit "$code"; }

[ -f "$SUMS" ] || die 2 "$SUMS is missing; check out the repository again"
command -v sha256sum >/dev/null 2>&1 || die 2 "sha256sum not found; install coreutils"
mkdir -p "$DIR" || die 2 "cannot create $DIR"

MODELS="pose_landmark_lite.tflite pose_landmark_full.tflite pose_landmark_heavy.tflite"
MODELS="$MODELS pose_detection.tflite"

verify_all() {
    (cd "$DIR" && sha256sum --check --status "$SUMS" 2>/dev/null)
}

# chmod a+r on the models; a file of another owner that stays unreadable to others is named.
share_all() {
    for f in $MODELS; do
        chmod a+r "$DIR/$f" 2>/dev/null ||
            echo "fetch-models: warning: cannot make $DIR/$f readable by every user;" \
                "run chmod a+r on it" >&2
    done
}

if verify_all; then
    [ "$CHECK_ONLY" = 1 ] || share_all
    echo "fetch-models: all 4 models present and verified in $DIR"
    exit 0
fi
if [ "$CHECK_ONLY" = 1 ]; then
    (cd "$DIR" && sha256sum --check --quiet "$SUMS" 2>/dev/null) | sed 's/^/fetch-models: /' >&2
    die 3 "models in $DIR are missing or corrupt (listed above); run $0 $DIR to fetch them again"
fi

command -v npm >/dev/null 2>&1 ||
    die 2 "npm not found; install it (apt-get install npm) and run $0 again"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
echo "fetch-models: downloading $PKG from the npm registry"
if ! (cd "$TMP" && npm pack --silent "$PKG" >npm.log 2>&1); then
    tail -n 5 "$TMP/npm.log" >&2 || true
    die 2 "npm pack $PKG failed (no network to the npm registry?); run $0 again when it is reachable"
fi
TGZ=$(ls "$TMP"/*.tgz 2>/dev/null | head -n 1)
[ -n "$TGZ" ] || die 2 "npm pack produced no tarball"
tar -xzf "$TGZ" -C "$TMP" package/pose_landmark_lite.tflite package/pose_landmark_full.tflite \
    package/pose_landmark_heavy.tflite package/pose_solution_packed_assets.data ||
    die 2 "the tarball of $PKG lacks the expected model files"

for f in pose_landmark_lite.tflite pose_landmark_full.tflite pose_landmark_heavy.tflite; do
    cp "$TMP/package/$f" "$DIR/$f.part" && mv "$DIR/$f.part" "$DIR/$f"
done
cp "$TMP/package/pose_solution_packed_assets.data" "$DIR/pose_detection.tflite.part" &&
    mv "$DIR/pose_detection.tflite.part" "$DIR/pose_detection.tflite"

if ! (cd "$DIR" && sha256sum --check --quiet "$SUMS" >&2); then
    die 3 "checksum mismatch in $DIR (listed above); delete those files and run $0 again"
fi
share_all
echo "fetch-models: 4 models fetched and verified in $DIR"
