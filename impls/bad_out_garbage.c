/*
 * bad_out_garbage: the buffer address is computed from the pool's answer
 * before that answer is checked, so a pool refusal leaves *Buffer = 0x20
 * (NULL plus the header), a pointer the caller may take for a buffer.
 * Breaks AB-OUT-1 at the first pool refusal (ab-out-1-failed-out-untouched.vpt
 * op 0, and every vector with a refused AllocateBuffer).
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
    h = base_block_get(HwDeviceExtension, Size);
    *Buffer =
        (PVOID)((uintptr_t)h + BASE_HDR); /* FAULT: before the NULL check */
    if (!h)
        return ERROR_NOT_ENOUGH_MEMORY;
    BASE_CHARGE(d, Size);
    base_track(d, h);
    return NO_ERROR;
}
