#!/bin/bash -eu
# OSS-Fuzz build script for vpcert (also works by hand).
#
#   $SRC/vpcert               the repository (default: this script's parent)
#   $CC $CFLAGS               compiler and flags; CFLAGS carries the
#                             sanitizer and -fsanitize=fuzzer-no-link
#   $LIB_FUZZING_ENGINE       the engine to link (default -fsanitize=fuzzer)
#   $OUT                      where the fuzzers, options, dictionaries and
#                             seed corpora go (default ./out)
#
# By hand: CC=clang CFLAGS="-O1 -g -fsanitize=address,undefined,fuzzer-no-link" \
#          OUT=/tmp/out fuzzers/build.sh
here=$(cd "$(dirname "$0")/.." && pwd)
SRC_DIR=${SRC:+$SRC/vpcert}
SRC_DIR=${SRC_DIR:-$here}
[ -d "$SRC_DIR/harness/exec" ] || SRC_DIR=$here
CC=${CC:-clang}
CFLAGS=${CFLAGS:--O1 -g -fsanitize=address,undefined,fuzzer-no-link}
LIB_FUZZING_ENGINE=${LIB_FUZZING_ENGINE:--fsanitize=fuzzer}
OUT=${OUT:-$PWD/out}
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$OUT" "$WORK/obj"

cd "$SRC_DIR"
defs="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE"
incs="-Iharness/os -Iharness/spec -Iharness/rangemap -Iharness/kernel -Iharness/program -Iharness/plugin -Iharness/exec -Imodel -Iinclude"

# The libraries: model, harness (kernel stand-in, formats, executor), the shim,
# and the statically linked shim as an implementation (harness/plugin/builtin.c).
objs=()
for src in model/*.c harness/*/*.c shim/buffer.c shim/device.c shim/pool.c; do
  obj="$WORK/obj/$(echo "$src" | tr / _).o"
  extra=""
  # The executor's byte-pattern loops: no comparison tracing (see
  # fuzzers/CMakeLists.txt).
  case "$src" in
    harness/kernel/*) extra="-DVPCERT_IN_KERNEL" ;;
    harness/exec/*) extra="-DVPCERT_IN_EXEC" ;;
    model/*) extra="-DVPCERT_IN_MODEL" ;;
  esac
  if [ "$src" = harness/exec/exec_mem.c ] && [[ "$CFLAGS" == *fuzzer-no-link* ]]; then
    extra="$extra -fno-sanitize-coverage=trace-cmp"
  fi
  # shellcheck disable=SC2086
  $CC $CFLAGS $extra $defs $incs -c "$src" -o "$obj"
  objs+=("$obj")
done

for t in diff model text roundtrip; do
  # shellcheck disable=SC2086
  $CC $CFLAGS $defs $incs -c "fuzzers/fuzz_$t.c" -o "$WORK/obj/fuzz_$t.o"
  # shellcheck disable=SC2086
  $CC $CFLAGS $LIB_FUZZING_ENGINE "$WORK/obj/fuzz_$t.o" "${objs[@]}" -ldl \
      -o "$OUT/fuzz_$t"
  cp "fuzzers/fuzz_$t.options" "$OUT/"
done
cp fuzzers/vpcert.dict fuzzers/fuzz_diff.dict "$OUT/"

# Seed corpora: the binary seeds and regressions for the binary targets,
# the text programs for fuzz_text.
zip_dir() { # zip FILE... into $1, flat
  local out=$1; shift
  [ "$#" -gt 0 ] || return 0
  rm -f "$out"
  zip -q -j "$out" "$@"
}
shopt -s nullglob
bin=(corpus/seeds/* corpus/regressions/*)
txt=(corpus/conformance/*.vpt fuzzers/seeds-src/*.vpt)
for t in diff model roundtrip; do
  zip_dir "$OUT/fuzz_${t}_seed_corpus.zip" "${bin[@]}"
done
zip_dir "$OUT/fuzz_text_seed_corpus.zip" "${txt[@]}"
echo "built into $OUT: $(cd "$OUT" && echo fuzz_*)"
