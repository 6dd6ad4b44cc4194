/*
 * vpcert shim: the tracking records of VideoPortAllocatePool blocks. Each
 * device takes them from a nonpaged lookaside list of its own, set up by
 * VpcertDeviceStart and deleted by VpcertDeviceStop. The list makes its
 * entries with ExAllocatePool2 (zeroed nonpaged pool: a record starts
 * empty) and frees them with ExFreePool2 and the records' own tag.
 */
#include "shim_internal.h"

#if VPCERT_MUTANT == MUT_MALLOC_RECORDS
#include <stdlib.h>
#elif VPCERT_MUTANT == MUT_RECORD_OVERRUN
#include <string.h>
#endif

/* How records are allocated: nonpaged and zeroed. */
static POOL_FLAGS record_flags(void) {
#if VPCERT_MUTANT == MUT_RECORD_TWO_POOLS
    return POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED; /* BUG: two pools */
#elif VPCERT_MUTANT == MUT_RECORD_RAISES
    /* BUG: nothing catches the exception a refusal raises */
    return POOL_FLAG_NON_PAGED | POOL_FLAG_RAISE_ON_FAILURE;
#elif VPCERT_MUTANT == MUT_PAGED_BOOKKEEPING
    return POOL_FLAG_PAGED; /* BUG: used at DISPATCH_LEVEL too */
#elif VPCERT_MUTANT == MUT_RECORD_RESERVED_FLAG
    return POOL_FLAG_NON_PAGED | POOL_FLAG_RESERVED1; /* BUG: reserved */
#else
    return POOL_FLAG_NON_PAGED;
#endif
}

/* The list's Allocate function. */
static PVOID record_allocate(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                             ULONG Tag) {
    (void)PoolType; /* the flags say which pool */
#if VPCERT_MUTANT == MUT_RECORD_TAG_ZERO
    (void)Tag;
    return ExAllocatePool2(record_flags(), NumberOfBytes, 0); /* BUG */
#else
    return ExAllocatePool2(record_flags(), NumberOfBytes, Tag);
#endif
}

/* The list's Free function. */
static VOID record_free(PVOID Record) {
#if VPCERT_MUTANT == MUT_RECORD_FREE_TAG
    ExFreePool2(Record, VPCERT_BUFFER_TAG, NULL, 0); /* BUG: not its tag */
#else
    ExFreePool2(Record, VPCERT_RECORD_TAG, NULL, 0);
#endif
}

void vpcert_records_start(VPCERT_DEVICE *dev, int first) {
    dev->records = NULL;
#if VPCERT_MUTANT == MUT_LIST_FIRST_START_ONLY
    if (!first)
        return; /* BUG: VpcertDeviceStop deleted the list */
#else
    (void)first;
#endif
#if VPCERT_MUTANT == MUT_PAGED_BOOKKEEPING
    ExInitializePagedLookasideList(&dev->record_list, record_allocate,
                                   record_free, 0, sizeof(VPCERT_POOL_RECORD),
                                   VPCERT_RECORD_TAG, 0);
#elif VPCERT_MUTANT == MUT_LIST_RAISES
    /* BUG: a refused record raises, and nothing catches it */
    ExInitializeNPagedLookasideList(
        &dev->record_list, record_allocate, record_free,
        POOL_RAISE_IF_ALLOCATION_FAILURE, sizeof(VPCERT_POOL_RECORD),
        VPCERT_RECORD_TAG, 0);
#else
    ExInitializeNPagedLookasideList(&dev->record_list, record_allocate,
                                    record_free, 0, sizeof(VPCERT_POOL_RECORD),
                                    VPCERT_RECORD_TAG, 0);
#endif
}

void vpcert_records_stop(VPCERT_DEVICE *dev) {
#if VPCERT_MUTANT == MUT_LIST_NOT_DELETED
    (void)dev; /* BUG: the list outlives the device */
#elif VPCERT_MUTANT == MUT_PAGED_BOOKKEEPING
    ExDeletePagedLookasideList(&dev->record_list);
#else
    ExDeleteNPagedLookasideList(&dev->record_list);
#endif
}

VPCERT_POOL_RECORD *vpcert_record_take(VPCERT_DEVICE *dev) {
#if VPCERT_MUTANT == MUT_MALLOC_RECORDS
    (void)dev;
    return calloc(1, sizeof(VPCERT_POOL_RECORD)); /* BUG: host memory */
#elif VPCERT_MUTANT == MUT_PAGED_BOOKKEEPING
    return ExAllocateFromPagedLookasideList(&dev->record_list);
#elif VPCERT_MUTANT == MUT_RECORD_AT_HIGH_LEVEL
    /* BUG: the list asks the pool at HIGH_LEVEL when it is empty */
    KIRQL old;
    KeRaiseIrql(HIGH_LEVEL, &old);
    VPCERT_POOL_RECORD *rec =
        ExAllocateFromNPagedLookasideList(&dev->record_list);
    KeLowerIrql(old);
    return rec;
#else
    return ExAllocateFromNPagedLookasideList(&dev->record_list);
#endif
}

void vpcert_record_give(VPCERT_DEVICE *dev, VPCERT_POOL_RECORD *rec) {
#if VPCERT_MUTANT == MUT_RECORD_OVERRUN
    memset(rec, 0, sizeof *rec + 1); /* BUG: one byte past the record */
#endif
#if VPCERT_MUTANT == MUT_MALLOC_RECORDS
    (void)dev;
    free(rec);
#elif VPCERT_MUTANT == MUT_PAGED_BOOKKEEPING
    ExFreeToPagedLookasideList(&dev->record_list, rec);
#else
    ExFreeToNPagedLookasideList(&dev->record_list, rec);
#endif
}
