/*
 * vpcert shim: VideoPortAllocatePool and VideoPortFreePool.
 *
 * Both pass through to the kernel pool: the caller's pool type (the VP
 * numbering is POOL_TYPE's), full SIZE_T size and tag go to
 * ExAllocatePoolWithTag, the pointer goes back to ExFreePool. Each block is
 * tracked by a record from the device's nonpaged lookaside list (records.c),
 * linked under the device's spin lock: nothing paged, so that nonpaged
 * requests work at DISPATCH_LEVEL.
 */
#include <string.h>

#include "shim_internal.h"

#if VPCERT_MUTANT == MUT_POOL_MISALIGNED
/* Bytes the mutant puts in front of each block. */
#define VPCERT_POOL_PREFIX 8u
#endif

/* The kernel pool type for a VP pool type: the same number. */
static POOL_TYPE pool_type(VP_POOL_TYPE PoolType) {
#if VPCERT_MUTANT == MUT_NONPAGED_TYPE_MAP
    if (PoolType == VpNonPagedPoolCacheAligned)
        return PagedPoolCacheAligned;
#elif VPCERT_MUTANT == MUT_CACHE_ALIGN_LOST
    if (PoolType == VpNonPagedPoolCacheAligned)
        return NonPagedPool;
    if (PoolType == VpPagedPoolCacheAligned)
        return PagedPool;
#elif VPCERT_MUTANT == MUT_PAGED_CACHE_ALIGN_LOST
    if (PoolType == VpPagedPoolCacheAligned)
        return PagedPool;
#elif VPCERT_MUTANT == MUT_PAGED_FROM_NONPAGED_TYPE
    if (PoolType == VpPagedPool)
        return NonPagedPool;
#endif
    return (POOL_TYPE)PoolType;
}

#if VPCERT_MUTANT == MUT_POOL_MISALIGNED
/* A block with a small header recording the tag in front of it. */
static PVOID prefixed_block(POOL_TYPE Type, SIZE_T NumberOfBytes, ULONG Tag) {
    SIZE_T want = NumberOfBytes > SIZE_MAX - VPCERT_POOL_PREFIX
                      ? SIZE_MAX
                      : NumberOfBytes + VPCERT_POOL_PREFIX;
    UCHAR *block = ExAllocatePoolWithTag(Type, want, Tag);

    if (block == NULL)
        return NULL;
    memcpy(block, &Tag, sizeof Tag);
    return block + VPCERT_POOL_PREFIX; /* BUG: only 8-byte aligned */
}
#endif

/* Ask the pool for the caller's block; NULL when refused. */
static PVOID pool_block(VP_POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                        ULONG Tag) {
#if VPCERT_MUTANT == MUT_TAG_DROPPED
    Tag = VPCERT_TAG('D', 'v', 'p', 'p'); /* BUG: the caller's tag is lost */
#endif
#if VPCERT_MUTANT == MUT_POOL_SIZE_TRUNC
    return ExAllocatePoolWithTag(pool_type(PoolType), (ULONG)NumberOfBytes,
                                 Tag);
#elif VPCERT_MUTANT == MUT_POOL_MISALIGNED
    return prefixed_block(pool_type(PoolType), NumberOfBytes, Tag);
#elif VPCERT_MUTANT == MUT_POOL_UNTAGGED
    (void)Tag; /* BUG: the legacy call tags the block 'None' */
    return ExAllocatePool(pool_type(PoolType), NumberOfBytes);
#else
    return ExAllocatePoolWithTag(pool_type(PoolType), NumberOfBytes, Tag);
#endif
}

/* Give the caller's block back to the pool. */
static void pool_free_block(PVOID Ptr) {
#if VPCERT_MUTANT == MUT_POOL_MISALIGNED
    ExFreePool((UCHAR *)Ptr - VPCERT_POOL_PREFIX);
#elif VPCERT_MUTANT == MUT_DOUBLE_FREE
    ExFreePool(Ptr);
    ExFreePool(Ptr); /* BUG: freed twice */
#else
    ExFreePool(Ptr);
#endif
}

/* Track a block with its record on the device's list. */
static void records_link(VPCERT_DEVICE *dev, VPCERT_POOL_RECORD *rec) {
#if VPCERT_MUTANT == MUT_LOCK_ORDER
    KIRQL first; /* BUG: the records lock, then the device's */
    KeAcquireSpinLock(&dev->records_lock, &first);
#endif
    KIRQL old = vpcert_lock(dev);
    rec->next = dev->records;
    dev->records = rec;
    vpcert_unlock(dev, old);
#if VPCERT_MUTANT == MUT_LOCK_ORDER
    KeReleaseSpinLock(&dev->records_lock, first);
#endif
}

/* The record of block Ptr, taken off the device's list; NULL if none. */
static VPCERT_POOL_RECORD *records_unlink(VPCERT_DEVICE *dev, PVOID Ptr) {
    VPCERT_POOL_RECORD **link, *rec;
#if VPCERT_MUTANT == MUT_RAISE_BELOW
    KIRQL apc;
    KeRaiseIrql(APC_LEVEL, &apc); /* BUG: a lowering at DISPATCH_LEVEL */
#endif
    KIRQL old = vpcert_lock(dev);
    for (link = &dev->records; *link != NULL && (*link)->block != Ptr;
         link = &(*link)->next)
        ;
    rec = *link;
    if (rec != NULL)
        *link = rec->next;
    vpcert_unlock(dev, old);
#if VPCERT_MUTANT == MUT_RAISE_BELOW
    KeLowerIrql(apc);
#endif
    return rec;
}

VPCERT_EXPORT PVOID VideoPortAllocatePool(PVOID HwDeviceExtension,
                                          VP_POOL_TYPE PoolType,
                                          SIZE_T NumberOfBytes, ULONG Tag) {
    VPCERT_DEVICE *dev = vpcert_device(HwDeviceExtension);
    VPCERT_POOL_RECORD *rec;
    PVOID block;

#if VPCERT_MUTANT == MUT_POOL_NULL_HUGE
    if ((ULONGLONG)NumberOfBytes > 0xFFFFFFFFu)
        return NULL; /* BUG: the pool was never asked */
#elif VPCERT_MUTANT == MUT_POOL_NULL_AT_DISPATCH
    if (KeGetCurrentIrql() >= DISPATCH_LEVEL)
        return NULL; /* BUG: nonpaged pool is fine at DISPATCH_LEVEL */
#endif
    rec = vpcert_record_take(dev);
    if (rec == NULL)
        return NULL;
    block = pool_block(PoolType, NumberOfBytes, Tag);
    if (block == NULL) {
#if VPCERT_MUTANT != MUT_POOL_LEAK_ON_NULL
        vpcert_record_give(dev, rec); /* the mutant leaks it */
#endif
        return NULL;
    }
    rec->block = block;
    rec->bytes = NumberOfBytes;
    rec->tag = Tag;
    records_link(dev, rec);
    return block;
}

VPCERT_EXPORT VOID VideoPortFreePool(PVOID HwDeviceExtension, PVOID Ptr) {
    VPCERT_DEVICE *dev = vpcert_device(HwDeviceExtension);
    VPCERT_POOL_RECORD *rec;

#if VPCERT_MUTANT == MUT_FREEPOOL_NOOP
    (void)dev;
    (void)Ptr;
    return; /* BUG: nothing is freed */
#endif
    if (Ptr == NULL)
        return;
    rec = records_unlink(dev, Ptr);
#if VPCERT_MUTANT == MUT_BLOCK_TO_LIST
    (void)rec;
    vpcert_record_give(dev, Ptr); /* BUG: the block, not its record */
#elif VPCERT_MUTANT == MUT_RECORD_LINK_TO_LIST
    if (rec != NULL) /* BUG: the link field, not the record */
        vpcert_record_give(dev, (VPCERT_POOL_RECORD *)(void *)&rec->next);
#else
    if (rec != NULL)
        vpcert_record_give(dev, rec);
#endif
    pool_free_block(Ptr);
}
