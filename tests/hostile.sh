#!/bin/sh
# hostile.sh CASE VPCERT BUILD REPORT_CHECK SRC: nothing a plug-in or a
# user's file does may crash, hang, kill or fool vpcert (issue 10). Each
# CASE runs vpcert on a hostile library (BUILD/hostile/CASE.so, built from
# tests/hostile.c) or on hostile paths and files, and checks the exit
# status, the message, the report (absent, or whole and valid: JSON, XML,
# text checked by REPORT_CHECK) and that no process it started is left.
# Processes are told apart by a VPCERT_TAG in their environment, which
# everything vpcert starts inherits.
set -eu
case=$1 vpcert=$2 build=$3 check=$4 src=$5
status=0
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-hostile.XXXXXX")
tag="vpcert-hostile-$$-$case"
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL ($case): $*"; for f in out err; do [ -s $f ] && sed "s/^/  $f: /" $f | head -20; done; exit 1; }
printf 'quota = none\nservices = AllocateBuffer, ReleaseBuffer, AllocatePool, FreePool\n' >none.ics
printf 'vpcert 1\npool paged 1048576\npool nonpaged 1048576\ndevice 0 quota 4096\nalloc_buffer dev=0 size=16\nalloc_buffer dev=0 size=0xFFFFFFFF\n' >p.vpt
lib=$build/hostile/$case.so
good=$build/impls/passthrough.so

# run ARGS...: vpcert with the tag; status, seconds in $status, $took
run() {
  status=0
  t0=$(date +%s)
  env VPCERT_TAG="$tag" "$vpcert" "$@" >out 2>err || status=$?
  took=$(($(date +%s) - t0))
}
certify() { run certify -q --ics none.ics --out rep "$@"; }
procs() { grep -las "VPCERT_TAG=$tag" /proc/[0-9]*/environ | wc -l; }
no_procs() {
  n=$(procs)
  [ "$n" -eq 0 ] || { sleep 1; n=$(procs); }
  [ "$n" -eq 0 ] || fail "$n processes it started are still there"
}
want_status() { [ "$status" -eq "$1" ] || fail "exit status $status, expected $1"; }
# a one-line message on stderr, nothing on stdout, matching $1
one_line() {
  [ ! -s out ] || fail "wrote to stdout"
  [ "$(wc -l <err)" -eq 1 ] || fail "not one line on stderr"
  grep -Eq "$1" err || fail "message does not say: $1"
}
# one line on stderr matching $1 (stdout may hold a summary)
err_line() {
  [ "$(wc -l <err)" -eq 1 ] || fail "not one line on stderr"
  grep -Eq "$1" err || fail "message does not say: $1"
}
no_report() {
  [ ! -e rep ] || fail "a report directory was written"
  ! ls -a | grep -q '^\.rep\.vpcert-' || fail "a staging directory was left"
}
# report VERDICT: the three files there, valid, with that verdict
report() {
  for f in report.json report.md junit.xml report.sarif; do [ -s rep/$f ] || fail "no $f"; done
  "$check" json rep/report.json >>err || fail "report.json: $(tail -1 err)"
  "$check" json rep/report.sarif >>err || fail "report.sarif: $(tail -1 err)"
  "$check" xml rep/junit.xml >>err || fail "junit.xml: $(tail -1 err)"
  "$check" text rep/report.md >>err || fail "report.md: $(tail -1 err)"
  got=$(sed -n 's/^ *"verdict": "\([A-Z_]*\)".*/\1/p' rep/report.json | head -n 1)
  [ "$got" = "$1" ] || fail "verdict $got, expected $1"
}
# clause ID VERDICT [OBSERVED-REGEX]
clause() {
  line=$(grep "\"id\": \"$1\"" rep/report.json) || fail "no clause $1"
  echo "$line" | grep -q "\"verdict\": \"$2\"" || fail "$1 is not $2: $line"
  [ $# -lt 3 ] || echo "$line" | grep -Eq "\"observed\": \"$3" || fail "$1 observed: $line"
}
# busy_start: keep every CPU busy (twice as many endless loops as CPUs,
# and two more) until busy_stop, or the end of the script
busy=""
busy_start() {
  n=$(($(nproc) * 2 + 2))
  while [ "$n" -gt 0 ]; do
    sh -c 'while :; do :; done' &
    busy="$busy $!"; n=$((n - 1))
  done
}
busy_stop() { [ -z "$busy" ] || kill $busy 2>/dev/null || true; busy=""; }
trap 'busy_stop; rm -rf "$work"' EXIT
no_fail() { ! grep -q '"verdict": "FAIL"' rep/report.json || fail "a clause FAILs"; }
no_escape() { ! grep -q "$(printf '\033')" out err || fail "a control byte reached the terminal"; }

case $case in
ctor_exit) certify "$lib"; want_status 2; one_line 'did not load: .*exited with status 0'; no_report ;;
ctor_segv) certify "$lib"; want_status 2; one_line 'did not load: .*signal 11'; no_report ;;
ctor_abort) certify "$lib"; want_status 2; one_line 'did not load: .*signal 6'; no_report ;;
ctor_hang) certify "$lib"; want_status 2; one_line 'did not load: no result within 2.0 s'; no_report ;;
ctor_memory)
  certify --timeout 120 "$lib"; want_status 2
  one_line 'did not load: resident memory [0-9]+ MiB above the 2048 MiB limit'; no_report ;;
ctor_kill_parent | ctor_kill_group)
  certify "$lib"; want_status 2; one_line 'did not load: .*(sandbox|signalled its parent)'; no_report ;;
ctor_close_fds | ctor_fork | ctor_fork_return | svc_fork | svc_setsid_fork | svc_fork_return | svc_close_fds)
  certify "$lib"; want_status 0; report CERTIFIED ;;
ctor_noise) certify "$lib"; want_status 0; report CERTIFIED; no_escape ;;
ctor_kernel)
  # pool, lock and lookaside calls while loading (HOST-2): refused, the
  # first one named, by every command that loads a library
  certify "$lib"; want_status 2
  one_line 'cannot load .*: it called ExInitializeNPagedLookasideList while loading \(4 kernel calls outside any service call.*\[HOST-2\]'
  no_report
  run conform --impl "$lib" --ics none.ics "$src/corpus/conformance"; want_status 2
  one_line 'it called ExInitializeNPagedLookasideList while loading'
  run replay --impl "$lib" p.vpt; want_status 2; one_line 'HOST-2' ;;
ctor_banner)
  # debug output and KeGetCurrentIrql while loading are allowed
  certify "$lib"; want_status 0; report CERTIFIED; clause HOST-2 PASS ;;
svc_slow_cpu)
  # slow, not wrong (certify.under_load runs it on a busy machine too)
  certify "$lib"; want_status 0; report CERTIFIED ;;
ctor_slow)
  # the library takes 3 s to load; a budget of 1 s runs out while loading
  certify --time 1 --timeout 10 "$lib"; want_status 3; report INCONCLUSIVE; no_fail
  grep -q 'cut short after 0 of' out || fail "does not say the run was cut short"
  [ "$took" -le 8 ] || fail "took $took s for a 1 s budget" ;;
svc_hang)
  # every call hangs; --time 5 bounds the run although --timeout is 30
  certify --time 5 --timeout 30 "$lib"; want_status 3; report INCONCLUSIVE; no_fail
  [ "$took" -le 15 ] || fail "took $took s for a 5 s budget" ;;
svc_kill_parent | svc_stop_parent)
  certify "$lib"; want_status 1; report NOT_CERTIFIED
  grep -q '"observed": "KILL: ' rep/report.json || fail "no KILL observed" ;;
svc_kill_group)
  certify "$lib"; want_status 1; report NOT_CERTIFIED
  grep -q '"observed": "CRASH: killed by signal 15' rep/report.json || fail "no CRASH by SIGTERM" ;;
svc_fork_crash)
  # a forked child holds every descriptor: the crash is still a crash
  certify "$lib"; want_status 1; report NOT_CERTIFIED
  grep -q '"observed": "CRASH: killed by signal 11' rep/report.json || fail "no CRASH"
  ! grep -q '"observed": "TIMEOUT' rep/report.json || fail "a crash reported as a timeout" ;;
svc_exit)
  certify "$lib"; want_status 1; report NOT_CERTIFIED
  grep -q '"observed": "EXIT: exited with status 0' rep/report.json || fail "no EXIT" ;;
svc_state_heap)
  # state kept in memory from the library's init: not a verdict, a note
  # (that memory comes from calloc: HOST-1, a SHOULD, warns, nothing else)
  certify "$lib"; want_status 0; report CERTIFIED_WITH_WARNINGS; no_fail
  clause HOST-1 WARN
  grep -q '"carried_state": [1-9]' rep/report.json || fail "no carried state counted"
  grep -q 'carries state between programs' out || fail "no note" ;;
svc_state_static)
  # state in static variables: put back between programs, nothing carried
  certify "$lib"; want_status 0; report CERTIFIED
  grep -q '"reruns": 0,' rep/report.json || fail "programs were run again"
  grep -q '"carried_state": 0,' rep/report.json || fail "carried state counted" ;;
svc_crash_max)
  # the crash is at a step citing QU-3, which quota = none makes
  # NOT-APPLICABLE: charged to what the call exercises, no QU-3 reproducer
  certify "$lib"; want_status 1; report NOT_CERTIFIED
  clause QU-3 NOT-APPLICABLE; clause AB-RES-1 FAIL 'CRASH: killed by signal 11'
  [ -s rep/reproducers/AB-RES-1.vpt ] || fail "no AB-RES-1 reproducer"
  [ ! -e rep/reproducers/QU-3.vpt ] || fail "a reproducer for a NOT-APPLICABLE clause" ;;
svc_spin_deep | svc_sleep_deep)
  # a call that never returns, looping or asleep, is a TIMEOUT charged to
  # its clause on a machine kept busy too (SPEC.md, "Time": a case's own
  # time, not the wall clock, meets the limit)
  busy_start
  certify --timeout 1 --time 60 "$lib"; busy_stop
  want_status 1; report NOT_CERTIFIED
  grep -q '"observed": "TIMEOUT: no result within 1.0 s (its own time' rep/report.json ||
    fail "no TIMEOUT observed" ;;
replay)
  run replay --impl "$build/hostile/ctor_exit.so" p.vpt; want_status 2; one_line 'did not load'
  run replay --impl "$build/hostile/svc_kill_parent.so" p.vpt; want_status 1
  grep -q '^KILL ' out || fail "no KILL line"
  run replay --impl "$build/hostile/svc_fork_crash.so" p.vpt; want_status 1
  grep -q '^CRASH .*signal 11' out || fail "no CRASH line" ;;
conform)
  run conform --impl "$build/hostile/ctor_segv.so" --ics none.ics "$src/corpus/conformance"
  want_status 2; one_line 'did not load: .*signal 11'
  run conform -q --impl "$build/hostile/svc_exit.so" --ics none.ics "$src/corpus/conformance"
  want_status 1; grep -q 'failed' out || fail "no summary" ;;
explain)
  run explain --impl "$build/hostile/ctor_kill_parent.so" p.vpt; want_status 2; one_line 'did not load'
  run explain --impl "$build/hostile/svc_fork_crash.so" p.vpt; want_status 1
  grep -q '^result: CRASH: killed by signal 11' out || fail "no CRASH result" ;;
fuzz)
  run fuzz --impl "$build/hostile/ctor_segv.so" --time 5; want_status 2; one_line 'did not load: .*signal 11' ;;
budget_good)
  # a conforming library and a budget no run fits in: never a FAIL
  certify --time 0.001 "$good"; want_status 3; report INCONCLUSIVE; no_fail ;;
report_bytes)
  # bytes that are not UTF-8 and control bytes in every path
  d=$(printf 'lib\377\033[31m\nx'); mkdir "$d"; cp "$good" "$d/pass.so"
  i=$(printf 'ics\376\007.ics'); cp none.ics "$i"
  o=$(printf 'out\377\033]0;t\007')
  run certify -q --ics "$i" --out "$o" "$d/pass.so"; want_status 0; no_escape
  rm -rf rep; mv "$o" rep; report CERTIFIED
  grep -q 'lib\\udcff\\u001b\[31m\\u000ax' rep/report.json || fail "the path is not escaped as said" ;;
report_concurrent)
  # two runs on one --out: whatever the order, one run's files, whole
  for round in 1 2 3 4 5 6 7 8; do
    env VPCERT_TAG="$tag" "$vpcert" certify -q --ics none.ics --out rep --seed 1 "$good" >o1 2>&1 &
    a=$!
    env VPCERT_TAG="$tag" "$vpcert" certify -q --ics none.ics --out rep --seed 2 "$good" >o2 2>&1 &
    b=$!
    wait $a || fail "run A: $(cat o1)"; wait $b || fail "run B: $(cat o2)"
    report CERTIFIED
    s1=$(sed -n 's/.*"seed": \([0-9]*\),.*/\1/p' rep/report.json)
    grep -q "| seed | $s1 |" rep/report.md || fail "round $round: report.json and report.md of two runs"
  done
  ! ls -a | grep -q '^\.rep\.vpcert-' || fail "a staging directory was left" ;;
report_kill)
  # kill -9 at any moment: the earlier report stays whole, nothing
  # temporary survives the next run
  certify --seed 7 "$good"; want_status 0; report CERTIFIED
  for delay in 0.02 0.05 0.1 0.2 0.3; do
    env VPCERT_TAG="$tag" "$vpcert" certify -q --ics none.ics --out rep --seed 9 "$good" >o1 2>&1 &
    pid=$!; sleep "$delay"; kill -9 $pid 2>/dev/null || true; wait $pid || true
    report CERTIFIED
    s=$(sed -n 's/.*"seed": \([0-9]*\),.*/\1/p' rep/report.json)
    grep -q "| seed | $s |" rep/report.md || fail "after kill at $delay s: files of two runs"
    no_procs
  done
  certify --seed 7 "$good"; want_status 0; report CERTIFIED
  ! ls -a | grep -q '^\.rep\.vpcert-' || fail "a killed run's staging directory survived the next run"
  [ -z "$(find . -name '*.tmp.*')" ] || fail "temporary files left" ;;
report_kill_held)
  # a run killed while the processes it forked live on (stopped here, so
  # that they keep every descriptor they inherited): its staging directory
  # goes with the next run all the same (the marker's lock is the run's
  # own, not its children's)
  env VPCERT_TAG="$tag" "$vpcert" certify -q --ics none.ics --out rep --time 60 \
    --timeout 30 "$build/hostile/svc_hang.so" >o1 2>&1 &
  pid=$!
  tries=0
  until [ "$(procs)" -ge 3 ] && ls -a | grep -q '^\.rep\.vpcert-'; do
    tries=$((tries + 1)); [ $tries -lt 200 ] || fail "the run never started its processes"
    sleep 0.05
  done
  kids=$(grep -las "VPCERT_TAG=$tag" /proc/[0-9]*/environ | cut -d/ -f3 | grep -vx "$pid")
  kill -STOP $kids; kill -9 $pid; wait $pid || true
  certify "$good"; st=$status
  kill -9 $kids 2>/dev/null || true
  status=$st; want_status 0; report CERTIFIED
  ! ls -a | grep -q '^\.rep\.vpcert-' || fail "the killed run's staging directory survived the next run"
  no_procs ;;
report_pid_reused)
  # what a killed run left, its pid since taken by a live process (this
  # shell): its marker is unlocked, so it goes; a stage being made by a
  # live pid stays (it has no locked marker yet), one of a dead pid goes
  mkdir ".rep.vpcert-$$" ".rep.vpcert-$$.new" ".rep.vpcert-999999.new"
  : >".rep.vpcert-$$/.vpcert-report"
  certify "$good"; want_status 0; report CERTIFIED
  [ ! -e ".rep.vpcert-$$" ] || fail "a dead run's staging directory was kept for its pid"
  [ ! -e ".rep.vpcert-999999.new" ] || fail "a dead run's stage in the making was kept"
  [ -d ".rep.vpcert-$$.new" ] || fail "a live pid's stage in the making was removed" ;;
report_foreign)
  # never replace what is not a vpcert report; stale reproducers go
  mkdir rep; echo mine >rep/notes.txt
  certify "$good"; want_status 2; one_line 'not a vpcert report directory'
  [ "$(cat rep/notes.txt)" = mine ] || fail "a user file was touched"
  rm -rf rep; echo x >rep
  certify "$good"; want_status 2; one_line 'not a vpcert report directory'
  rm -f rep
  certify "$good"; want_status 0; report CERTIFIED
  echo old >rep/reproducers/QU-99.vpt
  certify "$good"; want_status 0; report CERTIFIED
  [ ! -e rep/reproducers/QU-99.vpt ] || fail "a stale reproducer was kept" ;;
input_files)
  # files saved on Windows start with a byte order mark: read as without
  printf '\357\273\277services = all\r\n' >bom.ics
  printf '\357\273\277' >bom.vpt; cat p.vpt >>bom.vpt
  run replay --ics bom.ics bom.vpt; want_status 0
  # the ICS parser and SPEC.md agree: the pool services come together
  printf 'services = AllocateBuffer, ReleaseBuffer, FreePool\n' >half.ics
  run replay --ics half.ics p.vpt; want_status 2
  one_line 'half.ics:1:12: AllocatePool and FreePool come together'
  # a file named with --ics must exist (SPEC.md: no --ics means defaults)
  run replay --ics missing.ics p.vpt; want_status 2; one_line 'missing.ics'
  # control bytes never reach the terminal, whatever carries them
  printf 'vpcert 1\n\033[2J\033]0;x\007\n' >ctl.vpt
  run replay ctl.vpt; want_status 2; no_escape; err_line 'ctl.vpt:2:1'; grep -q '\\x1B\[2J' err || fail "not shown as \\xHH"
  printf 'quota = \033[31m\n' >ctl.ics
  run replay --ics ctl.ics p.vpt; want_status 2; no_escape; one_line 'ctl.ics:1:9: bad value'
  run replay "$(printf 'no\033[31msuch.vpt')"; want_status 2; no_escape; err_line 'no\\x1B'

  run "$(printf 'x\033[31m')"; want_status 2; no_escape
  # a binary file that is no program is not called a newer version
  printf 'i\001\002\003' >junk.bin
  run replay junk.bin; want_status 2; err_line 'not a program this vpcert reads'
  ! grep -q 'version 105 is newer' err || fail "says it is a newer version" ;;
fuzz_signals)
  # whatever ends vpcert fuzz, its fuzzer processes end with it
  for sig in KILL TERM HUP QUIT INT; do
    env VPCERT_TAG="$tag" env --default-signal=INT,QUIT "$vpcert" fuzz --time 120 --no-seeds --jobs 2 >out 2>err &
    pid=$!
    # started: vpcert, its guard and the two jobs' fuzzers (on a machine
    # kept busy by other suites that took more than 20 s; a wait, never a
    # speed requirement: the campaign runs 120 s)
    n=0
    while [ "$(procs)" -lt 4 ] && [ $n -lt 450 ]; do sleep 0.2; n=$((n + 1)); done
    [ "$(procs)" -ge 4 ] || fail "SIG$sig: the campaign did not start"
    kill -$sig $pid
    wait $pid || true
    n=0
    while [ "$(procs)" -gt 0 ] && [ $n -lt 100 ]; do sleep 0.2; n=$((n + 1)); done
    [ "$(procs)" -eq 0 ] || fail "SIG$sig: $(procs) processes outlived vpcert fuzz by 20 s"
  done ;;
*)
  fail "no expectation for case $case (tests/hostile.sh)" ;;
esac
no_procs
echo "ok: $case (exit $status, ${took:-0} s)"
