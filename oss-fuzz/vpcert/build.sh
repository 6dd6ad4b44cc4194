#!/bin/bash -eu
# OSS-Fuzz's build script for vpcert (projects/vpcert/build.sh in the
# OSS-Fuzz repository). The build is vpcert's own fuzzers/build.sh, the
# one ClusterFuzzLite runs too: every fuzz target, built with $CC, $CFLAGS,
# $CXX and $LIB_FUZZING_ENGINE for whichever engine and sanitizer OSS-Fuzz
# asks, lands in $OUT with its options, dictionaries and seed corpus.
exec "$SRC/vpcert/fuzzers/build.sh"
