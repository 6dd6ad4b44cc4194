#!/bin/sh
# CTest repro.c: the standalone C reproducers of `vpcert certify`.
#
#   repro_c.sh VPCERT CC IMPLS_DIR SOURCE_DIR CONFORMING NAME:CLAUSE...
#
# For each NAME:CLAUSE, certifies IMPLS_DIR/NAME.so (impls/default.ics) from
# a scratch directory outside the source tree, and expects
# reproducers/CLAUSE.c. Then reproducers/build.sh builds every CLAUSE.c
# there with CC, and each executable CLAUSE, run, must exit 1 with
# "CLAUSE:" on stderr (the finding recurs). Then build.sh rebuilds the same
# files against IMPLS_DIR/CONFORMING.so, and each must exit 0 ("did not
# recur"): the check can come out both ways. The first reproducer, its
# check removed from the file, exits 0 against its faulty library: the exit
# 1 was the check's doing.
set -eu
vpcert=$1 cc=$2 impls=$3 src=$4 good=$5
shift 5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() {
    echo "repro.c: $*" >&2
    exit 1
}
# run_all DIR WANT LABEL: every executable of DIR exits WANT; 1 must come
# with "ID: ..." on stderr
run_all() {
    for c in "$1"/*.c; do
        id=$(basename "$c" .c)
        rc=0
        "$1/$id" >/dev/null 2>"$tmp/run.log" || rc=$?
        if [ $rc -ne "$2" ] || { [ "$2" = 1 ] && ! grep -q "^$id: " "$tmp/run.log"; }; then
            cat "$tmp/run.log" >&2
            fail "$3: $id exited $rc, not $2"
        fi
        echo "$3: $id exit $rc: $(tail -n 1 "$tmp/run.log")"
    done
}
first=1
for pair in "$@"; do
    name=${pair%%:*} clause=${pair#*:}
    out=$tmp/$name
    "$vpcert" certify -q --ics "$src/impls/default.ics" --out "$out" \
        --time 60 --cases 100 "$impls/$name.so" >"$tmp/certify.log" 2>&1 ||
        true
    dir=$out/reproducers
    [ -f "$dir/$clause.c" ] || {
        cat "$tmp/certify.log" >&2
        grep -h "C reproducer" "$out/report.md" >&2 || true
        fail "$name: no $dir/$clause.c"
    }
    grep -q "^ \* Build" "$dir/$clause.c" || fail "$clause.c: no build line"
    CC=$cc sh "$dir/build.sh" >/dev/null 2>"$tmp/build.log" || {
        cat "$tmp/build.log" >&2
        fail "$name: build.sh failed"
    }
    run_all "$dir" 1 "$name"
    if [ $first = 1 ]; then
        # without its check (repro_check made a no-op), the first reproducer
        # must not report its clause: the exit 1 above was the check's doing
        first=0
        grep -q "repro_check(r, " "$dir/$clause.c" ||
            fail "$clause.c: the first pair must be one with a check"
        cp "$dir/$clause.c" "$tmp/saved.c"
        sed 's/repro_check(r, /repro_check(r, 0 \&\& /' "$tmp/saved.c" \
            >"$dir/$clause.c"
        CC=$cc sh "$dir/build.sh" >/dev/null 2>"$tmp/build.log" ||
            fail "$name: build.sh failed without the check"
        rc=0
        "$dir/$clause" >/dev/null 2>"$tmp/run.log" || rc=$?
        [ $rc -eq 0 ] || fail "$name: $clause exits $rc without its check"
        cp "$tmp/saved.c" "$dir/$clause.c"
    fi
    CC=$cc sh "$dir/build.sh" "$impls/$good.so" >/dev/null 2>"$tmp/build.log" || {
        cat "$tmp/build.log" >&2
        fail "$name: build.sh $good.so failed"
    }
    run_all "$dir" 0 "$name against $good"
done
echo "repro.c: every reproducer recurs against its library, none against $good"
