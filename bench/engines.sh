#!/usr/bin/env bash
# bench/engines.sh [BUILD_DIR] [SECONDS] [ROUNDS]: the two engines of
# `vpcert fuzz` side by side, in one run: libFuzzer (BUILD/fuzzers/fuzz_diff)
# and AFL++ (BUILD/afl/fuzz_diff), both built by the default preset with the
# same flags (ASan + UBSan, RelWithDebInfo), on the built-in shim from the
# checked-in seeds and regressions, alternating ROUNDS times so that the
# machine's load falls on both alike. Prints a Markdown table: executions,
# exec/s, coverage (each engine's own measure: libFuzzer's cov:, AFL++'s
# edges; not comparable across engines), corpus, and AFL++'s stability.
# Defaults: build 60 3. Needs AFL++ (apt-get install afl++).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
secs=${2:-60}
rounds=${3:-3}
[ -x "$build/afl/fuzz_diff" ] || { echo "no $build/afl/fuzz_diff (install afl++, build again)"; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-engines.XXXXXX")
trap 'rm -rf "$work"' EXIT
ln -s "$root/corpus" "$work/corpus"
echo "| round | engine | execs | exec/s | coverage | corpus | stability |"
echo "|---|---|---|---|---|---|---|"
for r in $(seq 1 "$rounds"); do
  for engine in libfuzzer afl; do
    rm -rf "$work/vpcert-work"
    (cd "$work" && "$build/vpcert" fuzz --engine "$engine" --time "$secs" >"$work/out.txt" 2>&1) || true
    sum=$(grep "^vpcert fuzz: done after" "$work/out.txt" || echo "")
    execs=$(echo "$sum" | sed -n 's/.*: \([0-9]*\) execs.*/\1/p')
    rate=$(echo "$sum" | sed -n 's/.*execs (\([0-9]*\) exec\/s).*/\1/p')
    cov=$(echo "$sum" | sed -n 's/.*cov \([0-9]*\),.*/\1/p')
    corp=$(echo "$sum" | sed -n 's/.*corpus \([0-9]*\) inputs.*/\1/p')
    stab=$(sed -n 's/.*AFL++ default: stability \([0-9.]*%\).*/\1/p' "$work/out.txt")
    echo "| $r | $engine | ${execs:-?} | ${rate:-?} | ${cov:-?} | ${corp:-?} | ${stab:--} |"
  done
done
