#!/bin/sh
# fuzz_seeds.sh - writes the seed corpora of fuzz_rules and fuzz_track from the project's own
# files: the built-in rules (whole, and each rule alone in a minimal document) and a short pose
# track written by hc_synth (whole, its header, a null frame, a frame with a pose).
#
#     tests/fuzz/fuzz_seeds.sh BUILD_DIR OUT_DIR     (OUT_DIR/rules, OUT_DIR/track)
set -eu
build=$1
out=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out/rules" "$out/track"
cp "$src/src/rules/default_rules.json" "$out/rules/default.json"
# each rule alone, and the document's head (a rules file without rules)
awk '/^    \{$/ { n++; f = sprintf("%s/rules/rule%02d.json", out, n);
       print "{\"schema\": \"hingecheck-rules/1\", \"min_confidence\": 0.5, \"scoring\": " \
             "{\"info\": 0, \"warning\": 10, \"error\": 25}, \"rules\": [" > f }
     /^    \},?$/ { if (f) { print "    }]}" > f; close(f); f = "" } next }
     f { print > f }' out="$out" "$src/src/rules/default_rules.json"
head -c 400 "$src/src/rules/default_rules.json" > "$out/rules/head.json"
tmp=$(mktemp -d)
"$build/tools/hc_synth" --reps 1 --lead-in-s 0.2 --lead-out-s 0.2 --width 320 --height 240 \
    --fps 10 --out "$tmp/clip.mp4" --track "$tmp/clip.jsonl" >/dev/null
cp "$tmp/clip.jsonl" "$out/track/synth.jsonl"
head -n 1 "$tmp/clip.jsonl" > "$out/track/header.jsonl"
head -n 2 "$tmp/clip.jsonl" > "$out/track/one-frame.jsonl"
printf '{"frame":0,"t":0,"landmarks":null,"world":null}\n' > "$out/track/null.jsonl"
# what an analysis adds to a frame (--track): the implement found and the mask spine value
printf '%s%s\n' '{"frame":0,"t":0,"landmarks":null,"world":null,' \
    '"implement":["barbell",120.5,80.25,30,0.9,55],"spine_mask":[0.021,0.8]}' \
    > "$out/track/extra.jsonl"
rm -rf "$tmp"
