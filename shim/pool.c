/*
 * vpcert shim: VideoPortAllocatePool and VideoPortFreePool.
 *
 * Both are pass-throughs to the kernel pool: the caller's pool type (the VP
 * numbering is POOL_TYPE's), full SIZE_T size and tag go to
 * ExAllocatePoolWithTag, the pointer goes back to ExFreePool. No quota and no
 * bookkeeping, so nonpaged requests work at DISPATCH_LEVEL without ever
 * touching paged pool.
 */
#include <string.h>

#include "shim_internal.h"

#if VPCERT_MUTANT == MUT_POOL_MISALIGNED
/* Bytes the mutant puts in front of each block. */
#define VPCERT_POOL_PREFIX 8u
#endif

#if VPCERT_MUTANT == MUT_PAGED_BOOKKEEPING ||                                  \
    VPCERT_MUTANT == MUT_POOL_LEAK_ON_NULL
#define VPCERT_POOL_TRACKING 1
/* Size and tag of a tracking record. */
#define VPCERT_POOL_RECORD_SIZE 32u
#define VPCERT_POOL_RECORD_TAG VPCERT_TAG('D', 'v', 'p', 't')

/* One live AllocatePool block of a device. */
typedef struct VPCERT_POOL_RECORD {
    PVOID block;                     /* the block handed to the caller */
    struct VPCERT_POOL_RECORD *next; /* next record of the same device */
    SIZE_T bytes;                    /* NumberOfBytes the caller asked for */
    ULONG tag;                       /* the caller's tag */
} VPCERT_POOL_RECORD;

_Static_assert(sizeof(VPCERT_POOL_RECORD) <= VPCERT_POOL_RECORD_SIZE,
               "tracking record must fit its pool request");
#else
#define VPCERT_POOL_TRACKING 0
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
#else
    return ExAllocatePoolWithTag(pool_type(PoolType), NumberOfBytes, Tag);
#endif
}

/* Give the caller's block back to the pool. */
static void pool_free_block(PVOID Ptr) {
#if VPCERT_MUTANT == MUT_FREEPOOL_NOOP
    (void)Ptr; /* BUG: the block is never freed */
#elif VPCERT_MUTANT == MUT_POOL_MISALIGNED
    ExFreePool((UCHAR *)Ptr - VPCERT_POOL_PREFIX);
#elif VPCERT_MUTANT == MUT_DOUBLE_FREE
    ExFreePool(Ptr);
    ExFreePool(Ptr); /* BUG: freed twice */
#else
    ExFreePool(Ptr);
#endif
}

#if VPCERT_POOL_TRACKING
/* Pool type of tracking records. */
static POOL_TYPE record_pool_type(void) {
#if VPCERT_MUTANT == MUT_PAGED_BOOKKEEPING
    return PagedPool; /* BUG: paged, even for a DISPATCH_LEVEL caller */
#else
    return NonPagedPool;
#endif
}

/* Allocate the caller's block and a record tracking it. */
static PVOID tracked_allocate(VPCERT_DEVICE *dev, VP_POOL_TYPE PoolType,
                              SIZE_T NumberOfBytes, ULONG Tag) {
    VPCERT_POOL_RECORD *rec = ExAllocatePoolWithTag(
        record_pool_type(), VPCERT_POOL_RECORD_SIZE, VPCERT_POOL_RECORD_TAG);

    if (rec == NULL)
        return NULL;
    rec->block = pool_block(PoolType, NumberOfBytes, Tag);
    if (rec->block == NULL) {
#if VPCERT_MUTANT != MUT_POOL_LEAK_ON_NULL
        ExFreePoolWithTag(rec, VPCERT_POOL_RECORD_TAG);
#endif
        return NULL;
    }
    rec->bytes = NumberOfBytes;
    rec->tag = Tag;
    rec->next = dev->tracked;
    dev->tracked = rec;
    return rec->block;
}

/* Free the caller's block and the record tracking it. */
static void tracked_free(VPCERT_DEVICE *dev, PVOID Ptr) {
    VPCERT_POOL_RECORD **link = &dev->tracked;

    while (*link != NULL && (*link)->block != Ptr)
        link = &(*link)->next;
    if (*link != NULL) {
        VPCERT_POOL_RECORD *rec = *link;

        *link = rec->next;
        ExFreePoolWithTag(rec, VPCERT_POOL_RECORD_TAG);
    }
    pool_free_block(Ptr);
}
#endif

VPCERT_EXPORT PVOID VideoPortAllocatePool(PVOID HwDeviceExtension,
                                          VP_POOL_TYPE PoolType,
                                          SIZE_T NumberOfBytes, ULONG Tag) {
#if VPCERT_MUTANT == MUT_POOL_NULL_HUGE
    if ((ULONGLONG)NumberOfBytes > 0xFFFFFFFFu)
        return NULL; /* BUG: the pool was never asked */
#elif VPCERT_MUTANT == MUT_POOL_NULL_AT_DISPATCH
    if (KeGetCurrentIrql() >= DISPATCH_LEVEL)
        return NULL; /* BUG: nonpaged pool is fine at DISPATCH_LEVEL */
#endif
#if VPCERT_POOL_TRACKING
    return tracked_allocate(vpcert_device(HwDeviceExtension), PoolType,
                            NumberOfBytes, Tag);
#else
    (void)HwDeviceExtension;
    return pool_block(PoolType, NumberOfBytes, Tag);
#endif
}

VPCERT_EXPORT VOID VideoPortFreePool(PVOID HwDeviceExtension, PVOID Ptr) {
    if (Ptr == NULL)
        return;
#if VPCERT_POOL_TRACKING
    tracked_free(vpcert_device(HwDeviceExtension), Ptr);
#else
    (void)HwDeviceExtension;
    pool_free_block(Ptr);
#endif
}
