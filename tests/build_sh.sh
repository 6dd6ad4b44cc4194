#!/bin/sh
# build_sh.sh SANITIZER SRC WORKDIR TARGET...: fuzzers/build.sh under
# OSS-Fuzz's build environment for SANITIZER (address or undefined), then
# each fuzz_TARGET it produced runs for a few seconds on its seed corpus.
#
# The flags are OSS-Fuzz's (base-clang's CFLAGS, base-builder's
# SANITIZER_FLAGS_*, COVERAGE_FLAGS for libFuzzer), with one difference:
# UBSan gets -fno-sanitize-recover=all, so unsigned-integer-overflow is
# fatal too (OSS-Fuzz enables it but lets it recover). Checks:
#   - build.sh exits 0 and puts fuzz_TARGET, fuzz_TARGET.options (where the
#     source has one), the dictionaries and fuzz_TARGET_seed_corpus.zip in
#     $OUT; the zips hold the checked-in seeds byte for byte;
#   - a file with an unmarked unsigned wrap, built with the same flags, dies
#     (the environment really catches what it is meant to);
#   - each fuzz_TARGET fuzzes -max_total_time=3 from its seed corpus and
#     exits 0 having run inputs.
# The build tree stays in WORKDIR/work between runs (incremental); $OUT is
# made afresh.
set -eu
san=$1 src=$2 dir=$3
shift 3
fail() {
  echo "build_sh.$san: FAIL: $*"
  exit 1
}

base="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
case $san in
address) flags="-fsanitize=address -fsanitize-address-use-after-scope" ;;
undefined)
  checks=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero
  checks=$checks,null,object-size,return,returns-nonnull-attribute,shift
  checks=$checks,signed-integer-overflow,unsigned-integer-overflow,unreachable,vla-bound,vptr
  flags="-fsanitize=$checks -fno-sanitize-recover=all"
  ;;
*) fail "unknown sanitizer $san" ;;
esac
CC=clang CXX=clang++
CFLAGS="$base $flags -fsanitize=fuzzer-no-link"
CXXFLAGS=$CFLAGS
LIB_FUZZING_ENGINE=-fsanitize=fuzzer
SANITIZER=$san
OUT=$dir/out WORK=$dir/work SRC=$dir/no-src
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
export CC CXX CFLAGS CXXFLAGS LIB_FUZZING_ENGINE SANITIZER OUT WORK SRC ASAN_OPTIONS UBSAN_OPTIONS
rm -rf "$OUT" "$dir/run"
mkdir -p "$OUT" "$WORK" "$dir/run"

bash "$src/fuzzers/build.sh" >"$dir/build.log" 2>&1 ||
  { tail -30 "$dir/build.log"; fail "build.sh exited non-zero (log: $dir/build.log)"; }
echo "build_sh.$san: $(tail -1 "$dir/build.log")"

# What $OUT must hold.
for d in "$src"/fuzzers/*.dict; do
  [ -f "$OUT/$(basename "$d")" ] || fail "no $(basename "$d") in \$OUT"
done
for t in "$@"; do
  [ -x "$OUT/fuzz_$t" ] || fail "no executable fuzz_$t in \$OUT"
  if [ -f "$src/fuzzers/fuzz_$t.options" ]; then
    cmp -s "$src/fuzzers/fuzz_$t.options" "$OUT/fuzz_$t.options" || fail "fuzz_$t.options"
  fi
  zip=$OUT/fuzz_${t}_seed_corpus.zip
  [ -f "$zip" ] || fail "no fuzz_${t}_seed_corpus.zip in \$OUT"
  mkdir -p "$dir/run/seeds_$t" "$dir/run/corpus_$t"
  (cd "$dir/run/seeds_$t" && cmake -E tar xf "$zip") || fail "$zip does not unpack"
  [ -n "$(ls "$dir/run/seeds_$t")" ] || fail "$zip is empty"
done
for f in "$src"/corpus/seeds/*; do
  cmp -s "$f" "$dir/run/seeds_diff/seeds-$(basename "$f")" ||
    fail "fuzz_diff_seed_corpus.zip lacks corpus/seeds/$(basename "$f")"
done

# The environment catches an unmarked wrap (UBSan) or a heap overflow (ASan).
if [ "$san" = undefined ]; then
  body='unsigned n = (unsigned)s; return (int)(n - 1u < 5u);'
  want='unsigned integer overflow'
else
  body='char *p = malloc(4); int r = p[s + 4]; free(p); return r;'
  want='heap-buffer-overflow'
fi
printf '#include <stdint.h>\n#include <stdlib.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t s) {\n  (void)d; %s\n}\n' \
  "$body" >"$dir/run/planted.c"
# shellcheck disable=SC2086
$CC $CFLAGS $LIB_FUZZING_ENGINE "$dir/run/planted.c" -o "$dir/run/planted" ||
  fail "cannot build the planted fault"
: >"$dir/run/empty"
if "$dir/run/planted" "$dir/run/empty" >"$dir/run/planted.log" 2>&1; then
  fail "the planted fault ran clean: the $san flags do not catch it"
fi
grep -q "$want" "$dir/run/planted.log" || fail "the planted fault died without '$want'"
echo "build_sh.$san: a planted fault is caught ($want)"

# Each target fuzzes for a few seconds from its seed corpus.
for t in "$@"; do
  log=$dir/run/fuzz_$t.log
  status=0
  "$OUT/fuzz_$t" -max_total_time=3 -timeout=25 -print_final_stats=1 \
    "$dir/run/corpus_$t" "$dir/run/seeds_$t" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  if [ "$status" -ne 0 ] || [ -z "$runs" ] || [ "$runs" -eq 0 ]; then
    grep -m 12 -E 'runtime error|ERROR|SUMMARY|#' "$log" || tail -20 "$log"
    fail "fuzz_$t exited $status after ${runs:-no} runs (log: $log)"
  fi
  echo "build_sh.$san: fuzz_$t ran $runs inputs clean"
done
echo "build_sh.$san: ok"
