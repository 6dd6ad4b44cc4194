#!/usr/bin/env bash
# bench/fuzz_speed.sh [BUILD_DIR] [SECONDS]
#
# Executions per second of the differential target against an empty
# libFuzzer target built with the same flags (fuzzers/fuzz_empty.c: ASan +
# UBSan, -fsanitize=fuzzer), one after the other in this invocation, each
# for SECONDS (default 30):
#
#   fuzz_diff   the correct shim through the built-in path (no VPCERT_IMPL)
#   fuzz_diff   the correct shim as a plug-in (VPCERT_IMPL=BUILD_DIR/shim.so)
#   fuzz_empty  LLVMFuzzerTestOneInput returns 0
#
# Every run starts from its own copy of corpus/seeds, with the flags `vpcert
# fuzz` passes (-timeout=25 -dict=fuzz_diff.dict, -seed=1,
# -print_final_stats=1) and VPCERT_ICS=corpus/shim.ics (what the shim
# declares). execs is stat::number_of_executed_units; seconds is the wall
# time of the process (start-up and seed loading included); exec/s is
# execs / seconds; libFuzzer's own stat::average_exec_per_sec (execs over
# whole seconds) is shown beside it. Prints a Markdown table on stdout.
# One fuzzer at a time: on a shared machine read the load averages printed
# with the table.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd) || exit 2
secs=${2:-30}
ics=$root/corpus/shim.ics
dict=$build/fuzzers/fuzz_diff.dict
for f in "$build/fuzzers/fuzz_diff" "$build/fuzzers/fuzz_empty" "$build/shim.so"; do
  [ -e "$f" ] || { echo "fuzz_speed.sh: $f missing (cmake --preset default && cmake --build --preset default)" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-speed.XXXXXX")
trap 'rm -rf "$work"' EXIT
dict_arg=()
[ -f "$dict" ] && dict_arg=(-dict="$dict")

# run LABEL IMPL_DESC TARGET [VPCERT_IMPL]: one campaign; appends a row.
run() {
  local label=$1 desc=$2 target=$3 impl=${4:-} d
  d=$work/$label
  mkdir -p "$d/corpus"
  cp "$root"/corpus/seeds/* "$d/corpus/"
  echo "fuzz_speed.sh: $label ($desc), ${secs} s, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  local t0 t1 rc l0
  l0=$(cut -d' ' -f1 /proc/loadavg)
  t0=$EPOCHREALTIME
  if [ -n "$impl" ]; then
    VPCERT_IMPL=$impl VPCERT_ICS=$ics "$build/fuzzers/$target" -seed=1 -max_total_time="$secs" \
      -print_final_stats=1 -timeout=25 "${dict_arg[@]}" -artifact_prefix="$d/" "$d/corpus" >"$d/log" 2>&1
  else
    env -u VPCERT_IMPL VPCERT_ICS="$ics" "$build/fuzzers/$target" -seed=1 -max_total_time="$secs" \
      -print_final_stats=1 -timeout=25 "${dict_arg[@]}" -artifact_prefix="$d/" "$d/corpus" >"$d/log" 2>&1
  fi
  rc=$?
  t1=$EPOCHREALTIME
  local execs avg rss note=""
  execs=$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$d/log" | tail -1)
  avg=$(sed -n 's/^stat::average_exec_per_sec:[[:space:]]*//p' "$d/log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb:[[:space:]]*//p' "$d/log" | tail -1)
  [ "$rc" -eq 0 ] || note="stopped early (exit $rc): $(grep -m1 -E 'vpcert-fuzz: FINDING|ERROR:' "$d/log")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$desc" "${execs:-0}" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')" "${avg:-0}" "${rss:-?}" \
    "$l0 / $(cut -d' ' -f1 /proc/loadavg)" "$note" >>"$work/rows"
  echo "  execs ${execs:-0}, libFuzzer ${avg:-0} exec/s, rss ${rss:-?} MB${note:+; $note}" >&2
}

: >"$work/rows"
run fuzz_diff "correct shim, built-in path" fuzz_diff
run fuzz_diff_plugin "correct shim as a plug-in (VPCERT_IMPL=shim.so)" fuzz_diff "$build/shim.so"
run fuzz_empty "empty target, same flags" fuzz_empty

awk -F'\t' -v secs="$secs" '
  { lab[NR] = $1; desc[NR] = $2; ex[NR] = $3; s[NR] = $4; avg[NR] = $5; rss[NR] = $6
    load[NR] = $7; note[NR] = $8; rate[NR] = $4 > 0 ? $3 / $4 : 0
    if ($1 == "fuzz_empty") base = rate[NR] }
  END {
    print "| target | implementation | execs | seconds | exec/s | libFuzzer exec/s | % of fuzz_empty | peak RSS MB | load before / after |"
    print "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= NR; i++) {
      name = lab[i]; sub(/_plugin$/, "", name)
      printf "| %s | %s | %d | %.2f | %.0f | %s | %s | %s | %s |\n", name, desc[i], ex[i], s[i], rate[i],
             avg[i], (base > 0 ? sprintf("%.1f%%", 100 * rate[i] / base) : "-"), rss[i], load[i]
    }
    for (i = 1; i <= NR; i++) if (note[i] != "") printf "\n%s: %s\n", lab[i], note[i]
    printf "\nGoal: fuzz_diff >= 30%% of fuzz_empty'"'"'s exec/s with ASan: "
    ok = 1
    for (i = 1; i <= NR; i++) if (lab[i] != "fuzz_empty" && (base <= 0 || rate[i] / base < 0.30)) ok = 0
    print ok ? "met." : "NOT met."
  }' "$work/rows"
