/*
 * deep_pool_table_2500: AllocatePool records every block it hands out in a
 * static table of 2,500 slots, so that FreePool can check the pointer; with
 * the table full it returns NULL without asking the pool.
 * Breaks AP-RES-1 at the 2,501st live block: certify's scale family holds
 * 4,096 (scale/blocks-4096-four-types); the certify of SPEC 1.0 certified
 * it.
 */
#include <vpcert/video.h>

#define PT_SLOTS 2500u
static PVOID pt_slot[PT_SLOTS]; /* live blocks, NULL: free */

/* The slot of p (NULL: a free slot), or NULL when there is none. */
static PVOID *pt_find(PVOID p) {
    for (unsigned i = 0; i < PT_SLOTS; i++)
        if (pt_slot[i] == p)
            return &pt_slot[i];
    return NULL;
}

#define BASE_OWN_ALLOCATE_POOL
#define BASE_OWN_FREE_POOL
#include "common.h"

PVOID VideoPortAllocatePool(PVOID HwDeviceExtension, VP_POOL_TYPE PoolType,
                            SIZE_T NumberOfBytes, ULONG Tag) {
    PVOID *slot = pt_find(NULL);
    (void)HwDeviceExtension;
    if (!slot)
        return NULL; /* FAULT: a full table is no pool refusal */
    *slot = ExAllocatePoolWithTag((POOL_TYPE)PoolType, NumberOfBytes, Tag);
    return *slot;
}

VOID VideoPortFreePool(PVOID HwDeviceExtension, PVOID Ptr) {
    PVOID *slot = pt_find(Ptr);
    (void)HwDeviceExtension;
    if (!slot)
        return; /* not ours: never hand it to the pool */
    *slot = NULL;
    ExFreePool(Ptr);
}
