#!/bin/sh
# certify_anywhere.sh VPCERT BUILD_DIR LIB ICS [BAD_LIB CLAUSE]
# The same verdict from any directory: LIB is certified (1) from the source
# tree with the built vpcert and (2) from a fresh directory outside the tree
# with the vpcert that `cmake --install` puts in a fresh prefix; the two
# report.json files must give the same verdict, the same verdict for every
# clause and the same number of cases in every family. And a corpus that
# cannot be found is an error (exit 2, one line), never a silent skip.
# With BAD_LIB, the installed vpcert certifies it from outside the tree and
# its C reproducer for CLAUSE builds against the installed runtime (the
# build line names the prefix) and exits 1 naming CLAUSE.
set -eu
vpcert=$1 build=$2 lib=$3 ics=$4 bad=${5:-} bad_clause=${6:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-anywhere.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
abs_ics=$(cd "$(dirname "$ics")" && pwd)/$(basename "$ics")
abs_lib=$(cd "$(dirname "$lib")" && pwd)/$(basename "$lib")
"$vpcert" certify -q --ics "$abs_ics" --out "$tmp/here" "$abs_lib" >"$tmp/here.log" 2>&1 || true
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log"
mkdir "$tmp/elsewhere"
(cd "$tmp/elsewhere" && "$tmp/prefix/bin/vpcert" certify -q --ics "$abs_ics" \
    --out report "$abs_lib" >"$tmp/there.log" 2>&1) || true
# what must agree: the verdicts and the case counts, line by line
summary() {
  sed -n 's/^ *"verdict": "\([A-Z_]*\)".*/verdict \1/p' "$1" | head -n 1
  grep -o '"families": {.*}' "$1" | sed 's/"run": [0-9]*//g'
  grep -o '"id": "[A-Z0-9-]*", "level": "[A-Z]*", "title": "[^"]*", "verdict": "[A-Z-]*"' "$1" |
    sed 's/"title": "[^"]*", //'
}
summary "$tmp/here/report.json" >"$tmp/a"
summary "$tmp/elsewhere/report/report.json" >"$tmp/b"
[ -s "$tmp/a" ] && grep -q '"exhaustive": {"cases": [1-9]' "$tmp/a" ||
  { echo "no report from the source tree"; cat "$tmp/here.log"; exit 1; }
diff "$tmp/a" "$tmp/b" || { echo "the verdicts or the case counts differ"; exit 1; }
grep -q '"conformance": {"cases": [1-9][0-9]*, "run": [1-9]' "$tmp/elsewhere/report/report.json" ||
  { echo "outside the tree, the conformance vectors did not run"; exit 1; }
# --corpus naming a directory without conformance/: an error, exit 2
status=0
"$vpcert" certify -q --ics "$abs_ics" --corpus "$tmp/elsewhere" --out "$tmp/x" "$abs_lib" \
    >"$tmp/missing.log" 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q "no such directory" "$tmp/missing.log" ||
  { echo "a missing corpus gave exit $status:"; cat "$tmp/missing.log"; exit 1; }
if [ -n "$bad" ]; then
  abs_bad=$(cd "$(dirname "$bad")" && pwd)/$(basename "$bad")
  (cd "$tmp/elsewhere" && "$tmp/prefix/bin/vpcert" certify -q --ics "$abs_ics" \
      --out bad "$abs_bad" >"$tmp/bad.log" 2>&1) || true
  c="$tmp/elsewhere/bad/reproducers/$bad_clause.c"
  [ -s "$c" ] || { echo "no C reproducer for $bad_clause"; cat "$tmp/bad.log"; exit 1; }
  grep -q "$tmp/prefix" "$c" ||
    { echo "the reproducer is not built against the installed runtime"; head -20 "$c"; exit 1; }
  sh "$tmp/elsewhere/bad/reproducers/build.sh" >"$tmp/build.log" 2>&1 ||
    { echo "reproducers/build.sh failed"; cat "$tmp/build.log"; exit 1; }
  status=0
  "${c%.c}" >"$tmp/repro.log" 2>&1 || status=$?
  [ "$status" -eq 1 ] && grep -q "$bad_clause" "$tmp/repro.log" ||
    { echo "the installed reproducer exited $status:"; cat "$tmp/repro.log"; exit 1; }
fi
echo "ok: $(head -n 1 "$tmp/a") from the source tree and from $tmp/elsewhere"
