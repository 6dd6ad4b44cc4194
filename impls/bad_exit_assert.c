/*
 * bad_exit_assert: the implementation keeps its paged-pool statistics in
 * ULONGs and "asserts" that a paged AllocatePool stays below 4 GiB; the
 * assertion ends the process with exit(3), user-mode port code's idea of a
 * bug check, instead of serving (or refusing) the request.
 * Exits in exactly one place of the conformance vectors:
 * ap-res-2-full-size-t.vpt op 5 (paged, 0x100000000 bytes, expect=block
 * clause=AP-RES-2), so the clause is AP-RES-2.
 */
#include <vpcert/video.h>

#include <stdlib.h>

static SIZE_T bad_assert_small(VP_POOL_TYPE t, SIZE_T n) {
    int paged = t == VpPagedPool || t == VpPagedPoolCacheAligned;
    if (paged && n > 0xFFFFFFFFu)
        exit(3); /* FAULT: an assertion that ends the process */
    return n;
}

#define BASE_POOL_BYTES(t, n) bad_assert_small((t), (n))
#include "common.h"
