/*
 * bad_charge_on_fail: the charge is taken before the pool is asked, and a
 * pool refusal returns without giving it back.
 * Breaks QU-5 (qu-5-failure-charges-nothing.vpt op 1: after the refused
 * 128 KiB request, 1 KiB no longer fits; also ab-res-1 op 5, ab-res-4 op 4).
 */
#define BASE_OWN_ALLOCATE_BUFFER
#include "common.h"

VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    struct base_dev *d = base_dev_of(HwDeviceExtension);
    struct base_hdr *h;
    *Buffer = NULL;
    if (BASE_OVER_QUOTA(d, Size))
        return ERROR_INSUFFICIENT_BUFFER;
    BASE_CHARGE(d, Size); /* charged up front ... */
    h = base_block_get(HwDeviceExtension, Size);
    if (!h)
        return ERROR_NOT_ENOUGH_MEMORY; /* FAULT: ... and kept on failure */
    base_track(d, h);
    *Buffer = base_user_of(h);
    return NO_ERROR;
}
