/*
 * bad_leak_quota_late: the pool is asked first and the quota tested after
 * (the results are still those of quota-first); an over-quota request
 * returns ERROR_INSUFFICIENT_BUFFER without giving the block back.
 * Breaks AB-LEAK-1 at the first over-quota request the pool can serve
 * (ab-leak-1-failed-call-frees.vpt op 0, qu-3-one-byte-over.vpt op 0, ...);
 * asking the pool for an over-quota request is also a WARN on QU-8.
 */
#define BASE_OWN_ALLOCATE_BUFFER
#include "common.h"

VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    struct base_dev *d = base_dev_of(HwDeviceExtension);
    struct base_hdr *h =
        base_block_get(HwDeviceExtension, Size); /* pool first */
    *Buffer = NULL;
    if (BASE_OVER_QUOTA(d, Size))
        return ERROR_INSUFFICIENT_BUFFER; /* FAULT: h is not given back */
    if (!h)
        return ERROR_NOT_ENOUGH_MEMORY;
    BASE_CHARGE(d, Size);
    base_track(d, h);
    *Buffer = base_user_of(h);
    return NO_ERROR;
}
