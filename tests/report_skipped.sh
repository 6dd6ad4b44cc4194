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

# certify, on a corpus whose only regression is PROGRAM (and one vector,
# since certify refuses a corpus without conformance vectors)
mkdir -p "$out/corpus/conformance" "$out/corpus/regressions"
cp "$prog" "$out/corpus/regressions/"
cp "$(dirname "$0")/../corpus/conformance/rb-1-release-frees-block.vpt" \
  "$out/corpus/conformance/"
"$vpcert" certify -q --cases 1 --time 20 --corpus "$out/corpus" \
  --ics "$ics" --out "$out/report" "$lib" >"$out/certify" 2>&1 || true
grep -q '^| regressions | 1 | 1 | 2 | 3 | 0 | 0 |$' \
  "$out/report/report.md" ||
  { cat "$out/certify"; fail "report.md does not report the skipped operations"; }
grep -q '"regressions": {"cases": 1, "run": 1, "operations_run": 2, "operations_skipped": 3, "errors": 0, "schedules": 0}' \
  "$out/report/report.json" || fail "report.json does not report them"
grep -q '"conformance": {"cases": 1, "run": 1, "operations_run": [1-9][0-9]*, "operations_skipped": 0, "errors": 0, "schedules": 0}' \
  "$out/report/report.json" || fail "report.json: the vector is not counted apart"
echo "ok: skipped operations reported by replay -v, explain and certify"
