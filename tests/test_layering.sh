#!/bin/sh
# test_layering.sh SRC_DIR - docs/ARCHITECTURE.md's "who may include whom", checked on the code:
# every project header a module includes must belong to a module it may use, the public header
# hingecheck.h is included only where the API is defined or driven, and each third-party
# library's headers are included by their one module only.
set -u
SRC=${1:?usage: test_layering.sh SRC_DIR}
TMPF=$(mktemp)
trap 'rm -f "$TMPF"' EXIT

# module: the project modules it may include (besides itself and core). "*": every module.
allowed() {
    case "$1" in
    core | video | nn | cv | track) echo "" ;;
    kin) echo "cv" ;;                   # contours
    implement) echo "cv kin" ;;         # frames handed to it, poses
    reps) echo "kin" ;;
    rules) echo "kin reps" ;;
    pose) echo "nn cv" ;;               # works on frames handed to it
    report) echo "kin reps rules cv" ;; # a writer takes results only
    pipeline) echo "*" ;;               # src/pipeline/: the one place that sees all
    cli) echo "" ;;                     # the public header only (below)
    *) echo "" ;;
    esac
}

# Where the public header may be included: "all" (any file of the module), "c" (only the .c files
# that define public functions, so the module's headers do not hand the API to their includers),
# or "no". kin, reps, rules, cv, report and track get the types they share with the API from
# core.h (src/core/core.h says how), never the API itself.
public_header() {
    case "$1" in
    cli | pipeline | pose) echo all ;;
    core | video | nn) echo c ;;
    *) echo no ;;
    esac
}

# third-party header prefix: its includers.
owner() {
    case "$1" in
    libav* | libsw*) echo video ;;
    xnnpack.h | pthreadpool.h) echo nn ;;
    opencv2/*) echo cv ;;
    cjson/*) echo "report rules track" ;;
    *) echo "" ;;
    esac
}

# Includes that may break the rules above for a while, one "file: header" per line (file relative
# to SRC_DIR) with the reason in a comment; empty: none may. An entry whose include is gone fails.
ALLOW_FOR_NOW="
"

fail() {
    echo "FAIL: $1"
    echo x >>"$TMPF"
}

check_file() { # check_file MODULE FILE
    m=$1
    f=$2
    rel=${f#"$SRC"/}
    ok="$m core $(allowed "$m")"
    grep -o '#include *["<][^">]*[">]' "$f" | sed 's/#include *//' | while read -r inc; do
        name=${inc#?}
        name=${name%?}
        case "$(printf '%s\n' "$ALLOW_FOR_NOW" | grep -Fx "$rel: $name")" in
        ?*) continue ;;
        esac
        case "$inc" in
        \"*)
            if [ "$name" = hingecheck.h ]; then
                case "$(public_header "$m"),$f" in
                all,*) ;;
                c,*.c) ;;
                c,*) fail "$rel includes hingecheck.h: module $m's headers may not (only its .c files that define public functions)" ;;
                *) fail "$rel includes hingecheck.h: module $m may not see the public API (shared types come through core/core.h)" ;;
                esac
                continue
            fi
            dep=${name%%/*}
            [ "$dep" = "$name" ] && continue # same-folder include
            case " $ok " in
            *" * "* | *" $dep "*) ;;
            *) fail "$rel includes $name: module $m may not use $dep" ;;
            esac
            if [ "$m" = cli ]; then
                [ "$dep" = cli ] || fail "$rel: the CLI sees only hingecheck.h"
            fi
            ;;
        *)
            o=$(owner "$name")
            [ -n "$o" ] || continue
            case " $o " in
            *" $m "*) ;;
            *) fail "$rel includes <$name>: only $o may include it" ;;
            esac
            ;;
        esac
    done
}

for dir in "$SRC"/*/; do
    m=$(basename "$dir")
    for f in "$dir"*.c "$dir"*.h "$dir"*.cpp; do
        [ -f "$f" ] && check_file "$m" "$f"
    done
done
# An allow-list entry whose include is gone must leave the list (so it only shrinks).
printf '%s\n' "$ALLOW_FOR_NOW" | while IFS= read -r line; do
    [ -n "$line" ] || continue
    f=${line%%: *}
    h=${line#*: }
    grep -q "#include *[\"<]$h[\">]" "$SRC/$f" 2>/dev/null ||
        fail "allow-list entry '$line': $f no longer includes $h; remove the entry"
done

n=$(wc -l <"$TMPF")
if [ "$n" -gt 0 ]; then
    echo "0 passed, 1 failed"
    exit 1
fi
echo "1 passed, 0 failed"
