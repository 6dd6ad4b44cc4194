#!/bin/sh
# cli_usage.sh WHAT VPCERT [ARGS...]: the command line refuses what it
# cannot honour with one clear line and exit 2, and helps per command.
#   numbers VPCERT                  bad numbers are refused, naming the option
#   help VPCERT                     vpcert COMMAND --help, from the table
#   options VPCERT                  an option a command does not take is refused
#   load VPCERT HALF.so REPLAY_DIFF a library without VideoPortReleaseBuffer is
#                                   refused, naming exactly that export
#   ics REPLAY_DIFF                 an ICS is read whole (no 64 KiB cut)
set -eu
what=$1 vpcert=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }

# refused CMD... : exit 2, nothing on stdout, exactly one line on stderr,
# kept in $work/err
refused() {
  status=0
  "$vpcert" "$@" >out 2>err || status=$?
  [ "$status" -eq 2 ] || fail "vpcert $*: exit $status, expected 2"
  [ ! -s out ] || fail "vpcert $*: wrote to stdout: $(cat out)"
  [ "$(wc -l <err)" -eq 1 ] || fail "vpcert $*: not one line: $(cat err)"
  echo "ok: vpcert $* -> $(cat err)"
}

printf 'vpcert 1\npool paged 1048576\npool nonpaged 1048576\ndevice 0 quota 4096\nalloc_buffer dev=0 size=16\n' >p.vpt

case $what in
numbers)
  for v in -1 99999999999999999999 18446744073709551616 '' 12abc 0x ' 5' +5 1.5; do
    refused certify --seed "$v" --out rep lib.so
    grep -q -- "--seed" err || fail "--seed $v: the option is not named"
  done
  for v in nan inf -inf 1e999 0 -2 '' 5x 0x1p99999 31536001; do
    refused certify --time "$v" --out rep lib.so
    grep -q -- "--time" err || fail "--time $v: the option is not named"
    refused replay --timeout "$v" p.vpt
    grep -q -- "--timeout" err || fail "--timeout $v: the option is not named"
  done
  refused certify --cases 4001 --out rep lib.so
  refused fuzz --jobs 0
  refused fuzz --jobs 65
  refused certify --seed
  [ ! -e rep ] || fail "a refused command line created the report directory"
  [ ! -e vpcert-work ] || fail "a refused command line created vpcert-work/"
  # the edges are accepted
  "$vpcert" replay -q --timeout 0.5 p.vpt >/dev/null || fail "--timeout 0.5 refused"
  "$vpcert" replay -q --timeout 31536000 p.vpt >/dev/null || fail "--timeout 31536000 refused"
  ;;
help)
  # flat COMMAND...: its help as one line (the option texts are wrapped)
  flat() { "$vpcert" "$@" >h0 || fail "vpcert $* failed"; tr -s ' \n' ' ' <h0 >h; }
  flat certify --help
  grep -q '^usage: vpcert certify ' h || fail "certify --help: no usage line"
  grep -q -- '--seed N [^)]*(default 1)' h || fail "certify --help: no --seed default"
  grep -q -- '--time S [^)]*(default 100)' h || fail "certify --help: --time default"
  grep -q -- '--timeout S [^)]*(default 2)' h || fail "certify --help: --timeout default"
  grep -q -- '--cases N [^)]*(0 to 4000, default 300)' h || fail "certify --help: --cases"
  grep -q -- '--jobs' h && fail "certify --help lists --jobs"
  grep -q -- '--impl' h && fail "certify --help lists --impl"
  grep -q 'example: vpcert certify ' h || fail "certify --help: no example"
  flat fuzz --help
  grep -q -- '--time S [^)]*(default 60)' h || fail "fuzz --help: --time default"
  grep -q -- '--seed' h && fail "fuzz --help lists --seed"
  flat replay -h
  grep -q -- '--timeout S [^)]*(default 10)' h || fail "replay -h: --timeout default"
  flat help encode
  grep -q '^usage: vpcert encode ' h || fail "help encode: no usage line"
  "$vpcert" --help >h || fail "--help failed"
  [ "$(grep -c -- '--time S' h)" -eq 2 ] || fail "--help: --time for certify and fuzz"
  echo "ok: per-command help"
  ;;
options)
  refused fuzz --seed 3
  grep -q 'fuzz' err && grep -q -- '--seed' err || fail "not naming the command and option"
  refused certify --impl x.so lib.so
  refused decode --timeout 3 p.vpt
  refused replay --bogus p.vpt
  ;;
load)
  half=$3 replay_diff=$4
  for cmd in "replay --impl $half p.vpt" "explain --impl $half p.vpt" "certify --out rep $half"; do
    # shellcheck disable=SC2086
    refused $cmd
    grep -q 'VideoPortReleaseBuffer' err || fail "$cmd: the missing export is not named"
    grep -q 'VideoPortAllocateBuffer' err && fail "$cmd: names an export that is there"
    grep -qi 'neither' err && fail "$cmd: says neither"
  done
  "$vpcert" encode p.vpt -o p.bin
  status=0
  VPCERT_IMPL=$half "$replay_diff" p.bin >out 2>err || status=$?
  [ "$status" -eq 2 ] || fail "fuzz_diff with VPCERT_IMPL=$half: exit $status"
  grep -q 'missing: VideoPortReleaseBuffer$' err || fail "fuzz_diff: $(cat err)"
  echo "ok: fuzz_diff -> $(cat err)"
  ;;
ics)
  replay_diff=$vpcert
  printf '\001' >in.bin
  # 70 KiB of comments, then a key that does not exist: read whole, the
  # file is refused; cut at 64 KiB, it would pass unread
  awk 'BEGIN { for (i = 0; i < 1200; i++) printf "# %058d\n", i }' >big.ics
  echo 'no-such-key = 1' >>big.ics
  status=0
  VPCERT_ICS=big.ics "$replay_diff" in.bin >out 2>err || status=$?
  [ "$status" -eq 2 ] || fail "a 70 KiB ICS with a bad last line: exit $status"
  grep -q 'big.ics:1201:.*unknown key' err || fail "not the last line's error: $(cat err)"
  echo "ok: $(cat err)"
  ;;
*) fail "unknown check $what" ;;
esac
