#!/usr/bin/env bash
# bench/certify_batches.sh [BUILD...]: how fast `vpcert certify` runs a
# conforming library, in programs per second, by batch size (runner.h), and
# how long a default run of the shim and of impls/passthrough.so takes, on
# an idle machine and with every core kept busy by a busy loop (as a CI
# machine shared with other jobs is). BUILD defaults to `build build-release`
# (ASan + UBSan, and optimised). Run from anywhere; prints Markdown.
#
#   programs/s = report.json's runner.program_runs / the wall time of the
#                whole command, for --cases 4000 (4,000 random programs
#                and the corpus)
#
# VPCERT_BATCH and VPCERT_LANES set the batch size and the number of lanes
# (benchmarks only; the verdicts never depend on them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
builds=("$@")
[ ${#builds[@]} -gt 0 ] || builds=(build build-release)
out=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-certify-speed.XXXXXX")
busy=()
trap 'for p in "${busy[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$out"' EXIT

field() { sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p" "$2" | head -n 1; }

# certify BUILD LIB ICS [ARGS...]: one run, timed from outside (the whole
# command: start, loading, cases, reports); prints "verdict cases programs
# seconds"
certify() {
  local b=$1 lib=$2 ics=$3 t0 t1
  shift 3
  rm -rf "$out/rep"
  t0=$(date +%s%N)
  "$b/vpcert" certify -q --ics "$ics" --out "$out/rep" "$@" "$lib" >/dev/null || true
  t1=$(date +%s%N)
  local j=$out/rep/report.json
  printf '%s %s %s %s\n' "$(sed -n 's/^ *"verdict": "\([A-Z_]*\)".*/\1/p' "$j" | head -n 1)" \
    "$(field cases_run "$j")" "$(field program_runs "$j")" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')"
}

libs() { # BUILD: "name lib ics" rows
  echo "shim $1/shim.so corpus/shim.ics"
  echo "passthrough $1/impls/passthrough.so impls/none.ics"
}

load_on() {
  for _ in $(seq "$(nproc)"); do
    sh -c 'while :; do :; done' &
    busy+=($!)
  done
}

load_off() {
  for p in "${busy[@]}"; do kill "$p" 2>/dev/null || true; done
  busy=()
}

echo "# certify speed, $(date -u), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, commit $(git rev-parse --short HEAD)"
for load in idle busy; do
  [ $load = busy ] && load_on
  echo
  echo "## $load machine$([ $load = busy ] && echo " ($(nproc) busy loops beside it)")"
  echo
  echo "| build | library | batch | cases | program runs | seconds | programs/s | verdict |"
  echo "|---|---|---:|---:|---:|---:|---:|---|"
  for b in "${builds[@]}"; do
    while read -r name lib ics; do
      for batch in 1 16 64 256 1024; do
        read -r v cases runs secs < <(VPCERT_BATCH=$batch certify "$b" "$lib" "$ics" --cases 4000)
        rate=$(awk -v r="$runs" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? r / s : 0) }')
        echo "| $b | $name | $batch | $cases | $runs | $secs | $rate | $v |"
      done
    done < <(libs "$b")
  done
  echo
  echo "Default runs (\`vpcert certify --ics ICS LIB\`, every default):"
  echo
  echo "| build | library | cases | seconds | verdict |"
  echo "|---|---|---:|---:|---|"
  for b in "${builds[@]}"; do
    while read -r name lib ics; do
      for round in 1 2 3; do
        read -r v cases runs secs < <(certify "$b" "$lib" "$ics")
        echo "| $b | $name | $cases | $secs | $v |"
      done
    done < <(libs "$b")
  done
  load_off
done
