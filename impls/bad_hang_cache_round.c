/*
 * bad_hang_cache_round: AllocatePool rounds the cache-aligned types up to
 * whole cache lines with a ULONG loop; for more than 4 GiB - 64 bytes the
 * counter wraps before it gets there and the loop never ends.
 * Hangs in exactly one place of the conformance vectors:
 * ap-res-2-full-size-t.vpt op 7 (nonpaged-cache, 0x100000010 bytes), so the
 * clause is AP-RES-2.
 */
#include <vpcert/video.h>

static SIZE_T bad_round(VP_POOL_TYPE t, SIZE_T n) {
    volatile ULONG r = 64; /* FAULT: 32 bits for a SIZE_T */
    if (t != VpNonPagedPoolCacheAligned && t != VpPagedPoolCacheAligned)
        return n;
    while (r < n)
        r += 64;
    return r;
}

#define BASE_POOL_BYTES(t, n) bad_round((t), (n))
#include "common.h"
