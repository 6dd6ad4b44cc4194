#!/usr/bin/env bash
# bench/run.sh: every vpcert benchmark, one after the other, from a clean
# checkout. Builds the default preset (ASan + UBSan, libFuzzer) and the
# release preset, then prints, as Markdown:
#   1. executor overhead, per-operation cost from 10 to 100,000 live
#      allocations, and per-operation cost by block size from 16 B to 4 GiB
#      (build-release/bench/vpcert-bench all);
#   2. the cost of one execution of each shipped seed and regression
#      (vpcert-bench corpus);
#   3. the main job, `vpcert fuzz`, against an empty libFuzzer target built
#      with the same flags, release then ASan, for SECONDS_PER_RUN seconds
#      each (60 by default), then for 600 seconds each, as issue 14 asks
#      (QUICK=1 leaves the 600-second runs out) (bench/fuzz_speed.sh);
#   4. certification time and programs per second for the shim and the
#      pass-through (bench/certify_speed.sh);
#   5. mutation score and time to detect for every planted mutant, with the
#      plot bench/results/mutants.png (bench/mutants.sh; needs gnuplot-nox);
#   6. the structure-aware mutator against libFuzzer's own
#      (bench/mutator_compare.sh);
#   7. libFuzzer and AFL++ side by side, exec/s and AFL++'s stability
#      (bench/engines.sh; needs afl++).
# Takes about 85 minutes on 2 cores (QUICK=1: about 25). Record the
# output in bench/RESULTS.md with the machine and the date; run nothing else
# meanwhile (the CPU-time columns stay honest on a busy machine; wall-clock
# ones do not).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
secs=${SECONDS_PER_RUN:-60}
echo "# vpcert benchmarks, $(date -u), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
cmake --preset default >/dev/null && cmake --build --preset default >/dev/null
cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
./build-release/bench/vpcert-bench all --rounds 5
./build-release/bench/vpcert-bench corpus corpus/seeds corpus/regressions --rounds 5
echo
echo "## main job, release"
bench/fuzz_speed.sh build-release "$secs"
echo
echo "## main job, ASan + UBSan"
bench/fuzz_speed.sh build "$secs"
if [ -z "${QUICK:-}" ]; then
  echo
  echo "## main job, release, 600 s"
  bench/fuzz_speed.sh build-release 600
  echo
  echo "## main job, ASan + UBSan, 600 s"
  bench/fuzz_speed.sh build 600
fi
echo
bench/certify_speed.sh build-release
echo
bench/mutants.sh build 5 60
echo
bench/mutator_compare.sh build 30 3
echo
bench/engines.sh build 60 3
