#!/usr/bin/env bash
# bench/check_cost.sh [BUILD_DIR] [RUNS] [ROUNDS] [PROGRAMS]
#
# What vpcert's own state checks (exec_options.check_state, on in the fuzz
# build: VPCERT_EXPENSIVE_CHECKS) cost fuzz_diff. The same binary
# (BUILD_DIR/fuzzers/fuzz_diff, default build/) does the same work with
# VPCERT_CHECK_STATE=0 and =1 (after every step; fuzz_diff's default in the
# fuzz build is =2, sparse, which costs less) alternately, ROUNDS times
# (default 3), in this one invocation: the ratio of the two is what the
# checks cost.
#   campaign  -seed=1 -runs=RUNS (default 60000) from a fresh copy of
#             corpus/seeds, as `vpcert fuzz` starts (short inputs);
#   long      PROGRAMS (default 400) fixed random inputs of 16 to 4096
#             bytes (fuzz_diff.options max_len), each run once: the long
#             programs a long campaign reaches, where the checks cost most. exec/s is stat::number_of_executed_units over the CPU time
# (user + system) of the process, which another process on the machine
# slows far less than the wall time (shown too).
# Prints a Markdown table on stdout.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd) || exit 2
runs=${2:-60000}
rounds=${3:-3}
fuzzer=$build/fuzzers/fuzz_diff
[ -x "$fuzzer" ] || { echo "check_cost.sh: $fuzzer missing (cmake --preset default && cmake --build --preset default)" >&2; exit 2; }
dict=$build/fuzzers/fuzz_diff.dict
dict_arg=()
[ -f "$dict" ] && dict_arg=(-dict="$dict")
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-checkcost.XXXXXX")
trap 'rm -rf "$work"' EXIT

# one CHECK ROUND: prints "execs cpu_seconds wall_seconds"
one() {
  local d=$work/$1-$2
  mkdir -p "$d/corpus"
  cp "$root"/corpus/seeds/* "$d/corpus/"
  local t0 t1
  t0=$EPOCHREALTIME
  VPCERT_CHECK_STATE=$1 VPCERT_ICS=$root/corpus/shim.ics /usr/bin/time -f '%U %S' -o "$d/cpu" \
    "$fuzzer" -seed=1 -runs="$runs" -print_final_stats=1 -timeout=25 "${dict_arg[@]}" \
    -artifact_prefix="$d/" "$d/corpus" >"$d/log" 2>&1
  t1=$EPOCHREALTIME
  printf '%s %s %s\n' "$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$d/log" | tail -1)" \
    "$(awk '{ printf "%.2f", $1 + $2 }' "$d/cpu")" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
}

programs=${4:-400}
# PROGRAMS random inputs, lengths uniform in [16, 4096], the same each time
mkdir -p "$work/long"
LC_ALL=C awk -v n="$programs" -v dir="$work/long" 'BEGIN {
  srand(1)
  for (i = 0; i < n; i++) {
    f = sprintf("%s/%04d", dir, i); len = 16 + int(rand() * 4081)
    printf "%c", 1 > f
    for (j = 1; j < len; j++) printf "%c", int(rand() * 256) > f
    close(f)
  } }'

# fixed CHECK: prints "execs cpu_seconds wall_seconds" for the long inputs
fixed() {
  local t0 t1
  t0=$EPOCHREALTIME
  VPCERT_CHECK_STATE=$1 VPCERT_ICS=$root/corpus/shim.ics /usr/bin/time -f '%U %S' -o "$work/cpu" \
    "$fuzzer" "$work"/long/* >"$work/fixed.log" 2>&1
  t1=$EPOCHREALTIME
  printf '%s %s %s\n' "$(grep -c '^Executed' "$work/fixed.log")" \
    "$(awk '{ printf "%.2f", $1 + $2 }' "$work/cpu")" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
}

command -v /usr/bin/time >/dev/null || { echo "check_cost.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
echo "| work | round | execs off / on | checks off exec/CPU-s | checks on exec/CPU-s | on / off (CPU) | on / off (wall) | load before / after |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
row() { # WORK ROUND e0 c0 w0 e1 c1 w1 LOAD
  awk -v k="$1" -v r="$2" -v e0="$3" -v c0="$4" -v w0="$5" -v e1="$6" -v c1="$7" -v w1="$8" \
      -v load="$9" 'BEGIN {
    off = e0 / c0; on = e1 / c1
    printf "| %s | %d | %d / %d | %.0f | %.0f | %.3f | %.3f | %s |\n", k, r, e0, e1, off, on,
      on / off, (e1 / w1) / (e0 / w0), load }'
}
for r in $(seq 1 "$rounds"); do
  l0=$(cut -d' ' -f1 /proc/loadavg)
  read -r e0 c0 w0 < <(one 0 "$r")
  read -r e1 c1 w1 < <(one 1 "$r")
  row campaign "$r" "$e0" "$c0" "$w0" "$e1" "$c1" "$w1" "$l0 / $(cut -d' ' -f1 /proc/loadavg)"
  l0=$(cut -d' ' -f1 /proc/loadavg)
  read -r e0 c0 w0 < <(fixed 0)
  read -r e1 c1 w1 < <(fixed 1)
  row long "$r" "$e0" "$c0" "$w0" "$e1" "$c1" "$w1" "$l0 / $(cut -d' ' -f1 /proc/loadavg)"
done
