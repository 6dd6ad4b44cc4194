/*
 * bad_crash_zero: every grant is counted in a per-device histogram of
 * Sizes; a device whose quota is 0 "can hold nothing" and gets no
 * histogram. Size 0 still fits a zero quota, and the count goes through
 * a NULL pointer: SIGSEGV.
 * Crashes in exactly one place of the conformance vectors:
 * zero-1-size-zero.vpt op 2 (Size 0 on device 1, quota 0). That vector is
 * about ZERO-1, a MAY that never fails; the step has no expect=, and a
 * Size 0 call exercises ZERO-3, the MUST about Size 0: the clause is ZERO-3.
 */
#include <vpcert/video.h>

static ULONG bad_histo[16][33]; /* [device][bit length of Size] */
static unsigned bad_nhisto;

static unsigned bad_bitlen(unsigned long long v) {
    unsigned n = 0;
    while (v) {
        n++;
        v >>= 1;
    }
    return n;
}

#define BASE_ON_START(d)                                                       \
    ((d)->spare = (d)->quota ? bad_histo[bad_nhisto++ % 16] : NULL)
#define BASE_AFTER_GRANT(d, h, size)                                           \
    (((ULONG *)(d)->spare)[bad_bitlen(size)]++) /* FAULT: NULL for quota 0 */
#include "common.h"
