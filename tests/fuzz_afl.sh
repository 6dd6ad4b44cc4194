#!/bin/sh
# fuzz_afl.sh VPCERT AFL_FUZZ_DIFF PNG_CHECK SRC MUTANT.so SHIM_ICS: the
# AFL++ engine of `vpcert fuzz`. Skipped (exit 77) when AFL++ is not
# installed. Checks:
#   - 30 s on the built-in shim from the checked-in seeds: exit 0, AFL++'s
#     stability at least 99% (vpcert's fuzz targets are deterministic:
#     nothing depends on addresses, time or state left by earlier inputs),
#     executions counted, stats.csv and stats.png written;
#   - a planted bug (MUTANT.so, refunds lost) is found by AFL++ from an
#     empty corpus and reported with its clause like libFuzzer's findings.
set -eu
vpcert=$1 target=$2 png_check=$3 src=$4 mutant=$5 ics=$6
if ! command -v afl-fuzz >/dev/null || [ ! -x "$target" ]; then
  echo "SKIP: AFL++ is not installed (apt-get install afl++, then build again:"
  echo "      the default preset builds build/afl/fuzz_diff when afl-clang-fast is found)"
  exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-afl.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
ln -s "$src/corpus" corpus
fail() { echo "FAIL: $*"; exit 1; }
status=0
"$vpcert" fuzz --engine afl --time 30 >out.txt 2>&1 || status=$?
cat out.txt
[ "$status" -eq 0 ] || fail "vpcert fuzz --engine afl exited $status"
stab=$(sed -n 's/^stability *: *\([0-9.]*\)%.*/\1/p' vpcert-work/afl/default/fuzzer_stats)
execs=$(sed -n 's/^execs_done *: *//p' vpcert-work/afl/default/fuzzer_stats)
[ -n "$stab" ] && [ "${execs:-0}" -gt 0 ] || fail "afl-fuzz ran nothing"
awk -v s="$stab" 'BEGIN { exit s + 0 >= 99 ? 0 : 1 }' ||
  fail "AFL++ stability $stab% is below 99%"
grep -q "stability $stab" out.txt || fail "the summary does not show the stability"
[ "$(wc -l <vpcert-work/stats.csv)" -ge 3 ] || fail "stats.csv has no samples"
"$png_check" vpcert-work/stats.png || fail "stats.png"
echo "ok: AFL++ stability $stab% over $execs executions"

rm -rf vpcert-work
status=0
"$vpcert" fuzz --engine afl --impl "$mutant" --ics "$ics" --no-seeds --time 45 >out.txt 2>&1 ||
  status=$?
cat out.txt
[ "$status" -eq 1 ] || fail "the planted bug: exit $status, expected 1 (a finding)"
grep -q "signature QU-[24]:" out.txt || fail "the planted bug is not reported as QU-4 or QU-2"
echo "ok: AFL++ finds the planted bug"
