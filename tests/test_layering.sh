#!/bin/sh
# test_layering.sh SRC_DIR - docs/ARCHITECTURE.md's "who may include whom", checked on the code:
# every project header a module includes must belong to a module it may use, and each third-party
# library's headers may be included by its one module only.
set -u
SRC=${1:?usage: test_layering.sh SRC_DIR}
TMPF=$(mktemp)
trap 'rm -f "$TMPF"' EXIT
# module: the project modules it may include (besides itself and core).
allowed() {
    case "$1" in
    core) echo "" ;;
    video) echo "" ;;
    nn) echo "" ;;
    cv) echo "" ;;
    kin) echo "cv" ;;
    reps) echo "kin" ;;
    rules) echo "kin reps" ;;
    pose) echo "nn cv" ;;
    report) echo "kin reps rules video cv" ;;
    pipeline) echo "video nn cv kin reps rules pose report" ;;
    cli) echo "" ;;
    esac
}
# third-party header prefix: its one includer.
owner() {
    case "$1" in
    libav*|libsw*) echo video ;;
    xnnpack.h|pthreadpool.h) echo nn ;;
    opencv2/*) echo cv ;;
    cjson/*) echo "report rules" ;;
    *) echo "" ;;
    esac
}
for dir in "$SRC"/*/; do
    m=$(basename "$dir")
    ok="$m core $(allowed "$m")"
    for f in "$dir"*.c "$dir"*.h "$dir"*.cpp; do
        [ -f "$f" ] || continue
        grep -o '#include *["<][^">]*[">]' "$f" | sed 's/#include *//' | while read -r inc; do
            name=$(echo "$inc" | tr -d '"<>')
            case "$inc" in
            \"*)
                dep=${name%%/*}
                [ "$dep" = "$name" ] && continue          # same-folder include
                [ "$name" = hingecheck.h ] && continue
                case " $ok " in *" $dep "*) ;; *)
                    echo "FAIL: $f includes $name: module $m may not use $dep"; echo x >>"$TMPF" ;;
                esac
                if [ "$m" = cli ]; then
                    [ "$dep" = cli ] || { echo "FAIL: $f: the CLI sees only hingecheck.h"; echo x >>"$TMPF"; }
                fi ;;
            *)
                o=$(owner "$name")
                [ -n "$o" ] || continue
                case " $o " in *" $m "*) ;; *)
                    echo "FAIL: $f includes <$name>: only $o may include it"; echo x >>"$TMPF" ;;
                esac ;;
            esac
        done
    done
done
n=$(wc -l <"$TMPF")
if [ "$n" -gt 0 ]; then
    echo "0 passed, 1 failed"
    exit 1
fi
echo "1 passed, 0 failed"
