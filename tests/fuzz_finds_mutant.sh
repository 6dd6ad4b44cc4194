#!/bin/sh
# fuzz_finds_mutant.sh VPCERT MUTANT.so SHIM_ICS CLAUSE[,CLAUSE...] [SARIF_CHECK]
# A planted bug is found by `vpcert fuzz` from an empty corpus: the campaign
# exits 1, names one of the CLAUSEs, and writes a minimized reproducer whose
# text form fails on the mutant and passes on the built-in shim. (A bug may
# honestly show as more than one clause: a lost refund's first minimal
# witness, an exact fit refused after a release, is also what an off-by-one
# at the boundary looks like, so the model may name QU-2 for it; and a
# charge never refunded on one device that refuses a call on another is
# named by QU-1, the clause that keeps devices apart.) With
# SARIF_CHECK, vpcert-work/findings.sarif passes it and has a result on
# the clause, with the minimized input and its text form as attachments.
set -eu
vpcert=$1 lib=$2 ics=$3 clauses=$4 sarif_check=${5:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
status=0
"$vpcert" fuzz --impl "$lib" --ics "$ics" --no-seeds --time 120 >out.txt 2>&1 || status=$?
cat out.txt
[ "$status" -eq 1 ] || { echo "vpcert fuzz exited $status, expected 1 (a finding)"; exit 1; }
found=
for c in $(echo "$clauses" | tr ',' ' '); do
  grep -q "signature $c:" out.txt && found=$c
done
[ -n "$found" ] || { echo "no finding on any of $clauses"; exit 1; }
clause=$found
set -- vpcert-work/findings/*.min.vpt
[ -s "$1" ] || { echo "no minimized reproducer"; exit 1; }
if "$vpcert" replay --impl "$lib" --ics "$ics" "$1" >/dev/null; then
  echo "the reproducer does not fail on the mutant"; exit 1
fi
"$vpcert" replay --ics "$ics" "$1" >/dev/null || { echo "the reproducer fails on the correct shim"; exit 1; }
if [ -n "$sarif_check" ]; then
  "$sarif_check" vpcert-work/findings.sarif
  grep -q "\"ruleId\": \"$clause\"" vpcert-work/findings.sarif || { echo "no SARIF result on $clause"; exit 1; }
  for f in "$1" "${1%.vpt}"; do
    grep -q "\"uri\": \"findings/$(basename "$f")\"" vpcert-work/findings.sarif ||
      { echo "findings.sarif does not name $f"; exit 1; }
  done
fi
echo "ok: $lib found as $clause from an empty corpus"
