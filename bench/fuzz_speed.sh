#!/usr/bin/env bash
# bench/fuzz_speed.sh [BUILD_DIR] [SECONDS]
#
# The main job's speed: `vpcert fuzz --time SECONDS` exactly as a user runs
# it (the working corpus seeded with corpus/seeds and corpus/regressions,
# the flags vpcert passes to fuzz_diff), against an empty libFuzzer target
# built with the same flags (fuzzers/fuzz_empty.c), one after the other in
# this invocation:
#
#   vpcert fuzz             the default kernel stand-in (a freed block of
#                           1 MiB or more made inaccessible: one mprotect
#                           per such free)
#   vpcert fuzz, fast free  VPCERT_FUZZ_FAST_FREE=1 (such blocks poisoned
#                           instead; a use after free of one no longer
#                           faults)
#   fuzz_empty              LLVMFuzzerTestOneInput returns 0, from an empty
#                           corpus, -max_total_time=SECONDS
#
# execs: vpcert's summary line ("N execs"), libFuzzer's
# stat::number_of_executed_units for fuzz_empty. wall s: the whole command
# (vpcert's start-up and seeding included). CPU s: user + system time of the
# command and its children, which another job on the machine does not
# inflate: exec/CPU-s is the figure to compare on a shared machine. Peak RSS
# is libFuzzer's stat::peak_rss_mb. Prints a Markdown table on stdout.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd) || exit 2
secs=${2:-60}
for f in "$build/vpcert" "$build/fuzzers/fuzz_diff" "$build/fuzzers/fuzz_empty"; do
  [ -x "$f" ] || { echo "fuzz_speed.sh: $f missing (cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-speed.XXXXXX")
trap 'rm -rf "$work"' EXIT
: >"$work/rows"

# row LABEL EXECS WALL CPU RSS NOTE
row() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$work/rows"
  echo "  $1: execs $2, wall $3 s, CPU $4 s, peak RSS ${5} MB${6:+; $6}" >&2
}

# main_job LABEL [ENV=VALUE]: vpcert fuzz from a scratch directory whose
# corpus/ is the repository's (vpcert fuzz reads corpus/seeds and
# corpus/regressions from the current directory).
main_job() {
  local label=$1 d t0 t1 cpu execs rss note=""
  shift
  d=$work/run$(wc -l <"$work/rows")
  mkdir -p "$d"
  ln -s "$root/corpus" "$d/corpus"
  echo "fuzz_speed.sh: $label, ${secs} s, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  t0=$EPOCHREALTIME
  cpu=$( { TIMEFORMAT='%3U %3S'; time (cd "$d" && env "$@" "$build/vpcert" fuzz --time "$secs" \
      >"$d/out" 2>&1); } 2>&1 | awk '{ print $1 + $2 }')
  t1=$EPOCHREALTIME
  execs=$(sed -n 's/^vpcert fuzz: [a-z]* after [0-9.]* s: \([0-9]*\) execs.*/\1/p' "$d/out" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb:[[:space:]]*//p' "$d"/vpcert-work/fuzz*.log 2>/dev/null | sort -n | tail -1)
  grep -q 'FINDING' "$d/out" && note="findings: $(grep -c '^FINDING' "$d/out")"
  [ -n "$execs" ] || note="no summary line: $(tail -1 "$d/out")"
  row "$label" "${execs:-0}" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" \
      "$cpu" "${rss:-?}" "$note"
}

empty_job() {
  local d=$work/empty t0 t1 cpu execs rss
  mkdir -p "$d/corpus"
  echo "fuzz_speed.sh: fuzz_empty, ${secs} s, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  t0=$EPOCHREALTIME
  cpu=$( { TIMEFORMAT='%3U %3S'; time ("$build/fuzzers/fuzz_empty" -max_total_time="$secs" \
      -print_final_stats=1 -timeout=25 -artifact_prefix="$d/" "$d/corpus" >"$d/log" 2>&1); } 2>&1 |
      awk '{ print $1 + $2 }')
  t1=$EPOCHREALTIME
  execs=$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$d/log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb:[[:space:]]*//p' "$d/log" | tail -1)
  row "fuzz_empty" "${execs:-0}" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" \
      "$cpu" "${rss:-?}" ""
}

main_job "vpcert fuzz"
main_job "vpcert fuzz, fast free" VPCERT_FUZZ_FAST_FREE=1
empty_job

awk -F'\t' -v secs="$secs" -v build="$build" '
  { lab[NR] = $1; ex[NR] = $2; wall[NR] = $3; cpu[NR] = $4; rss[NR] = $5; note[NR] = $6
    rw[NR] = $3 > 0 ? $2 / $3 : 0; rc[NR] = $4 > 0 ? $2 / $4 : 0
    if ($1 == "fuzz_empty") { bw = rw[NR]; bc = rc[NR] } }
  END {
    printf "Build %s, --time %s.\n\n", build, secs
    print "| run | execs | wall s | exec/s | CPU s | exec per CPU-s | % of fuzz_empty (wall) | % of fuzz_empty (CPU) | peak RSS MB |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= NR; i++)
      printf "| %s | %d | %s | %.0f | %s | %.0f | %.2f%% | %.2f%% | %s |\n", lab[i], ex[i], wall[i], rw[i],
             cpu[i], rc[i], (bw > 0 ? 100 * rw[i] / bw : 0), (bc > 0 ? 100 * rc[i] / bc : 0), rss[i]
    for (i = 1; i <= NR; i++) if (note[i] != "") printf "\n%s: %s\n", lab[i], note[i]
  }' "$work/rows"
