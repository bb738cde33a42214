# bench-clip.sh - sourced by run-bench-pipeline.sh and run-bench-whole.sh (after ROOT and BUILD
# are set, and after bench_mkclip is built): makes the 1080p30 bench clips once into
# BUILD/bench-clips by looping the longest 1920x1080 30 fps clip listed in
# ../shared/clips/INDEX.tsv (column 7: "4.9s / 1920x1080 / 30fps"), and sets CLIPS and CLIP (34 s).
# bench_make_clip SECONDS NAME makes another length. Exits 2 when no such clip is listed.
SHARED=$(dirname "$ROOT")/shared/clips
SRC=$SHARED/$(awk -F'\t' '$7 ~ / 1920x1080 \/ 30fps/ { d = $7 + 0; if (d > best) { best = d
    f = $1 } } END { print f }' "$SHARED/INDEX.tsv" 2>/dev/null)
if [ ! -f "$SRC" ]; then
    echo "$(basename "$0"): no 1080p30 clip in $SHARED/INDEX.tsv: the benchmark loops one" >&2
    exit 2
fi
CLIPS=$BUILD/bench-clips
mkdir -p "$CLIPS"
bench_make_clip() {
    [ -f "$CLIPS/$2" ] || "$BUILD/bench/bench_mkclip" "$SRC" "$CLIPS/$2" "$1"
}
CLIP=$CLIPS/clip1080p30_34s.mp4
bench_make_clip 34 clip1080p30_34s.mp4
