#!/bin/sh
# observed_place.sh VPCERT BUILD SRC: a finding's "observed" text names what
# the rule is about: a lookaside list (LL-1, LL-3) by the list's address,
# never as a pool block of 0 bytes; a lock acquired twice (LK-1) as a spin
# lock or a fast mutex, as it is.
set -eu
vpcert=$1 build=$2 src=$3
fail() { echo "FAIL: $*"; exit 1; }
# observed LIB ICS CLAUSE REGEX: conform LIB finds CLAUSE, observed as REGEX
observed() {
  out=$("$vpcert" conform --impl "$1" --ics "$2" "$src/corpus/conformance" 2>&1) || true
  line=$(printf '%s\n' "$out" | grep -m1 "^  \[$3\]") || fail "$1: no $3 finding: $out"
  printf '%s\n' "$line" | grep -Eq "observed $4" || fail "$1: $3 observed: $line"
  echo "ok: $(basename "$1") $3"
}
shim_ics=$src/corpus/shim.ics
observed "$build/mutants/mutant_59.so" "$shim_ics" LL-1 '.*: lookaside list 0x[0-9a-f]+ \([0-9]+-byte entries, tag [^)]*\), irql'
observed "$build/mutants/mutant_61.so" "$shim_ics" LL-3 '.*: lookaside list 0x[0-9a-f]+, irql'
observed "$build/impls/bad_wdm_list_packed.so" "$src/impls/default.ics" LL-3 'lookaside list not 16-byte aligned \(or NULL\): lookaside list 0x[0-9a-f]*[1-9a-f], irql'
observed "$build/mutants/mutant_50.so" "$shim_ics" LK-1 'spin lock 0x[0-9a-f]+ acquired twice'
observed "$build/impls/bad_wdm_mutex_twice.so" "$src/impls/default.ics" LK-1 'fast mutex 0x[0-9a-f]+ acquired twice'
