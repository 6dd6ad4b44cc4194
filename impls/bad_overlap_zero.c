/*
 * bad_overlap_zero: all Size 0 requests of a device share one "empty
 * buffer" (a one-byte block, reference counted), so two live zero-size
 * buffers are the same byte.
 * Breaks BUF-3 at the second live Size 0 buffer of a device
 * (zero-1-size-zero.vpt op 1, zero-3-declared-form.vpt op 2,
 * ab-res-2-success-has-buffer.vpt op 3).
 */
#define BASE_OWN_ALLOCATE_BUFFER
#define BASE_OWN_RELEASE_BUFFER
#include "common.h"

/* d->spare: the device's shared empty buffer; d->spare_n: its references. */

VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    struct base_dev *d = base_dev_of(HwDeviceExtension);
    struct base_hdr *h;
    *Buffer = NULL;
    if (Size == 0 && d->spare) {
        d->spare_n++;
        *Buffer = base_user_of(d->spare); /* FAULT: handed out again */
        return NO_ERROR;
    }
    if (BASE_OVER_QUOTA(d, Size))
        return ERROR_INSUFFICIENT_BUFFER;
    h = base_block_get(HwDeviceExtension, Size);
    if (!h)
        return ERROR_NOT_ENOUGH_MEMORY;
    if (Size == 0) {
        d->spare = h;
        d->spare_n = 1;
    }
    BASE_CHARGE(d, Size);
    base_track(d, h);
    *Buffer = base_user_of(h);
    return NO_ERROR;
}

VOID VideoPortReleaseBuffer(PVOID HwDeviceExtension, PVOID Buffer) {
    struct base_dev *d = base_dev_of(HwDeviceExtension);
    struct base_hdr *h = base_hdr_of(Buffer);
    if (h->magic != BASE_MAGIC || (h == d->spare && --d->spare_n > 0))
        return;
    if (h == d->spare)
        d->spare = NULL;
    BASE_REFUND(d, h->size);
    base_untrack(d, h);
    h->magic = 0;
    ExFreePoolWithTag(h, BASE_TAG);
}
