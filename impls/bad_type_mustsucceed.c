/*
 * bad_type_mustsucceed: small nonpaged blocks "must not fail", so
 * AllocatePool asks for NonPagedPoolMustSucceed (type 2, forbidden to
 * drivers) for VpNonPagedPool requests of up to 64 bytes.
 * Breaks KP-TYPE-1 at the first such request (kp-type-1-valid-types.vpt
 * op 1, ap-align-1-cache-aligned.vpt op 4, zero-2-pool-zero.vpt op 0, ...).
 */
#define BASE_POOL_TYPE(t, n)                                                   \
    ((t) == VpNonPagedPool && (n) <= 64 ? NonPagedPoolMustSucceed /* FAULT */  \
                                        : (POOL_TYPE)(t))
#include "common.h"
