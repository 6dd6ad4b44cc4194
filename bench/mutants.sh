#!/usr/bin/env bash
# bench/mutants.sh [BUILD_DIR] [SEEDS] [CAP_SECONDS]
#
# Mutation score and time to detect, for every mutant in shim/mutants.h
# (the MUTANT(N, NAME, CLAUSE, "...") rows of VPCERT_MUTANT_LIST):
#
#   corpus kill  tests/test_faults replays every conformance vector
#                (corpus/conformance) against mutant_N.so: "yes" when the
#                mutant's own clause is among the findings; the clauses the
#                corpus found are recorded as well.
#   fuzz         fuzz_diff from an EMPTY corpus (a fresh directory per run)
#                against mutant_N.so through the plug-in path
#                (VPCERT_IMPL, VPCERT_ICS=corpus/shim.ics), seeds 1..SEEDS,
#                each capped at CAP_SECONDS: found or not, wall time of the
#                run (startup to abort, ~0.1 s of it is process start),
#                its CPU time (user + system, which other jobs on a shared
#                machine do not inflate), executions (stat::number_of_executed_units, which
#                libFuzzer prints on the crash too) and the finding's clause.
#                Flags as `vpcert fuzz` passes them, minus minimization:
#                -timeout=25 -dict=fuzz_diff.dict; no -runs bound (the time
#                cap is the only bound).
#   median       over the seeds; a run that did not find counts as CAP (time)
#                and as "more than it ran" (execs); with an even number of
#                seeds the upper middle run. The mutant is "not found" when
#                the median run did not find it.
#
# Writes OUT_DIR (default bench/results): mutants.tsv (one row per mutant),
# mutants-runs.tsv (one row per run), mutants.png (bench/plot.gp, when
# gnuplot is installed: apt-get install gnuplot-nox); prints a Markdown
# table on stdout, progress on stderr. One fuzzer at a time.
#
# Environment: OUT_DIR, MUTANTS="4 17 ..." (a subset by number).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd) || exit 2
seeds=${2:-5}
cap=${3:-60}
out=${OUT_DIR:-$root/bench/results}
fuzzer=${FUZZER:-$build/fuzzers/fuzz_diff}
faults=$build/tests/test_faults
ics=$root/corpus/shim.ics
dict=$build/fuzzers/fuzz_diff.dict

for f in "$fuzzer" "$faults"; do
  [ -x "$f" ] || { echo "mutants.sh: $f missing (cmake --preset default && cmake --build --preset default)" >&2; exit 2; }
done
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-mutants.XXXXXX")
trap 'rm -rf "$work"' EXIT

# N NAME CLAUSE, one mutant a line.
sed -n 's/^[[:space:]]*MUTANT(\([0-9][0-9]*\),[[:space:]]*\([A-Za-z0-9_]*\),[[:space:]]*\([A-Za-z0-9-]*\),.*/\1 \2 \3/p' \
  "$root/shim/mutants.h" >"$work/list"
if [ -n "${MUTANTS:-}" ]; then
  for n in $MUTANTS; do awk -v n="$n" '$1 == n' "$work/list"; done >"$work/sel"
  mv "$work/sel" "$work/list"
fi
total=$(wc -l <"$work/list")
[ "$total" -gt 0 ] || { echo "mutants.sh: no MUTANT rows in shim/mutants.h" >&2; exit 2; }

dict_arg=()
[ -f "$dict" ] && dict_arg=(-dict="$dict")

tsv=$out/mutants.tsv runs=$out/mutants-runs.tsv
printf 'number\tname\tclause\tcorpus_kill\tcorpus_clause\tfound_seeds\tmedian_s\tmedian_execs\tfuzz_clause\tfuzz_saw_clause\tmedian_cpu_s\n' >"$tsv.tmp"
printf 'number\tname\tseed\tfound\tseconds\texecs\tclause\tall_clauses\texit\tcpu_s\n' >"$runs.tmp"

started=$EPOCHREALTIME
echo "mutants.sh: $total mutants x $seeds seeds, cap ${cap} s, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

while read -r num name clause; do
  so=$build/mutants/mutant_$num.so
  # ---- corpus kill ----
  line=$("$faults" "$root/corpus/conformance" "$build/mutants" "$build/shim.so" "$name" 2>/dev/null |
         awk -v n="$num" '$2 == n && /expected; found:/')
  case $line in
    ok*) kill=yes ;;
    *) kill=no ;;
  esac
  cclause=${line##*found: }
  [ -n "$line" ] || cclause="(test_faults gave no row)"

  # ---- fuzz from an empty corpus ----
  : >"$work/times"
  : >"$work/cpus"
  : >"$work/execs"
  : >"$work/clauses"
  found_n=0
  saw=no # the mutant's own clause among the findings of some run
  for ((s = 1; s <= seeds; s++)); do
    run=$work/run; rm -rf "$run"; mkdir -p "$run/corpus"
    t0=$EPOCHREALTIME
    cpu=$( { TIMEFORMAT='%3U %3S'; time (VPCERT_IMPL=$so VPCERT_ICS=$ics "$fuzzer" -seed="$s" \
      -max_total_time="$cap" -print_final_stats=1 -timeout=25 "${dict_arg[@]}" \
      -artifact_prefix="$run/" "$run/corpus" >"$run/log" 2>&1; echo $? >"$run/rc"); } 2>&1 |
      awk '{ printf "%.3f", $1 + $2 }')
    rc=$(cat "$run/rc")
    t1=$EPOCHREALTIME
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    execs=$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$run/log" | tail -1)
    [ -n "$execs" ] || execs=0
    # fuzz_diff prints every finding of the failing execution; the first is
    # "the" finding, all of them are kept for the per-run table.
    allc=$(sed -n 's/^vpcert-fuzz: FINDING \[\([^]]*\)\].*/\1/p' "$run/log" | awk '!seen[$0]++' | paste -sd+ -)
    fclause=${allc%%+*}
    [ -n "$allc" ] || allc=-
    if [ -n "$fclause" ]; then
      found=1
    else
      found=0
      # Anything else that stopped the run early is not a vpcert finding;
      # name it so that it shows in the table.
      if grep -q 'ERROR: AddressSanitizer' "$run/log"; then fclause=asan
      elif grep -q 'runtime error:' "$run/log"; then fclause=ubsan
      elif grep -q 'ERROR: libFuzzer: out-of-memory' "$run/log"; then fclause=oom
      elif grep -q 'ERROR: libFuzzer: timeout' "$run/log"; then fclause=timeout
      elif [ "$rc" -ne 0 ]; then fclause="exit$rc"
      else fclause=-
      fi
    fi
    if [ "$found" = 1 ]; then
      found_n=$((found_n + 1))
      echo "$secs" >>"$work/times"
      echo "$cpu" >>"$work/cpus"
      echo "$execs" >>"$work/execs"
      echo "$fclause" >>"$work/clauses"
    else
      echo "$cap" >>"$work/times"
      echo "$cap" >>"$work/cpus"
      echo "$((1000000000000 + execs))" >>"$work/execs" # sorts after every find
      [ "$fclause" = - ] || echo "$fclause" >>"$work/clauses"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$num" "$name" "$s" "$found" "$secs" "$execs" "$fclause" "$allc" "$rc" "$cpu" >>"$runs.tmp"
    case "+$allc+" in *"+$clause+"*) saw=yes ;; esac
    if [ "$found" = 1 ]; then r="$fclause in ${secs}s, $execs execs"; else r="not found (${fclause}) in ${secs}s, $execs execs"; fi
    echo "  #$num $name seed $s: $r" >&2
  done
  mid=$((seeds / 2)) # 0-based: the middle run, the upper middle when even
  med_s=$(sort -g "$work/times" | sed -n "$((mid + 1))p")
  med_c=$(sort -g "$work/cpus" | sed -n "$((mid + 1))p")
  med_e=$(sort -n "$work/execs" | sed -n "$((mid + 1))p")
  if [ "$med_e" -ge 1000000000000 ]; then
    med_e=">$((med_e - 1000000000000))"
    med_s=$(awk -v c="$cap" 'BEGIN { printf "%.3f", c }')
    med_c=-
  fi
  fz=$(sort "$work/clauses" | uniq -c | sort -k1,1nr -k2 | awk '{ printf "%s%s(%s)", (NR > 1 ? "," : ""), $2, $1 }')
  [ -n "$fz" ] || fz=-
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$num" "$name" "$clause" "$kill" "$cclause" \
    "$found_n/$seeds" "$med_s" "$med_e" "$fz" "$saw" "$med_c" >>"$tsv.tmp"
  echo "#$num $name [$clause]: corpus $kill ($cclause); fuzz $found_n/$seeds, median ${med_s}s, $med_e execs, $fz" >&2
done <"$work/list"

mv "$tsv.tmp" "$tsv"
mv "$runs.tmp" "$runs"
elapsed=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')

# ---- Markdown table ----
awk -F'\t' -v cap="$cap" -v seeds="$seeds" -v el="$elapsed" '
  NR == 1 { next }
  {
    rows[++n] = $0
    if ($4 == "yes") ck++
    nf = ($8 ~ /^>/)
    if (!nf) fk++
    if ($10 == "yes") saw++
    line[n] = sprintf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", $1, $2, $3, $4, $5, $6,
                      nf ? "not found (" cap ")" : $7, $11, $8, $9, $10)
  }
  END {
    print "| # | mutant | clause | corpus kill | corpus found | fuzz found | median s | median CPU s | median execs | fuzz clause (runs) | own clause seen |"
    print "|---:|---|---|---|---|---:|---:|---:|---:|---|---|"
    for (i = 1; i <= n; i++) print line[i]
    printf "\nCorpus replay kills %d/%d; fuzzing from an empty corpus finds %d/%d (median of %d seeds, cap %s s), with the mutant'"'"'s own clause among the findings for %d/%d; %s s in all.\n",
           ck, n, fk, n, seeds, cap, saw, n, el
  }' "$tsv"

# ---- plot ----
if command -v gnuplot >/dev/null 2>&1; then
  gnuplot -e "tsv='$tsv'; png='$out/mutants.png'; cap=$cap; seeds=$seeds" "$root/bench/plot.gp" ||
    echo "mutants.sh: gnuplot failed; no plot" >&2
else
  echo "mutants.sh: gnuplot not installed (apt-get install gnuplot-nox); no plot" >&2
fi
