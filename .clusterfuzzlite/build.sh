#!/bin/bash -eu
# ClusterFuzzLite's build script: vpcert's own, fuzzers/build.sh, which
# builds every fuzz target with $CC, $CFLAGS, $CXX and $LIB_FUZZING_ENGINE
# into $OUT with its options, dictionaries and seed corpus.
exec "$SRC/vpcert/fuzzers/build.sh"
