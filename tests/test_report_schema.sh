#!/bin/sh
# test_report_schema.sh - every kind of JSON report hingecheck writes, checked against
# docs/report.schema.json by a real JSON Schema validator (tests/validate_report.py: Python's
# jsonschema, Draft 2020-12), on synthetic tracks and clips made here by hc_synth.
#
#   test_report_schema.sh tracks|video HINGECHECK HC_SYNTH SOURCE_DIR
#
# tracks: `score` reports (with and without --series): sets with faults, a deadlift, no rep, no
#   lifter, an oblique view (not-assessable findings), a borderline knee, a front view and a
#   side and front pair (--front); and the validator must
#   reject reports broken on purpose. video (needs the pose model): `analyse` of a clip and a
#   batch over it and a file that is not a video (its failure report).
# Exit 0 ok, 1 a report invalid or a kind missing, 77 skipped (no jsonschema module).
set -eu
mode=$1 hc=$2 synth=$3 src=$4
schema="$src/docs/report.schema.json"
validate() { python3 "$src/tests/validate_report.py" "$schema" "$@"; }
python3 -c 'import jsonschema' 2>/dev/null || { validate "$schema" "$schema"; exit $?; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hc_schema_XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ "$mode" = tracks ]; then
    while IFS='|' read -r name opts; do
        "$synth" $opts --track "$tmp/$name.jsonl" > /dev/null
    done <<'CASES'
clean|--reps 3
faults|--reps 4 --fault bar-drift --fault too-shallow@3
deadlift|--lift deadlift --reps 3
norep|--reps 2 --depth-deg 165
oblique|--reps 3 --yaw-deg 70
front|--reps 3 --yaw-deg 90 --fault knee-valgus@2
borderline|--reps 2 --knee-var-deg 14
CASES
    # a track with no lifter on any frame
    {
        echo '{"hingecheck_track":1,"version":"0.1.0","source":"empty.mp4","width":640,"height":360,"fps":30,"duration_s":2.0,"model":"full","smooth":true}'
        i=0
        while [ $i -lt 60 ]; do
            echo "{\"frame\":$i,\"t\":$(awk "BEGIN{print $i/30}"),\"landmarks\":null,\"world\":null}"
            i=$((i + 1))
        done
    } > "$tmp/nopose.jsonl"
    for t in "$tmp"/*.jsonl; do
        n=${t%.jsonl}
        rc=0
        "$hc" score "$t" --json "$n.json" -q || rc=$?
        "$hc" score "$t" --json "$n.series.json" --series --deterministic -q || rc=$?
        [ $rc -eq 0 ] || [ $rc -eq 3 ] || { echo "score $t: exit $rc"; exit 1; }
    done
    # two cameras: the clean side set with the front one (a set of the same script)
    "$hc" score "$tmp/clean.jsonl" --front "$tmp/front.jsonl" --json "$tmp/pair.json" -q ||
        { echo "score --front: exit $?"; exit 1; }
    # ... and a side clip without a rep: nothing aligned, the report still written (exit 3)
    rc=0
    "$hc" score "$tmp/norep.jsonl" --front "$tmp/front.jsonl" --json "$tmp/pair-norep.json" -q ||
        rc=$?
    [ $rc -eq 3 ] || { echo "score --front of a set without a rep: exit $rc, expected 3"; exit 1; }
    validate "$tmp"/*.json --expect not-assessable --expect borderline --expect series \
        --expect no-pose --expect no-reps --expect pair
    # the validator must say no to reports broken on purpose
    python3 - "$tmp" <<'PY'
import json, sys
d = sys.argv[1]
doc = json.load(open(f"{d}/oblique.json"))
na = next(f for r in doc["reps"] for f in r["findings"] if f["rule"] == "not-assessable")
na["value"] = 1.5                                  # a number where the rule could not judge
json.dump(doc, open(f"{d}/broken1.bad", "w"))
doc = json.load(open(f"{d}/clean.json"))
del doc["clip"]["fps"]                             # a required key of a full report
json.dump(doc, open(f"{d}/broken2.bad", "w"))
doc = json.load(open(f"{d}/borderline.json"))
bl = next(f for r in doc["reps"] for f in r["findings"] if f.get("borderline"))
del bl["band"]                                     # a borderline note without its band
json.dump(doc, open(f"{d}/broken3.bad", "w"))
PY
    for b in "$tmp"/*.bad; do
        if validate "$b" > /dev/null; then
            echo "the validator accepted $b, broken on purpose"
            exit 1
        fi
    done
    echo "test_report_schema: the validator rejects the 3 reports broken on purpose"
    exit 0
fi

# video: the analysis of a clip, and a batch with a clip that is not a video
mkdir -p "$tmp/in"
"$synth" --reps 2 --width 480 --height 270 --fps 20 --out "$tmp/in/set.mp4" > /dev/null
echo "not a video" > "$tmp/in/broken.mp4"
"$hc" "$tmp/in/set.mp4" --json "$tmp/analyse.json" --series -q
rc=0
"$hc" batch "$tmp/in" --out "$tmp/out" -q || rc=$?
[ $rc -eq 11 ] || { echo "batch: exit $rc, expected 11 (one clip failed)"; exit 1; }
validate "$tmp/analyse.json" "$tmp"/out/*.json --expect failed --expect series
