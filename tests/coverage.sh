#!/bin/sh
# coverage.sh: what the checked-in corpus reaches, as an llvm-cov report
# (CTest coverage.report in the coverage build: cmake --workflow --preset
# coverage).
#
#   coverage.sh BUILD SRC LLVM-PROFDATA LLVM-COV MIN
#
# Replays, each process writing its own profile:
#   - corpus/seeds and corpus/regressions through replay_diff, replay_model
#     and replay_roundtrip; the text programs through replay_text;
#   - the conformance vectors (vpcert conform) against the
#     built-in shim, against every example implementation of impls/impls.txt
#     with its ICS, and against every planted mutant of the shim: that is how
#     the checks that report findings are reached;
#   - corpus/regressions through vpcert replay, and every conformance
#     vector through vpcert explain;
#   - the seeds and regressions through replay_diff (in-process) against
#     every example implementation that certifies (long programs reach what
#     the short vectors do not, such as a full debug buffer) and every
#     mutant (VPCERT_IMPL, VPCERT_ICS): a mutant's first finding aborts it,
#     after fuzz_diff has printed the finding and read it back as triage
#     does. (The examples that crash, hang or exit are left to conform,
#     which runs them in child processes.)
#   - a few rows of impls/impls.txt through vpcert certify, checked as
#     CTest checks them (tests/certify_case.sh): the case families and the
#     concurrent schedules;
#   - tests/test_checks: vpcert's checks on its own state fed corrupted
#     state, the only way to reach their failure paths (they fire on a bug
#     in vpcert, which no program of the corpus can cause);
#   - tests/test_trace: the executor's recording hook (certify's C
#     reproducers are written from it; a certify run records in a child
#     only for a failing clause).
# The build counts in continuous mode (cmake/coverage.cmake), so the cases
# vpcert runs in child processes count too, crashed or not.
# Then writes BUILD/coverage/html/index.html (llvm-cov show) and
# BUILD/coverage/summary.txt (llvm-cov report, then lines per folder), and
# fails when the model, the kernel stand-in, the executor and the shim
# together have less than MIN percent of their lines covered.
set -eu
build=$1 src=$2 profdata=$3 cov=$4 min=$5
out=$build/coverage
rm -rf "$out"
mkdir -p "$out/profiles" "$out/logs"
LLVM_PROFILE_FILE="$out/profiles/%c%p-%m.profraw"
export LLVM_PROFILE_FILE
bins="$build/vpcert $build/fuzzers/replay_diff $build/fuzzers/replay_model
      $build/fuzzers/replay_roundtrip $build/fuzzers/replay_text
      $build/tests/test_checks $build/tests/test_trace"
vpcert=$build/vpcert
# impls/impls.txt rows certified (NAME:ICS), chosen for what they reach
certify_rows="conc_port:thread-safe bad_conc_check_then_charge:thread-safe
  bad_quota_trunc32:default bad_contents:default"
fail() { echo "coverage: FAIL: $*"; exit 1; }

# run LOG EXPECTED-STATUSES CMD...: run CMD, its output in logs/LOG; its
# exit status must be one of EXPECTED-STATUSES (e.g. "0 1").
runs=0
run() {
  log=$out/logs/$1 ok=$2
  shift 2
  status=0
  "$@" >"$log" 2>&1 || status=$?
  case " $ok " in
  *" $status "*) runs=$((runs + 1)) ;;
  *) fail "$* exited $status (expected $ok); see $log" ;;
  esac
}

cd "$src"
for t in diff model roundtrip; do
  run replay_$t.log 0 "$build/fuzzers/replay_$t" corpus/seeds corpus/regressions
done
run replay_text.log 0 "$build/fuzzers/replay_text" corpus/conformance/*.vpt \
  fuzzers/seeds-src/*.vpt
run conform-shim.log 0 "$vpcert" conform --ics corpus/shim.ics corpus/conformance
run replay-regressions.log 0 "$vpcert" replay corpus/regressions

# Every example implementation with its ICS (impls/impls.txt), then every
# mutant: findings are expected (exit 1); exit 2 would be a setup error.
grep '^[a-z]' impls/impls.txt >"$out/impls.txt"
# replay_diff LOG LIB ICS: the seeds and regressions against LIB.
replay_diff() {
  export VPCERT_IMPL="$2" VPCERT_ICS="$3"
  run "$1" "0 134" "$build/fuzzers/replay_diff" corpus/seeds corpus/regressions
  unset VPCERT_IMPL VPCERT_ICS
}
while read -r name ics verdict _; do
  run "impl-$name-$(basename "$ics" .ics).log" "0 1" "$vpcert" conform \
    --impl "$build/impls/$name.so" --ics "$ics" corpus/conformance
  if [ "$verdict" != NOT_CERTIFIED ]; then
    replay_diff "replay-$name-$(basename "$ics" .ics).log" "$build/impls/$name.so" "$ics"
  fi
done <"$out/impls.txt"
# A library that calls the pool, a lock and a lookaside list while it loads
# (tests/hostile.c, ctor_kernel): refused before any vector runs (HOST-2).
run load-stray.log 2 "$vpcert" conform --impl "$build/hostile/ctor_kernel.so" \
  --ics impls/none.ics corpus/conformance
for m in "$build"/mutants/mutant_*.so; do
  run "$(basename "$m" .so).log" "0 1" "$vpcert" conform --impl "$m" \
    --ics corpus/shim.ics corpus/conformance
  replay_diff "replay-$(basename "$m" .so).log" "$m" corpus/shim.ics
done
for v in corpus/conformance/*.vpt; do
  run "explain-$(basename "$v" .vpt).log" "0 1" "$vpcert" explain --ics corpus/shim.ics "$v"
done

# Certification of a few rows of impls/impls.txt, each checked as its CTest
# certify.impl.NAME.ICS checks it (tests/certify_case.sh: verdict, exit
# status, clauses, reproducers): certify's case families reach what the
# vectors do not (thread-safe schedules, 32-bit quota arithmetic, ...).
for row in $certify_rows; do
  name=${row%%:*} ics=impls/${row#*:}.ics
  # shellcheck disable=SC2046 # the verdict and the clauses, two words
  set -- $(awk -v n="$name" -v i="$ics" '$1 == n && $2 == i { print $3, $4 }' "$out/impls.txt")
  [ $# -eq 2 ] || fail "no row $name $ics in impls/impls.txt"
  run "certify-$name-${row#*:}.log" 0 sh tests/certify_case.sh "$vpcert" \
    "$build/impls/$name.so" "$ics" "$1" "$2"
done

run test_checks.log 0 "$build/tests/test_checks"
run test_trace.log 0 "$build/tests/test_trace"

set -- "$out"/profiles/*.profraw
[ -e "$1" ] || fail "no profile written (is the build instrumented?)"
"$profdata" merge -sparse -o "$out/vpcert.profdata" "$@"
objects=""
for b in $bins; do
  objects="$objects${objects:+ -object }$b"
done
measured="$src/model $src/harness $src/shim"
# shellcheck disable=SC2086
"$cov" show -format=html -output-dir="$out/html" -show-line-counts-or-regions \
  -instr-profile="$out/vpcert.profdata" $objects $measured
# shellcheck disable=SC2086
"$cov" report -instr-profile="$out/vpcert.profdata" $objects $measured >"$out/report.txt"

# Lines per folder, from the per-file rows of llvm-cov report (lines and
# missed lines are its 8th and 9th columns), sorted; then all of them, and
# the gated folders together.
awk -v src="$src/" '
  $1 ~ /\.[ch]$/ && NF >= 10 {
    f = $1; sub("^" src, "", f); sub("/[^/]*$", "", f)
    lines[f] += $8; missed[f] += $9
  }
  END { for (k in lines) print k, lines[k], missed[k] }' "$out/report.txt" |
  sort >"$out/folders.raw"
awk -v min="$min" '
  function row(name, l, m) {
    printf "%-16s %7d %7d %7.1f%%\n", name, l, m, l ? 100 * (l - m) / l : 0
  }
  BEGIN { printf "\n%-16s %7s %7s %8s\n", "folder", "lines", "missed", "covered" }
  {
    row($1, $2, $3); L += $2; M += $3
    if ($1 == "model" || $1 == "shim" || $1 == "harness/kernel" || $1 == "harness/exec") {
      GL += $2; GM += $3
    }
  }
  END {
    row("all", L, M)
    row("gated", GL, GM)
    printf "(gated: model, harness/kernel, harness/exec and shim: %.2f%% covered, at least %s%% required)\n",
      GL ? 100 * (GL - GM) / GL : 0, min
    exit GL && 100 * (GL - GM) / GL + 1e-9 >= min ? 0 : 1
  }' "$out/folders.raw" >"$out/folders.txt" && gate=0 || gate=1
cat "$out/report.txt" "$out/folders.txt" >"$out/summary.txt"
cat "$out/folders.txt"
echo "coverage: $runs replays; report $out/html/index.html, summary $out/summary.txt"
[ "$gate" -eq 0 ] || fail "line coverage below $min% (see $out/summary.txt)"
