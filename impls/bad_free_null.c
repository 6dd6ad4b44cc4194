/*
 * bad_free_null: a device with a limit gets a quota ledger block at start;
 * VpcertDeviceStop frees the ledger without checking that there is one, so
 * an unlimited device frees NULL.
 * Breaks KP-FREE-1 at the first stop of an unlimited device (e.g.
 * buf-1-aligned.vpt at its end; kp-leak-2-end-nothing-live.vpt).
 */
#define BASE_ON_START(d)                                                       \
    ((d)->spare = (d)->quota != VPCERT_QUOTA_UNLIMITED                         \
                      ? ExAllocatePoolWithTag(NonPagedPool, 64, BASE_TAG)      \
                      : NULL)
#define BASE_ON_STOP(d)                                                        \
    ExFreePoolWithTag((d)->spare, BASE_TAG) /* FAULT: NULL */
#include "common.h"
