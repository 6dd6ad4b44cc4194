#!/bin/bash -eu
# Builds vpcert's fuzz targets the OSS-Fuzz way: OSS-Fuzz's and
# ClusterFuzzLite's build script, the AFL++ build of the default preset, and
# by hand. The sources, libraries and per-file flags are CMake's
# (cmake/libraries.cmake, fuzzers/CMakeLists.txt, fuzzers/oss_fuzz.cmake);
# this script only hands CMake the environment:
#
#   $SRC/vpcert           the repository (default: this script's parent)
#   $CC $CFLAGS           compiler and flags, carrying the sanitizer and the
#                         coverage instrumentation (-fsanitize=fuzzer-no-link
#                         for libFuzzer; none for afl-clang-fast)
#   $CXX $CXXFLAGS        when set, the fuzz targets are linked with $CXX, as
#                         OSS-Fuzz asks
#   $LIB_FUZZING_ENGINE   the engine to link (default -fsanitize=fuzzer)
#   $OUT                  where fuzz_NAME, fuzz_NAME.options, the dictionaries
#                         and fuzz_NAME_seed_corpus.zip go (default ./out)
#   $WORK                 the CMake build tree goes in $WORK/vpcert-build
#                         (default: a fresh temporary directory)
#
# Needs: cmake 3.25 or newer, and ninja or make. Nothing else: the seed zips
# are written by cmake itself.
#
# By hand (libFuzzer, ASan + UBSan):
#   CC=clang CFLAGS="-O1 -g -fsanitize=address,undefined -fsanitize=fuzzer-no-link" \
#     OUT=/tmp/out fuzzers/build.sh
# AFL++:
#   CC=afl-clang-fast CFLAGS="-O1 -g -fsanitize=address,undefined" \
#     LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out-afl fuzzers/build.sh
here=$(cd "$(dirname "$0")/.." && pwd)
src_dir=$here
if [ -n "${SRC:-}" ] && [ -d "$SRC/vpcert/harness/exec" ]; then
  src_dir=$SRC/vpcert
fi
CC=${CC:-clang}
CFLAGS=${CFLAGS:--O1 -g -fsanitize=address,undefined -fsanitize=fuzzer-no-link}
LIB_FUZZING_ENGINE=${LIB_FUZZING_ENGINE:--fsanitize=fuzzer}
OUT=${OUT:-$PWD/out}
WORK=${WORK:-$(mktemp -d)}

die() {
  echo "fuzzers/build.sh: $*" >&2
  exit 1
}
command -v cmake >/dev/null ||
  die "needs cmake 3.25 or newer (Debian 12: apt-get install cmake; elsewhere: pip3 install cmake)"
if command -v ninja >/dev/null; then
  generator=Ninja
elif command -v make >/dev/null; then
  generator="Unix Makefiles"
else
  die "needs ninja or make (apt-get install ninja-build)"
fi

build=$WORK/vpcert-build
cxx_args=()
if [ -n "${CXX:-}" ]; then
  cxx_args=(-DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_CXX_FLAGS="${CXXFLAGS:-$CFLAGS}"
    -DVPCERT_FUZZ_LINK_CXX=ON)
fi
mkdir -p "$OUT" "$build"
# No build type: the flags are exactly $CFLAGS (plus vpcert's -std=c11 and
# warnings). No tests: only the fuzz targets are built.
cmake -S "$src_dir" -B "$build" -G "$generator" -Wno-dev \
  -DCMAKE_BUILD_TYPE= \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" "${cxx_args[@]}" \
  -DVPCERT_FUZZERS=ON -DVPCERT_TESTS=OFF -DVPCERT_SANITIZE=OFF -DVPCERT_WERROR=OFF \
  -DVPCERT_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" >"$build/configure.log" ||
  die "cmake could not configure (see $build/configure.log)"
cmake --build "$build" --target vpcert_oss_fuzz --parallel "$(nproc 2>/dev/null || echo 2)"
cmake --install "$build" --component oss-fuzz --prefix "$OUT" >/dev/null
echo "built into $OUT: $(cd "$OUT" && echo fuzz_*)"
