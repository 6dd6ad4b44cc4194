#!/bin/sh
# import_refused.sh VPCERT LIB SYMBOL...
# A plug-in that imports kernel calls vpcert does not provide is refused
# before it is loaded, by certify, replay and conform alike: exit status 2,
# one message naming every missing SYMBOL and the supported kernel calls,
# and no report written.
set -u
vpcert=$1 lib=$2
shift 2
out=$(mktemp -d "${TMPDIR:-/tmp}/vpcert-import.XXXXXX")
trap 'rm -rf "$out"' EXIT
fail=0
check() {
  what=$1
  shift
  status=0
  "$@" >"$out/stdout" 2>"$out/stderr" || status=$?
  [ "$status" -eq 2 ] || { echo "$what: exit $status, expected 2"; fail=1; }
  for sym in $SYMBOLS; do
    grep -q "does not provide: .*$sym" "$out/stderr" ||
      { echo "$what: $sym not named"; cat "$out/stderr"; fail=1; }
  done
  grep -q "kernel calls: .*ExAllocatePool2.*KeBugCheckEx" "$out/stderr" ||
    { echo "$what: the supported kernel calls are not listed"; fail=1; }
  [ "$(grep -c 'does not provide' "$out/stderr")" -eq 1 ] ||
    { echo "$what: not one message"; fail=1; }
}
SYMBOLS="$*"
check certify "$vpcert" certify -q --ics impls/default.ics --out "$out/report" "$lib"
[ ! -e "$out/report" ] || { echo "certify: wrote $out/report"; fail=1; }
check replay "$vpcert" replay --impl "$lib" corpus/conformance/buf-1-aligned.vpt
check conform "$vpcert" conform --impl "$lib" corpus/conformance
[ "$fail" -eq 0 ] && echo "ok: $lib refused ($SYMBOLS)"
exit $fail
