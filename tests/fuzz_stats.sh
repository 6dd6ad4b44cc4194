#!/bin/sh
# fuzz_stats.sh VPCERT PNG_CHECK SRC: a short libFuzzer campaign in fork
# mode with an engine flag passed through, then what it leaves:
#   - fuzz.log shows -fork=2 (--jobs 2 is libFuzzer's fork mode) and
#     libFuzzer's complaint about the flag given after -- (it got there);
#   - stats.csv: the header names the six columns, every row has six
#     numbers, time starts at 0 and never goes back, execs never go down,
#     and there is more than the start row;
#   - stats.png is a well-formed PNG (png_check), and png_check refuses the
#     same file with one byte changed (the check can fail).
set -eu
vpcert=$1 png_check=$2 src=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-stats.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
ln -s "$src/corpus" corpus
fail() { echo "FAIL: $*"; exit 1; }
status=0
"$vpcert" fuzz --time 11 --jobs 2 -- -vpcert_passed_through=1 >out.txt 2>&1 || status=$?
cat out.txt
[ "$status" -eq 0 ] || fail "vpcert fuzz exited $status"
grep -q -- "-fork=2" vpcert-work/fuzz.log || fail "--jobs 2 did not run libFuzzer's fork mode"
grep -q -- "-vpcert_passed_through=1" vpcert-work/fuzz.log ||
  fail "the flag after -- did not reach libFuzzer"
csv=vpcert-work/stats.csv
[ "$(head -1 $csv)" = "time_s,execs,execs_per_s,coverage,corpus,findings" ] ||
  fail "stats.csv header: $(head -1 $csv)"
awk -F, 'NR == 1 { next }
  NF != 6 { print "row " NR ": " NF " fields"; bad = 1 }
  { for (i = 1; i <= NF; i++) if ($i !~ /^[0-9]+(\.[0-9]+)?$/) { print "row " NR ": " $i; bad = 1 } }
  NR == 2 && $1 != 0 { print "the first row is not at time 0"; bad = 1 }
  NR > 2 && ($1 + 0 < t || $2 + 0 < e) { print "row " NR ": time or execs went back"; bad = 1 }
  { t = $1 + 0; e = $2 + 0; n++ }
  END { if (n < 3) { print "only " n " rows"; bad = 1 }; if (e == 0) { print "no executions"; bad = 1 }; exit bad }' $csv ||
  fail "stats.csv is not a time series"
"$png_check" vpcert-work/stats.png || fail "stats.png is not a well-formed PNG"
size=$(wc -c <vpcert-work/stats.png)
cp vpcert-work/stats.png broken.png
printf 'X' | dd of=broken.png bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
if "$png_check" broken.png >/dev/null; then fail "png_check accepts a corrupted PNG"; fi
echo "ok: stats.csv ($(($(wc -l <$csv) - 1)) samples) and stats.png ($size bytes)"
