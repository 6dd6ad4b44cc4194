#!/usr/bin/env bash
# mutator_compare.sh [BUILD_DIR] [SECONDS] [SEEDS]
# The structure-aware custom mutator (fuzz_diff_sa) against libFuzzer's byte
# mutator alone (fuzz_diff), same time, same seeds, one run at a time:
#  1. coverage (edges, libFuzzer's cov:) after SECONDS from an empty corpus;
#  2. detection of the eight mutants the plain fuzzer takes longest to find
#     (bench/results/mutants.tsv), via bench/mutants.sh with each fuzzer.
# Prints Markdown tables; raw results in bench/results/mutator-*.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd) || exit 2
secs=${2:-30}
seeds=${3:-3}
out=$root/bench/results
mkdir -p "$out"
for f in fuzz_diff fuzz_diff_sa; do
  [ -x "$build/fuzzers/$f" ] || { echo "mutator_compare.sh: $build/fuzzers/$f missing" >&2; exit 2; }
done

echo "## coverage after ${secs} s from an empty corpus (edges)"
echo
echo "| seed | fuzz_diff cov | fuzz_diff execs | fuzz_diff_sa cov | fuzz_diff_sa execs |"
echo "|---:|---:|---:|---:|---:|"
for s in $(seq 1 "$seeds"); do
  row="| $s"
  for f in fuzz_diff fuzz_diff_sa; do
    dir=$(mktemp -d)
    log=$(mktemp)
    (cd "$dir" && "$build/fuzzers/$f" -seed="$s" -max_total_time="$secs" \
       -dict="$build/fuzzers/fuzz_diff.dict" -print_final_stats=1 "$dir" >"$log" 2>&1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | awk '{print $2}')
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    row="$row | ${cov:-?} | ${execs:-?}"
    rm -rf "$dir" "$log"
  done
  echo "$row |"
done | tee "$out/mutator-coverage.md"

hard=$(sort -t$'\t' -k8 -n -r "$out/mutants.tsv" | grep -v '^number' | head -n 8 | cut -f1 | tr '\n' ' ')
echo
echo "## detection of the hardest mutants ($hard), $seeds seeds each"
for f in fuzz_diff fuzz_diff_sa; do
  echo
  echo "### $f"
  FUZZER="$build/fuzzers/$f" MUTANTS="$hard" OUT_DIR="$out/mutator-$f" \
    "$root/bench/mutants.sh" "$build" "$seeds" 60 | grep -E '^\|'
done
