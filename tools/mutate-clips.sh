#!/bin/sh
# mutate-clips.sh - damaged-media robustness: renders a short clip with the project's generator
# (hc_synth), damages copies of it (truncations, byte flips, zeroed ranges; deterministic for a
# seed) and runs hingecheck on each, checking that no run crashes, hangs or prints a sanitizer
# report, and that every exit code is one the README documents for an analysis (0 done, 2 input
# error, 3 no lifter / no rep). Meant for the ASan/UBSan build (tools/test.sh runs it on
# build-asan); any build works.
#
#     tools/mutate-clips.sh [BUILD_DIR [N_MUTATIONS [SEED]]]    (defaults: build-asan 8 1)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build-asan}
n=${2:-8}
seed=${3:-1}
bin=$build/hingecheck
synth=$build/tools/hc_synth
[ -x "$bin" ] && [ -x "$synth" ] || { echo "mutate-clips: build $build first" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$synth" --reps 1 --lead-in-s 0.2 --lead-out-s 0.2 --width 256 --height 192 --fps 10 \
    --out "$tmp/clip.mp4" >/dev/null
size=$(wc -c <"$tmp/clip.mp4")

# The mutations: one line each, "kind offset length" (byte offsets within the clip), from an awk
# generator seeded with SEED: truncations, runs of bytes with every bit set, zeroed ranges.
awk -v n="$n" -v size="$size" -v seed="$seed" 'BEGIN {
    srand(seed);
    for (i = 0; i < n; i++) {
        k = i % 3;
        off = int(rand() * size);
        if (k == 0) print "cut", off, 0;
        else if (k == 1) print "flip", off, 1 + int(rand() * 16);
        else print "zero", off, 64 + int(rand() * 4096);
    }
}' >"$tmp/plan"

# ASan / UBSan: a report fails the run (exit code 99 from ASan; UBSan aborts).
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=99}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS
fails=0
i=0
while read -r kind off len; do
    i=$((i + 1))
    m="$tmp/m$i.mp4"
    case $kind in
    cut) head -c "$off" "$tmp/clip.mp4" >"$m" ;;
    flip)
        cp "$tmp/clip.mp4" "$m"
        # every bit of the run set (0xff): lengths, flags and codes all turn implausible
        head -c "$len" /dev/zero | tr '\000' '\377' |
            dd of="$m" bs=1 seek="$off" conv=notrunc 2>/dev/null ;;
    zero)
        cp "$tmp/clip.mp4" "$m"
        dd if=/dev/zero of="$m" bs=1 seek="$off" count="$len" conv=notrunc 2>/dev/null ;;
    esac
    set +e
    timeout 300 "$bin" "$m" --json "$tmp/r.json" -q >"$tmp/out" 2>"$tmp/err"
    rc=$?
    set -e
    verdict=ok
    case $rc in
    0 | 2 | 3) ;;
    124) verdict="hang (over 300 s)" ;;
    *) verdict="exit code $rc" ;;
    esac
    if grep -q "Sanitizer\|runtime error:" "$tmp/err"; then
        verdict="sanitizer report"
    fi
    echo "mutate-clips: $kind at $off (+$len): exit $rc, $verdict"
    if [ "$verdict" != ok ]; then
        fails=$((fails + 1))
        cp "$m" "$build/mutated-$i.mp4"
        sed -n '1,40p' "$tmp/err" >&2
        echo "mutate-clips: the input is kept as $build/mutated-$i.mp4" >&2
    fi
done <"$tmp/plan"
echo "mutate-clips: $i damaged clips, $fails failed"
[ "$fails" -eq 0 ]
