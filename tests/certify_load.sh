#!/bin/sh
# certify_load.sh VPCERT LIB ICS: the verdict does not depend on the load
# of the machine (SPEC.md, "Time"). Certifies LIB on the machine as it is,
# then again while the test keeps every CPU busy (twice as many endless
# loops as CPUs, and two more), and requires the same overall verdict,
# the same verdict for every clause, every planned case run, and no
# TIMEOUT in either run. Prints both runs' times.
set -eu
vpcert=$1 lib=$2 ics=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-load.XXXXXX")
busy=""
stop() { [ -z "$busy" ] || kill $busy 2>/dev/null || true; busy=""; }
trap 'stop; rm -rf "$work"' EXIT

# certify NAME: one run into $work/NAME; prints its exit status
certify() {
  st=0
  "$vpcert" certify -q --time 600 --ics "$ics" --out "$work/$1" "$lib" \
    >"$work/$1.out" 2>&1 || st=$?
  echo "$st"
}
# the clause verdicts of a report, one "ID VERDICT" a line
verdicts() {
  grep -o '"id": "[A-Z0-9-]*", "level": "[A-Z]*", "title": "[^"]*", "verdict": "[A-Z-]*"' \
    "$work/$1/report.json" | sed 's/"id": "\([^"]*\)".*"verdict": "\([^"]*\)"/\1 \2/'
}
field() { sed -n "s/^ *\"$2\": \"\{0,1\}\([A-Z_0-9.]*\).*/\1/p" "$work/$1/report.json" | head -n 1; }
check() {
  [ -s "$work/$1/report.json" ] || { echo "$1: no report"; cat "$work/$1.out"; exit 1; }
  ! grep -q 'TIMEOUT' "$work/$1/report.json" || {
    echo "$1: a TIMEOUT"; grep -o '"observed": "TIMEOUT[^"]*"' "$work/$1/report.json"; exit 1; }
  grep -q '"complete": true' "$work/$1/report.json" || {
    echo "$1: the run was cut short"; cat "$work/$1.out"; exit 1; }
}

t0=$(date +%s)
idle=$(certify idle)
t1=$(date +%s)
check idle
n=$(($(nproc) * 2 + 2))
i=0
while [ $i -lt "$n" ]; do
  sh -c 'while :; do :; done' &
  busy="$busy $!"
  i=$((i + 1))
done
t2=$(date +%s)
loaded=$(certify loaded)
t3=$(date +%s)
stop
check loaded
echo "idle:   exit $idle, $(field idle verdict), $((t1 - t0)) s"
echo "loaded: exit $loaded, $(field loaded verdict), $((t3 - t2)) s ($n busy loops on $(nproc) CPUs)"
[ "$idle" = "$loaded" ] || { echo "exit status differs"; exit 1; }
verdicts idle >"$work/v.idle"
verdicts loaded >"$work/v.loaded"
diff "$work/v.idle" "$work/v.loaded" || { echo "clause verdicts differ"; exit 1; }
[ "$(field idle cases_run)" = "$(field loaded cases_run)" ] || { echo "cases run differ"; exit 1; }
echo "ok: the same verdict idle and loaded"
