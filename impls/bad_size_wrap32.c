/*
 * bad_size_wrap32: the pool request header + Size is computed as a ULONG,
 * so Sizes from 0xFFFFFFD0 up wrap to a block of a few bytes.
 * Breaks BUF-2 wherever such a Size is granted by the quota: the buffer is
 * not inside its block (kp-ovr-1-no-overrun.vpt op 4, qu-2-exact-fit.vpt
 * op 7, qu-6-64bit-no-wrap.vpt op 3, ab-res-4-quota-code-needs-quota.vpt
 * op 2, where the pool could not have served 0xFFFFFFFF at all).
 */
#define BASE_BLOCK_BYTES(size)                                                 \
    ((ULONG)(BASE_HDR + ((size) ? (size) : 1u))) /* FAULT: 32-bit sum */
#include "common.h"
