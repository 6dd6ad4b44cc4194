#!/bin/sh
# certify_case.sh VPCERT LIB ICS EXPECTED_VERDICT CLAUSE[,CLAUSE...]|-
# Certifies LIB and checks the overall verdict, the exit status, that every
# listed clause is graded FAIL (or WARN) in report.json, and that every file
# of the report exists. CLAUSE "-" means no clause may fail or warn. A
# certified library (with warnings or not) leaves no clause INCONCLUSIVE,
# and every clause graded FAIL or WARN is one of the CLAUSEs.
set -eu
vpcert=$1 lib=$2 ics=$3 want=$4 clauses=$5
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-certify.XXXXXX")
trap 'rm -rf "$work"' EXIT
# the report directory holds vpcert's files only; the log goes beside it
out=$work/report
status=0
# --time 40 keeps CI short for libraries that hang or run away (the
# default budget, 100 s, is the same mechanism with more room)
"$vpcert" certify -q --time 40 --ics "$ics" --out "$out" "$lib" >"$work/stdout" 2>&1 || status=$?
cat "$work/stdout"
for f in report.json report.md junit.xml report.sarif; do
  [ -s "$out/$f" ] || { echo "missing $f"; exit 1; }
done
got=$(sed -n 's/^ *"verdict": "\([A-Z_]*\)".*/\1/p' "$out/report.json" | head -n 1)
[ "$got" = "$want" ] || { echo "verdict $got, expected $want"; exit 1; }
case $want in
  NOT_CERTIFIED) [ "$status" -eq 1 ] || { echo "exit $status, expected 1"; exit 1; } ;;
  *) [ "$status" -eq 0 ] || { echo "exit $status, expected 0"; exit 1; } ;;
esac
# every clause graded FAIL/WARN, one per line: "ID VERDICT"
grep -o '"id": "[A-Z0-9-]*", "level": "[A-Z]*", "title": "[^"]*", "verdict": "[A-Z-]*"' \
  "$out/report.json" | sed 's/"id": "\([^"]*\)".*"verdict": "\([^"]*\)"/\1 \2/' \
  | grep -E ' (FAIL|WARN)$' >"$work/bad" || true
if [ "$want" != NOT_CERTIFIED ]; then
  if grep -q '"verdict": "INCONCLUSIVE"' "$out/report.json"; then
    echo "a certified library with clauses INCONCLUSIVE:"
    grep -o '"id": "[A-Z0-9-]*"[^}]*"verdict": "INCONCLUSIVE"[^}]*' "$out/report.json"
    exit 1
  fi
  while read -r c v; do
    case ",$clauses," in *",$c,"*) ;; *) echo "clause $c graded $v"; exit 1 ;; esac
  done <"$work/bad"
fi
if [ "$clauses" = "-" ]; then
  [ ! -s "$work/bad" ] || { echo "clauses failed:"; cat "$work/bad"; exit 1; }
else
  for c in $(echo "$clauses" | tr ',' ' '); do
    grep -q "^$c " "$work/bad" || { echo "clause $c was not graded FAIL/WARN"; cat "$work/bad"; exit 1; }
    # a failing clause comes with a reproducer that exists
    rep=$(grep -o "\"id\": \"$c\"[^}]*\"reproducer\": \"[^\"]*\"" "$out/report.json" | sed 's/.*"reproducer": "//; s/"$//')
    [ -z "$rep" ] || [ -s "$rep" ] || { echo "reproducer $rep missing"; exit 1; }
    # a MUST failure's reproducer fails again when replayed on the library
    if [ -n "$rep" ] && grep -q "^$c FAIL$" "$work/bad"; then
      st=0
      "$vpcert" replay -q --impl "$lib" --ics "$ics" --timeout 10 "$rep" >"$work/replay" 2>&1 || st=$?
      [ "$st" -eq 1 ] || { echo "reproducer $rep of $c: replay exits $st on $lib, expected 1"; cat "$work/replay"; exit 1; }
    fi
  done
fi
echo "ok: $lib -> $got${clauses:+ ($clauses)}"
