/*
 * bad_pool_first_quota_wins: impls/pool_first.c, declared pool-first
 * (impls/pool-first.ics) like it, except that when the pool refuses a
 * request that is also over the quota, the answer is the quota's
 * (ERROR_INSUFFICIENT_BUFFER): the refusal path was written for the
 * quota-first order and never revisited. Breaks QU-7 under pool-first
 * (qu-7-quota-first-result.vpt op 0).
 */
#define BASE_OWN_ALLOCATE_BUFFER
#include "common.h"

VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    struct base_dev *d = base_dev_of(HwDeviceExtension);
    struct base_hdr *h = base_block_get(HwDeviceExtension, Size);
    int over = (ULONGLONG)Size > d->quota - d->charge;
    *Buffer = NULL;
    if (!h) /* FAULT: the declared order says ERROR_NOT_ENOUGH_MEMORY */
        return over ? ERROR_INSUFFICIENT_BUFFER : ERROR_NOT_ENOUGH_MEMORY;
    if (over) {
        ExFreePoolWithTag(h, BASE_TAG);
        return ERROR_INSUFFICIENT_BUFFER;
    }
    d->charge += Size;
    base_track(d, h);
    *Buffer = base_user_of(h);
    return NO_ERROR;
}
