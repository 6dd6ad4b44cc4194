/*
 * pool_first: a conforming implementation that asks the pool before it
 * consults the quota (quota-order = pool-first, impls/pool-first.ics):
 * a refused pool request is ERROR_NOT_ENOUGH_MEMORY even over the quota; a
 * granted one over the quota is given back and answered with
 * ERROR_INSUFFICIENT_BUFFER. Certified with the warning the declaration
 * gives up (QU-8, a SHOULD); under quota-first it fails QU-7.
 * impls/common.h otherwise.
 */
#define BASE_OWN_ALLOCATE_BUFFER
#include "common.h"

VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    struct base_dev *d = base_dev_of(HwDeviceExtension);
    struct base_hdr *h = base_block_get(HwDeviceExtension, Size);
    *Buffer = NULL;
    if (!h)
        return ERROR_NOT_ENOUGH_MEMORY; /* the pool first */
    if ((ULONGLONG)Size > d->quota - d->charge) {
        ExFreePoolWithTag(h, BASE_TAG);
        return ERROR_INSUFFICIENT_BUFFER;
    }
    d->charge += Size;
    base_track(d, h);
    *Buffer = base_user_of(h);
    return NO_ERROR;
}
