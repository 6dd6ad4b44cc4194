/*
 * bad_quota_trunc32: VpcertDeviceStart keeps the quota in a ULONG, as the
 * field of an old device extension did; only "unlimited" is special-cased.
 * A quota of 2^32 or more loses its high half.
 * Breaks QU-6 on the only vector with such quotas (qu-6-64bit-no-wrap.vpt
 * op 3: quota 0x100000100 becomes 0x100, so 0xFFFFFFFF is refused).
 */
#define BASE_QUOTA_OF(q)                                                       \
    ((q) == VPCERT_QUOTA_UNLIMITED ? (q) : (ULONGLONG)(ULONG)(q)) /* FAULT */
#include "common.h"
