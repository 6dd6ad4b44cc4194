#!/usr/bin/env bash
# bench/run.sh: every vpcert benchmark, one after the other, from a clean
# checkout. Builds the default preset (ASan + UBSan, libFuzzer) and the
# release preset, then prints, as Markdown:
#   1. executor overhead and per-operation cost from 10 to 100,000 live
#      allocations (build-release/bench/vpcert-bench);
#   2. exec/s of fuzz_diff against an empty target built with the same
#      flags (bench/fuzz_speed.sh);
#   3. mutation score and time to detect for every planted mutant, with the
#      plot bench/results/mutants.png (bench/mutants.sh; needs gnuplot-nox);
#   4. the structure-aware mutator against libFuzzer's own
#      (bench/mutator_compare.sh);
#   5. libFuzzer and AFL++ side by side, exec/s and AFL++'s stability
#      (bench/engines.sh; needs afl++).
# Takes about 10 minutes on 2 cores. Record the output in bench/RESULTS.md
# with the machine and the date; run nothing else meanwhile.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
echo "# vpcert benchmarks, $(date -u), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
cmake --preset default >/dev/null && cmake --build --preset default >/dev/null
cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
./build-release/bench/vpcert-bench all --rounds 5
echo
bench/fuzz_speed.sh build 30
echo
bench/mutants.sh build 5 60
echo
bench/mutator_compare.sh build 30 3
echo
bench/engines.sh build 60 3
