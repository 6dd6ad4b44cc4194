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
#define CB_OWN_ALLOCATE_BUFFER
#define CB_OWN_RELEASE_BUFFER
#define CB_BLOCK_BYTES(size)                                                   \
    ((SIZE_T)CB_HDR + ((size) > 8u ? (SIZE_T)(size) : 8u))
#include "common.h"

/* d->spare: the device's newest listed buffer (the caller's address);
 * h->older, h->newer: its neighbours (callers' addresses). */

static void bad_link(struct cb_dev *d, struct cb_hdr *h) {
    h->older = d->spare;
    h->newer = NULL;
    if (d->spare)
        cb_hdr_of(d->spare)->newer = cb_user_of(h);
    d->spare = cb_user_of(h);
}

static void bad_unlink(struct cb_dev *d, struct cb_hdr *h) {
    if (h->older)
        cb_hdr_of(h->older)->newer = h->newer;
    if (h->newer)
        ((struct cb_hdr *)h->newer)->older = h->older; /* FAULT: no cb_hdr_of */
    else
        d->spare = h->older;
}

VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    struct cb_dev *d = cb_dev_of(HwDeviceExtension);
    struct cb_hdr *h;
    *Buffer = NULL;
    if (CB_OVER_QUOTA(d, Size))
        return ERROR_INSUFFICIENT_BUFFER;
    h = cb_block_get(HwDeviceExtension, Size);
    if (!h)
        return ERROR_NOT_ENOUGH_MEMORY;
    CB_CHARGE(d, Size);
    cb_track(d, h);
    if (Size)
        bad_link(d, h);
    *Buffer = cb_user_of(h);
    return NO_ERROR;
}

VOID VideoPortReleaseBuffer(PVOID HwDeviceExtension, PVOID Buffer) {
    struct cb_dev *d = cb_dev_of(HwDeviceExtension);
    struct cb_hdr *h = cb_hdr_of(Buffer);
    if (h->magic != CB_MAGIC)
        return;
    if (h->size)
        bad_unlink(d, h);
    CB_REFUND(d, h->size);
    cb_untrack(d, h);
    h->magic = 0;
    ExFreePoolWithTag(h, CB_TAG);
}
