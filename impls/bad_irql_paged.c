/*
 * bad_irql_paged: AllocatePool appends a record of each block to a
 * per-device allocation log kept in PagedPool, whatever the IRQL, so a
 * nonpaged request at DISPATCH_LEVEL also makes a paged one.
 * Breaks IRQL-1 at the first AllocatePool at DISPATCH_LEVEL
 * (irql-1-no-paged-at-dispatch.vpt op 0, irql-2, ap-type-1, ...).
 */
#define BASE_OWN_ALLOCATE_POOL
struct base_dev;
static void bad_log_free(struct base_dev *d);
#define BASE_ON_STOP(d) bad_log_free(d)
#include "common.h"

/* One entry of the allocation log, newest first from d->spare. */
struct bad_log {
    struct bad_log *next; /* older entry */
    PVOID block;          /* the block handed out */
    SIZE_T bytes;         /* its NumberOfBytes */
};

PVOID VideoPortAllocatePool(PVOID HwDeviceExtension, VP_POOL_TYPE PoolType,
                            SIZE_T NumberOfBytes, ULONG Tag) {
    struct base_dev *d = base_dev_of(HwDeviceExtension);
    PVOID p = ExAllocatePoolWithTag((POOL_TYPE)PoolType, NumberOfBytes, Tag);
    struct bad_log *r;
    if (!p)
        return NULL;
    r = ExAllocatePoolWithTag(PagedPool, sizeof *r, BASE_TAG); /* FAULT: IRQL */
    if (r) {
        r->next = d->spare;
        r->block = p;
        r->bytes = NumberOfBytes;
        d->spare = r;
    }
    return p;
}

static void bad_log_free(struct base_dev *d) {
    while (d->spare) {
        struct bad_log *r = d->spare;
        d->spare = r->next;
        ExFreePoolWithTag(r, BASE_TAG);
    }
}
