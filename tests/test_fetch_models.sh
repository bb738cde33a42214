#!/bin/sh
# test_fetch_models.sh MODELS_DIR - fetch-models.sh detects a corrupted or missing model (a copy in
# a temp dir with one flipped byte), exits 3 and names the file; verified files are left alone,
# only made readable by every user.
set -u
SRC=${1:?usage: test_fetch_models.sh MODELS_DIR}
SCRIPT="$SRC/fetch-models.sh"
fail() { echo "FAIL: $*"; exit 1; }
for f in pose_landmark_lite.tflite pose_landmark_full.tflite pose_landmark_heavy.tflite pose_detection.tflite; do
    [ -f "$SRC/$f" ] || { echo "SKIP: $SRC/$f missing (run models/fetch-models.sh)"; exit 0; }
done
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cp "$SRC"/*.tflite "$TMP"/

out=$("$SCRIPT" --check "$TMP" 2>&1); rc=$?
[ $rc -eq 0 ] || fail "intact copies did not verify (rc $rc): $out"

# Flip one byte in the middle of the full model.
size=$(stat -c %s "$TMP/pose_landmark_full.tflite")
printf '\377' | dd of="$TMP/pose_landmark_full.tflite" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
out=$("$SCRIPT" --check "$TMP" 2>&1); rc=$?
[ $rc -eq 3 ] || fail "corrupted model not detected (rc $rc): $out"
echo "$out" | grep -q "pose_landmark_full.tflite" || fail "message does not name the file: $out"
echo "$out" | grep -q "lite.tflite" && fail "intact file reported as bad: $out"

# A missing file too.
rm "$TMP/pose_detection.tflite"
out=$("$SCRIPT" --check "$TMP" 2>&1); rc=$?
[ $rc -eq 3 ] || fail "missing model not detected (rc $rc): $out"
echo "$out" | grep -q "pose_detection.tflite" || fail "message does not name the missing file: $out"

# Verified files that only their owner's group may read (the npm tarball's 0750 modes) are made
# readable by every user, without a download.
cp "$SRC"/*.tflite "$TMP"/ && chmod 0750 "$TMP"/*.tflite
out=$("$SCRIPT" "$TMP" 2>&1); rc=$?
[ $rc -eq 0 ] || fail "verified models with mode 0750 gave rc $rc: $out"
for f in "$TMP"/*.tflite; do
    mode=$(stat -c %#a "$f")
    [ "$((mode & 4))" -ne 0 ] || fail "$f left unreadable to other users: $mode"
done

# Unknown option.
"$SCRIPT" --bogus >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] || fail "unknown option gave rc $rc, want 1"
echo "1 passed, 0 failed"
