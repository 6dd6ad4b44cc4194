#!/bin/sh
# report_skipped.sh VPCERT SHIM.so ICS PROGRAM
# Skipped operations are reported: PROGRAM (tests/data/skipped-ops.vpt)
# runs 2 operations and skips 3; `vpcert replay -v`, `vpcert explain` and
# certify's report.md and report.json must all say so.
set -eu
vpcert=$1 lib=$2 ics=$3 prog=$4
out=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-skipped.XXXXXX")
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$vpcert" replay -v "$prog" >"$out/replay" || fail "replay exit $?"
grep -q '^  operations: 2 run, 3 skipped$' "$out/replay" ||
  { cat "$out/replay"; fail "replay -v does not report the skipped operations"; }
"$vpcert" replay "$prog" >"$out/quiet"
! grep -q 'skipped' "$out/quiet" || fail "replay without -v reports them"

"$vpcert" explain "$prog" >"$out/explain" || fail "explain exit $?"
grep -q '^operations: 2 run, 3 skipped$' "$out/explain" ||
  { cat "$out/explain"; fail "explain does not report the skipped operations"; }

# certify, on a corpus whose only case is PROGRAM, among the regressions
mkdir -p "$out/corpus/conformance" "$out/corpus/regressions"
cp "$prog" "$out/corpus/regressions/"
VPCERT_CORPUS="$out/corpus" "$vpcert" certify -q --cases 1 --time 20 \
  --ics "$ics" --out "$out/report" "$lib" >"$out/certify" 2>&1 || true
grep -q '^| regressions operations | 2 run, 3 skipped; 0 cases' \
  "$out/report/report.md" ||
  { cat "$out/certify"; fail "report.md does not report the skipped operations"; }
grep -q '"regressions": {"run": 2, "skipped": 3, "errors": 0}' \
  "$out/report/report.json" || fail "report.json does not report them"
grep -q '"conformance": {"run": 0, "skipped": 0, "errors": 0}' \
  "$out/report/report.json" || fail "report.json: conformance is not empty"
echo "ok: skipped operations reported by replay -v, explain and certify"
