/*
 * bad_pool_align: AllocatePool puts a 16-byte header (the caller's tag, for
 * ExFreePoolWithTag) in front of every block. That keeps 16-byte alignment
 * but loses the 64-byte alignment of the cache-aligned types.
 * Breaks AP-ALIGN-1 at the first cache-aligned request
 * (ap-align-1-cache-aligned.vpt op 0, ap-free-1 op 2, ...).
 */
#define BASE_OWN_ALLOCATE_POOL
#define BASE_OWN_FREE_POOL
#include "common.h"

#define BAD_POOL_HDR 16u

PVOID VideoPortAllocatePool(PVOID HwDeviceExtension, VP_POOL_TYPE PoolType,
                            SIZE_T NumberOfBytes, ULONG Tag) {
    /* Sizes too large for the header: ask for the most, which is refused. */
    SIZE_T want = NumberOfBytes > (SIZE_T)-1 - BAD_POOL_HDR
                      ? (SIZE_T)-1
                      : NumberOfBytes + BAD_POOL_HDR;
    ULONG *h = ExAllocatePoolWithTag((POOL_TYPE)PoolType, want, Tag);
    (void)HwDeviceExtension;
    if (!h)
        return NULL;
    h[0] = Tag;
    h[1] = BASE_MAGIC;
    return (UCHAR *)h + BAD_POOL_HDR; /* FAULT: 16, not 64, for types 4 and 5 */
}

VOID VideoPortFreePool(PVOID HwDeviceExtension, PVOID Ptr) {
    ULONG *h = (ULONG *)(void *)((UCHAR *)Ptr - BAD_POOL_HDR);
    (void)HwDeviceExtension;
    ExFreePoolWithTag(h, h[0]);
}
