#!/usr/bin/env bash
# bench/certify_speed.sh [BUILD_DIR]
#
# Certification throughput: `vpcert certify` of the shim (corpus/shim.ics)
# and of the pass-through example (impls/passthrough.so, impls/none.ics),
# each with its default cases (run in batches of child processes over
# parallel lanes, tools/runner.h); and, for comparison, the conformance
# vectors replayed in this process (`vpcert conform --no-fork`) and each
# in a child process of its own (`vpcert conform`). programs/s = cases /
# wall seconds; CPU is user + system of the command and its children.
# Prints a Markdown table on stdout.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build-release}" && pwd) || exit 2
[ -x "$build/vpcert" ] || { echo "certify_speed.sh: $build/vpcert missing" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-certify-speed.XXXXXX")
trap 'rm -rf "$work"' EXIT
: >"$work/rows"

# timed LABEL PROGRAMS_FROM CMD...: run CMD in the repository root; PROGRAMS_FROM
# is "cases" (read "N of N cases" from the output) or a number.
timed() {
  local label=$1 from=$2 t0 t1 cpu n
  shift 2
  t0=$EPOCHREALTIME
  cpu=$( { TIMEFORMAT='%3U %3S'; time (cd "$root" && "$@" >"$work/out" 2>&1); } 2>&1 |
         awk '{ print $1 + $2 }')
  t1=$EPOCHREALTIME
  if [ "$from" = cases ]; then
    n=$(sed -n 's/.*(\([0-9]*\) of [0-9]* cases.*/\1/p' "$work/out" | tail -1)
  else
    n=$from
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "${n:-0}" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')" "$cpu" \
    "$(grep -m1 -E '^(CERTIFIED|NOT_CERTIFIED|[0-9]+ vectors)' "$work/out" | cut -c1-60)" >>"$work/rows"
}

nvec=$(ls "$root"/corpus/conformance/*.vpt | wc -l)
timed "certify shim (corpus/shim.ics)" cases "$build/vpcert" certify -q --ics corpus/shim.ics \
  --out "$work/r1" "$build/shim.so"
timed "certify passthrough (impls/none.ics)" cases "$build/vpcert" certify -q --ics impls/none.ics \
  --out "$work/r2" "$build/impls/passthrough.so"
timed "conform, one child per vector" "$nvec" "$build/vpcert" conform -q corpus/conformance
timed "conform --no-fork, in process" "$nvec" "$build/vpcert" conform -q --no-fork corpus/conformance

echo "Build $build, $(date -u), load $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| run | programs | wall s | CPU s | programs/s | wall ms/program | CPU ms/program | result |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
awk -F'\t' '{ printf "| %s | %d | %s | %s | %.0f | %.3f | %.3f | %s |\n", $1, $2, $3, $4,
              ($3 > 0 ? $2 / $3 : 0), ($2 > 0 ? 1000 * $3 / $2 : 0), ($2 > 0 ? 1000 * $4 / $2 : 0), $5 }' \
  "$work/rows"
