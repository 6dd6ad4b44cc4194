/*
 * bad_contents: each device keeps its live buffers of Size >= 1 on a
 * doubly linked list whose links are the addresses the caller sees.
 * Unlinking a buffer updates its newer neighbour through that address
 * without going back to the header, so the first eight bytes of the
 * neighbour's data are overwritten (payloads are at least 8 bytes, so the
 * write stays inside the block, and Size 0 buffers are not listed).
 * Breaks BUF-4 when a buffer that is not the newest is released and its
 * newer neighbour is checked (buf-4-contents-stable.vpt op 11,
 * rb-1-release-frees-block.vpt, qu-4-refund-once.vpt, ...).
 */
#define BASE_OWN_ALLOCATE_BUFFER
#define BASE_OWN_RELEASE_BUFFER
#define BASE_BLOCK_BYTES(size)                                                 \
    ((SIZE_T)BASE_HDR + ((size) > 8u ? (SIZE_T)(size) : 8u))
#include "common.h"

/* d->spare: the device's newest listed buffer (the caller's address);
 * h->older, h->newer: its neighbours (callers' addresses). */

static void bad_link(struct base_dev *d, struct base_hdr *h) {
    h->older = d->spare;
    h->newer = NULL;
    if (d->spare)
        base_hdr_of(d->spare)->newer = base_user_of(h);
    d->spare = base_user_of(h);
}

static void bad_unlink(struct base_dev *d, struct base_hdr *h) {
    if (h->older)
        base_hdr_of(h->older)->newer = h->newer;
    if (h->newer)
        ((struct base_hdr *)h->newer)->older =
            h->older; /* FAULT: no base_hdr_of */
    else
        d->spare = h->older;
}

VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    struct base_dev *d = base_dev_of(HwDeviceExtension);
    struct base_hdr *h;
    *Buffer = NULL;
    if (BASE_OVER_QUOTA(d, Size))
        return ERROR_INSUFFICIENT_BUFFER;
    h = base_block_get(HwDeviceExtension, Size);
    if (!h)
        return ERROR_NOT_ENOUGH_MEMORY;
    BASE_CHARGE(d, Size);
    base_track(d, h);
    if (Size)
        bad_link(d, h);
    *Buffer = base_user_of(h);
    return NO_ERROR;
}

VOID VideoPortReleaseBuffer(PVOID HwDeviceExtension, PVOID Buffer) {
    struct base_dev *d = base_dev_of(HwDeviceExtension);
    struct base_hdr *h = base_hdr_of(Buffer);
    if (h->magic != BASE_MAGIC)
        return;
    if (h->size)
        bad_unlink(d, h);
    BASE_REFUND(d, h->size);
    base_untrack(d, h);
    h->magic = 0;
    ExFreePoolWithTag(h, BASE_TAG);
}
