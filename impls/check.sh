#!/usr/bin/env bash
# check.sh: certify every implementation of impls/impls.txt against its ICS
# and compare with the expected verdict and clauses.
#
#   impls/check.sh VPCERT LIBDIR [NAME...]
#
# VPCERT is the vpcert binary, LIBDIR holds the built NAME.so files (e.g.
# build/impls). Run from the repository root. Prints one line per row:
#   ok|FAIL NAME ICS VERDICT NON-PASS-CLAUSES [missing ...] [extra ...]
# (CLAUSE:F, :W or :I for FAIL, WARN, INCONCLUSIVE), where "missing" lists
# expected clauses that were not FAIL/WARN and "extra" the further FAIL/WARN
# clauses vpcert named (see the notes in impls.txt). Exit status
# 1 if any row's verdict differs or misses a clause. Reports go to
# ${OUT:-/tmp/vpcert-impls}/NAME.ICS/.
set -u
vpcert=${1:?usage: impls/check.sh VPCERT LIBDIR [NAME...]}
libdir=${2:?usage: impls/check.sh VPCERT LIBDIR [NAME...]}
shift 2
out=${OUT:-/tmp/vpcert-impls}
mkdir -p "$out"
status=0
while read -r name ics verdict clauses; do
    case "$name" in "" | "#"*) continue ;; esac
    if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then
        continue
    fi
    dir=$out/$name.$(basename "$ics" .ics)
    rm -rf "$dir"
    "$vpcert" certify --ics "$ics" --out "$dir" "$libdir/$name.so" >"$dir.log" 2>&1
    json=$dir/report.json
    got=$(sed -n 's/^ *"verdict": "\([A-Z_]*\)".*/\1/p' "$json" 2>/dev/null | head -n 1)
    # One clause per line in report.json: "id": "X", ... "verdict": "V"
    bad=$(grep -o '"id": "[^"]*".*"verdict": "\(FAIL\|WARN\|INCONCLUSIVE\)"' "$json" 2>/dev/null |
          sed 's/"id": "\([^"]*\)".*"verdict": "\(.\).*/\1:\2/' | paste -sd, -)
    missing="" extra=""
    for c in ${clauses//,/ }; do
        [ "$c" = "-" ] && continue
        printf '%s\n' "${bad//,/$'\n'}" | grep -q "^$c:[FW]$" || missing="$missing $c"
    done
    for b in ${bad//,/ }; do
        case "$b,$clauses," in *:I,* | *",${b%:*},"*) ;; *) extra="$extra ${b%:*}" ;; esac
    done
    mark=ok
    if [ "$got" != "$verdict" ] || [ -n "$missing" ]; then
        mark=FAIL
        status=1
    fi
    printf '%-4s %-22s %-24s %-24s %s%s%s\n' "$mark" "$name" "$ics" "${got:-no-report}" \
        "${bad:--}" "${missing:+  missing$missing}" "${extra:+  extra$extra}"
done < impls/impls.txt
exit $status
