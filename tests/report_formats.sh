#!/bin/sh
# report_formats.sh VPCERT SARIF_CHECK JUNIT_CHECK SPEC.md LIB ICS MODE [CERTIFY-FLAGS...]
# Certifies LIB (copied to a path with a blank, a non-ASCII character and a
# byte that is not UTF-8, so that every escape is exercised), then:
#  - report.sarif and junit.xml pass their independent checkers, each
#    cross-checked with report.json (one SARIF result per FAIL/WARN clause
#    at the right level; one testcase per clause, its element and the
#    counts following the verdicts);
#  - MODE findings: the run has an error-level result, and each checker
#    rejects every deliberately broken copy below, so a checker that
#    accepts anything fails this test;
#  - MODE inconclusive (a run whose budget lets no case run): junit.xml has <error>
#    testcases and counts them, report.sarif has no result.
set -eu
vpcert=$1 sarif_check=$2 junit_check=$3 spec=$4 lib=$5 ics=$6 mode=$7
shift 7
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-formats.XXXXXX")
trap 'rm -rf "$work"' EXIT
odd="$work/lib dir é $(printf '\377')"
mkdir -p "$odd"
cp "$lib" "$odd/lib.so"
out="$work/report"
status=0
"$vpcert" certify -q --ics "$ics" --out "$out" "$@" "$odd/lib.so" >"$work/stdout" 2>&1 || status=$?
cat "$work/stdout"
# exit 3: INCONCLUSIVE (a run cut short); 0 or 1 otherwise
if [ "$mode" = inconclusive ]; then want=3; else want=1; fi
[ "$status" -le 1 ] && [ "$want" -le 1 ] || [ "$status" -eq "$want" ] ||
  { echo "certify exited $status"; exit 1; }
"$sarif_check" "$out/report.sarif" --spec "$spec" --report "$out/report.json"
"$junit_check" "$out/junit.xml" --report "$out/report.json"
if [ "$mode" = inconclusive ]; then
  grep -q '<testsuites [^>]* errors="[1-9]' "$out/junit.xml" || { echo "no errors counted"; exit 1; }
  grep -q '<error type="INCONCLUSIVE"' "$out/junit.xml" || { echo "no <error> testcase"; exit 1; }
  ! grep -q '"ruleId"' "$out/report.sarif" || { echo "a result without a failure"; exit 1; }
  echo "ok: INCONCLUSIVE clauses are <error> testcases, counted in errors"
  exit 0
fi
grep -q '"level": "error"' "$out/report.sarif" || { echo "no error-level result"; exit 1; }
grep -q '"level": "warning"' "$out/report.sarif" || { echo "no warning-level result"; exit 1; }
grep -q '<skipped type="NOT-APPLICABLE"' "$out/junit.xml" || { echo "no skipped testcase"; exit 1; }

fails=0
# must_reject CHECKER ORIGINAL 'SED-SCRIPT' [ARGS]: the sed-changed copy
# (which must differ from the original) is rejected.
must_reject() {
  checker=$1 orig=$2 script=$3
  shift 3
  copy="$work/broken.$(basename "$orig")"
  sed "$script" "$orig" >"$copy"
  if cmp -s "$orig" "$copy"; then
    echo "test bug: '$script' changed nothing in $orig"; fails=$((fails + 1)); return
  fi
  if "$checker" "$copy" "$@" >"$work/why" 2>&1; then
    echo "NOT rejected: $orig with '$script'"; fails=$((fails + 1))
  else
    echo "rejected ($script): $(head -n 1 "$work/why")"
  fi
}
# must_reject_with CHECKER FILE REPORT: FILE against a report.json that
# disagrees with it is rejected.
must_reject_with() {
  if "$1" "$2" --report "$3" >"$work/why" 2>&1; then
    echo "NOT rejected: $2 against $3"; fails=$((fails + 1))
  else
    echo "rejected (against $(basename "$3")): $(head -n 1 "$work/why")"
  fi
}
s=$out/report.sarif j=$out/junit.xml r=$out/report.json
first_rule=$(sed -n 's/.*"ruleId": "\([^"]*\)".*/\1/p' "$s" | head -n 1)
must_reject "$sarif_check" "$s" 's/"version": "2.1.0"/"version": "2.0.0"/'
must_reject "$sarif_check" "$s" '/"version": "2.1.0",/d'
must_reject "$sarif_check" "$s" "s/\"ruleId\": \"$first_rule\"/\"ruleId\": \"NOPE-1\"/"
must_reject "$sarif_check" "$s" 's/"ruleIndex": 0/"ruleIndex": 1/'
must_reject "$sarif_check" "$s" 's#reproducers/#reproducerz/#g'
must_reject "$sarif_check" "$s" 's#file:///#file:///nonexistent/#'
must_reject "$sarif_check" "$s" "s/\"kind\": \"fail\"/\"kind\": \"$(printf '\377')\"/"
must_reject "$sarif_check" "$s" '$d'
must_reject "$sarif_check" "$s" 's/"level": "error"/"level": "fatal"/'
must_reject "$sarif_check" "$s" 's/"message": {"text"/"massage": {"text"/'
must_reject "$sarif_check" "$s" 's/"kind": "fail"/"kind": "fail", "kind": "fail"/'
must_reject "$sarif_check" "$s" 's/"REPORT": {"uri"/"OTHER": {"uri"/'
must_reject "$sarif_check" "$s" 's/"roles": \["attachment"\]/"roles": ["attached"]/'
must_reject "$sarif_check" "$s" 's/"name": "vpcert", //'
must_reject "$sarif_check" "$s" 's/"executionSuccessful": true/"executionSuccessful": "yes"/'
must_reject "$sarif_check" "$s" 's/\("helpUri": "[^#"]*\)#/\1#x/' --spec "$spec"
# a report.json that says one more clause failed: a result is missing
sed "0,/\"verdict\": \"PASS\"/s//\"verdict\": \"FAIL\"/" "$r" >"$work/more.json"
cmp -s "$r" "$work/more.json" && { echo "test bug: no PASS clause"; exit 1; }
must_reject_with "$sarif_check" "$s" "$work/more.json"
failures=$(sed -n 's/.*<testsuites[^>]* failures="\([0-9]*\)".*/\1/p' "$j")
must_reject "$junit_check" "$j" "s/<testsuites\([^>]*\) failures=\"$failures\"/<testsuites\1 failures=\"$((failures + 1))\"/"
must_reject "$junit_check" "$j" 's/<testsuite \([^>]*\) skipped="\([0-9]*\)"/<testsuite \1 skipped="9\2"/'
must_reject "$junit_check" "$j" 's/<testsuites /<testsuite /; s#</testsuites>#</testsuite>#'
must_reject "$junit_check" "$j" '0,/<testcase \([^>]*\) time="[0-9.]*"/s//<testcase \1/'
must_reject "$junit_check" "$j" '0,/<testcase \([^>]*\) time="[0-9.]*"/s//<testcase \1 time="99999"/'
must_reject "$junit_check" "$j" "s/<failure type=\"FAIL\"/<failure type=\"FAIL\" message=\"\&bogus;\"/"
must_reject "$junit_check" "$j" '$d'
must_reject "$junit_check" "$j" "s/<property name=\"seed\"/<property name=\"seed$(printf '\001')\"/"
must_reject "$junit_check" "$j" 's#<failure type="FAIL"#<skipped/><failure type="FAIL"#'
must_reject_with "$junit_check" "$j" "$work/more.json"
[ "$fails" -eq 0 ] || { echo "$fails broken files were not rejected"; exit 1; }
echo "ok: report.sarif and junit.xml of $(basename "$lib") pass their checkers, which reject every broken copy"
