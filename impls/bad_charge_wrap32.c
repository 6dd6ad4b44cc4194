/*
 * bad_charge_wrap32: the quota test adds charge + Size in 32 bits, so
 * 0xFFFFFFFF on top of a small charge wraps to a small number and passes.
 * Breaks QU-6 (qu-6-64bit-no-wrap.vpt op 1: 16 + 0xFFFFFFFF granted against
 * a quota of 4096). Where the wrapped request then goes to a pool too small
 * for it (ab-res-1-only-documented-codes.vpt op 3) the result is
 * ERROR_NOT_ENOUGH_MEMORY over the quota, which also breaks QU-7.
 */
#define BASE_OVER_QUOTA(d, size)                                               \
    ((ULONG)((d)->charge + (size)) > (d)->quota) /* FAULT: 32-bit sum */
#include "common.h"
