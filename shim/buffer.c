/*
 * vpcert shim: VideoPortAllocateBuffer and VideoPortReleaseBuffer.
 *
 * A buffer is a PagedPool block tagged 'Dvpb' of Size + 16 bytes: a
 * VPCERT_BUFFER_HEADER (stamp, Size, owning extension) then the caller's
 * Size bytes, 16-byte aligned. The quota is consulted before the pool: the
 * requested Size is reserved (charged) under the device's spin lock, the
 * lock is dropped before the paged pool is asked (DISPATCH_LEVEL under a
 * spin lock), and the charge is given back if the pool refuses; it is
 * refunded once on release.
 */
#include <string.h>

#include "shim_internal.h"

#if VPCERT_MUTANT == MUT_TRAILER_OVERRUN
/* Canary the mutant writes just past the caller's Size bytes. */
#define VPCERT_TRAILER_CANARY 0x7EB1A5EDu
#endif

/* The header in front of a buffer. */
static VPCERT_BUFFER_HEADER *buffer_header(PVOID Buffer) {
    return (VPCERT_BUFFER_HEADER *)((UCHAR *)Buffer -
                                    VPCERT_BUFFER_HEADER_SIZE);
}

/* The caller's bytes behind a header. */
static PVOID buffer_payload(VPCERT_BUFFER_HEADER *hdr) {
    return (UCHAR *)hdr + VPCERT_BUFFER_HEADER_SIZE;
}

/* The extension charged for a buffer. */
static PVOID buffer_owner(const VPCERT_BUFFER_HEADER *hdr, PVOID ext) {
#if VPCERT_MUTANT == MUT_MISALIGNED
    (void)hdr; /* the 8-byte header has no room for the owner */
    return ext;
#else
    (void)ext;
    return hdr->owner;
#endif
}

/* Pool type buffers come from: paged, as documented. */
static POOL_TYPE buffer_pool_type(void) {
#if VPCERT_MUTANT == MUT_NONPAGED_BUFFER
    return NonPagedPool;
#elif VPCERT_MUTANT == MUT_MUST_SUCCEED_POOL
    return NonPagedPoolMustSucceed;
#else
    return PagedPool;
#endif
}

/* Bytes to request for a buffer of Size: header + Size, in 64 bits. */
static SIZE_T buffer_request_size(ULONG Size) {
#if VPCERT_MUTANT == MUT_SHORT_BY_ONE
    return VPCERT_BUFFER_HEADER_SIZE + (SIZE_T)Size - 1;
#elif VPCERT_MUTANT == MUT_REQUEST_WRAP32
    ULONG total = Size + VPCERT_BUFFER_HEADER_SIZE; /* BUG: 32-bit sum */
    return total;
#else
    return VPCERT_BUFFER_HEADER_SIZE + (SIZE_T)Size;
#endif
}

/* Ask the pool for the block of a buffer of Size; NULL when refused. */
static VPCERT_BUFFER_HEADER *buffer_request(ULONG Size) {
    return ExAllocatePoolWithTag(buffer_pool_type(), buffer_request_size(Size),
                                 VPCERT_BUFFER_TAG);
}

#if VPCERT_MUTANT != MUT_STALE_REUSE
/* Give a buffer's block back to the pool. */
static void buffer_free(VPCERT_DEVICE *dev, VPCERT_BUFFER_HEADER *hdr,
                        PVOID Buffer) {
    (void)dev;
    (void)Buffer;
#if VPCERT_MUTANT == MUT_REFUND_DOUBLE
    vpcert_quota_refund(dev, hdr->size); /* BUG: the caller refunded */
#endif
#if VPCERT_MUTANT == MUT_LEAK_ON_RELEASE
    (void)hdr; /* BUG: the block is never freed */
#elif VPCERT_MUTANT == MUT_WRONG_FREE_TAG
    ExFreePoolWithTag(hdr, VPCERT_TAG('b', 'p', 'v', 'D'));
#elif VPCERT_MUTANT == MUT_FREE_INTERIOR
    (void)hdr;
    ExFreePoolWithTag(Buffer, VPCERT_BUFFER_TAG); /* BUG: not the block */
#elif VPCERT_MUTANT == MUT_PAGED_FREE_UNDER_LOCK
    KIRQL old = vpcert_lock(dev); /* BUG: paged pool at DISPATCH_LEVEL */
    ExFreePoolWithTag(hdr, VPCERT_BUFFER_TAG);
    vpcert_unlock(dev, old);
#else
    ExFreePoolWithTag(hdr, VPCERT_BUFFER_TAG);
#endif
}
#endif

/* Clear the caller's pointer after a failure. */
static void clear_out(PVOID *Buffer) {
#if VPCERT_MUTANT == MUT_NO_NULL_ON_FAILURE
    (void)Buffer; /* BUG: *Buffer keeps whatever the caller had there */
#else
    *Buffer = NULL;
#endif
}

/* Fail a call that would exceed the device's quota. */
static VP_STATUS quota_refused(PVOID *Buffer) {
    clear_out(Buffer);
#if VPCERT_MUTANT == MUT_SWAP_QUOTA_CODE
    return ERROR_NOT_ENOUGH_MEMORY;
#else
    return ERROR_INSUFFICIENT_BUFFER;
#endif
}

/* Fail a call whose pool request was refused. */
static VP_STATUS pool_refused(PVOID ext, PVOID *Buffer) {
#if VPCERT_MUTANT == MUT_STALE_PTR_ON_FAILURE
    *Buffer = ext; /* BUG: a non-NULL pointer that is no buffer */
#else
    (void)ext;
    clear_out(Buffer);
#endif
#if VPCERT_MUTANT == MUT_SWAP_NOMEM_CODE
    return ERROR_INSUFFICIENT_BUFFER;
#elif VPCERT_MUTANT == MUT_NTSTATUS_CODE
    return STATUS_INSUFFICIENT_RESOURCES;
#else
    return ERROR_NOT_ENOUGH_MEMORY;
#endif
}

#if VPCERT_MUTANT == MUT_LINK_IN_BUFFER
/* Chain a new buffer behind the device's newest one. */
static void link_append(VPCERT_DEVICE *dev, PVOID payload, ULONG Size) {
    if (dev->tail != NULL)
        *(PVOID *)dev->tail = payload; /* BUG: inside the caller's bytes */
    /* Only buffers that can hold a link take part in the chain. */
    dev->tail = Size >= sizeof(PVOID) ? payload : NULL;
}
#endif

/* Fill in the header of a granted buffer and hand it to the caller. */
static VP_STATUS buffer_grant(VPCERT_DEVICE *dev, PVOID ext,
                              VPCERT_BUFFER_HEADER *hdr, ULONG Size,
                              PVOID *Buffer) {
    PVOID payload = buffer_payload(hdr);

    hdr->stamp = vpcert_buffer_stamp(dev);
    hdr->size = Size;
#if VPCERT_MUTANT != MUT_MISALIGNED
    hdr->owner = ext;
#else
    (void)ext;
#endif
#if VPCERT_MUTANT == MUT_TRAILER_OVERRUN
    {
        ULONG canary = VPCERT_TRAILER_CANARY; /* BUG: not in the request */
        memcpy((UCHAR *)payload + Size, &canary, sizeof canary);
    }
#elif VPCERT_MUTANT == MUT_LINK_IN_BUFFER
    link_append(dev, payload, Size);
#endif
    *Buffer = payload;
    return NO_ERROR;
}

#if VPCERT_MUTANT == MUT_STALE_REUSE
/* Keep a released block for reuse instead of freeing it, if none is kept. */
static void lookaside_keep(VPCERT_DEVICE *dev, VPCERT_BUFFER_HEADER *hdr) {
    if (dev->lookaside == NULL)
        dev->lookaside = hdr;
    else if (dev->lookaside != hdr)
        ExFreePoolWithTag(hdr, VPCERT_BUFFER_TAG);
}

void vpcert_lookaside_flush(VPCERT_DEVICE *dev) {
    if (dev->lookaside != NULL)
        ExFreePoolWithTag(dev->lookaside, VPCERT_BUFFER_TAG);
    dev->lookaside = NULL;
}
#endif

#if VPCERT_POOL_FIRST
/* Pool-first order: get the block, then check the quota. */
static VP_STATUS allocate_pool_first(VPCERT_DEVICE *dev, PVOID ext, ULONG Size,
                                     PVOID *Buffer) {
    VPCERT_BUFFER_HEADER *hdr = buffer_request(Size);

    if (hdr == NULL) {
#if VPCERT_MUTANT != MUT_POOL_FIRST
        if (vpcert_quota_exceeded(dev, Size))
            return quota_refused(Buffer);
#endif
        return pool_refused(ext, Buffer);
    }
    if (vpcert_quota_exceeded(dev, Size)) {
#if VPCERT_MUTANT != MUT_LEAK_ON_QUOTA_FAILURE
        ExFreePoolWithTag(hdr, VPCERT_BUFFER_TAG);
#endif
        return quota_refused(Buffer);
    }
    vpcert_quota_charge(dev, Size);
    return buffer_grant(dev, ext, hdr, Size, Buffer);
}
#endif

#if !VPCERT_POOL_FIRST
/* A block for a buffer of Size: the lookaside's, or a new one. */
static VPCERT_BUFFER_HEADER *buffer_take(VPCERT_DEVICE *dev, ULONG Size) {
#if VPCERT_MUTANT == MUT_STALE_REUSE
    VPCERT_BUFFER_HEADER *cached = dev->lookaside;

    /* BUG: dev->lookaside is not cleared, so the block is handed out again */
    if (cached != NULL && Size <= cached->size)
        return cached;
#else
    (void)dev;
#endif
    return buffer_request(Size);
}

/* The block of a new buffer, asked for without the device's lock held
 * (the mutant holds it). */
static VPCERT_BUFFER_HEADER *buffer_take_unlocked(VPCERT_DEVICE *dev,
                                                  ULONG Size) {
#if VPCERT_MUTANT == MUT_PAGED_UNDER_LOCK
    KIRQL old = vpcert_lock(dev); /* BUG: paged pool at DISPATCH_LEVEL */
    VPCERT_BUFFER_HEADER *hdr = buffer_take(dev, Size);
    vpcert_unlock(dev, old);
    return hdr;
#else
    return buffer_take(dev, Size);
#endif
}

#if VPCERT_MUTANT == MUT_CHECK_THEN_CHARGE
/* BUG: the quota is tested, then the pool asked, then the charge added:
 * each step under the lock, but not the three together, so two callers can
 * both pass the test. Returns 1 when Size may be charged. */
static int quota_check(VPCERT_DEVICE *dev, ULONG Size) {
    return !vpcert_quota_exceeded(dev, Size);
}
#endif

/* Quota-first order: reserve the charge, then get the block. */
static VP_STATUS allocate_quota_first(VPCERT_DEVICE *dev, PVOID ext, ULONG Size,
                                      PVOID *Buffer) {
    VPCERT_BUFFER_HEADER *hdr;

#if VPCERT_MUTANT == MUT_CHECK_THEN_CHARGE
    if (!quota_check(dev, Size))
        return quota_refused(Buffer);
    hdr = buffer_take_unlocked(dev, Size);
    if (hdr == NULL)
        return pool_refused(ext, Buffer);
    vpcert_quota_charge(dev, Size);
    return buffer_grant(dev, ext, hdr, Size, Buffer);
#endif
    if (!vpcert_quota_reserve(dev, Size))
        return quota_refused(Buffer);
#if VPCERT_MUTANT == MUT_REPEAT_SIZE_MEMO
    if (dev->memo && dev->memo_size == Size) {
        *Buffer = dev->memo; /* BUG: still live, handed out again */
        return NO_ERROR;
    }
#endif
    hdr = buffer_take_unlocked(dev, Size);
    if (hdr == NULL) {
#if VPCERT_MUTANT != MUT_CHARGE_ON_FAILURE
        vpcert_quota_refund(dev, Size); /* BUG when missing: kept charged */
#endif
        return pool_refused(ext, Buffer);
    }
#if VPCERT_MUTANT == MUT_REPEAT_SIZE_MEMO
    dev->memo = buffer_payload(hdr);
    dev->memo_size = Size;
#endif
    return buffer_grant(dev, ext, hdr, Size, Buffer);
}
#endif

VPCERT_EXPORT VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension,
                                                ULONG Size, PVOID *Buffer) {
    VPCERT_DEVICE *dev = vpcert_device(HwDeviceExtension);

#if VPCERT_MUTANT == MUT_NULL_ON_ZERO
    if (Size == 0) {
        *Buffer = NULL; /* BUG: success without a buffer */
        return NO_ERROR;
    }
#elif VPCERT_MUTANT == MUT_BUGCHECK_ZERO
    if (Size == 0) /* BUG: as Driver Verifier would, for a zero-byte request */
        KeBugCheckEx(0xC4, 0, KeGetCurrentIrql(), PagedPool, 0);
#elif VPCERT_MUTANT == MUT_ZERO_REJECTED
    if (Size == 0) {
        *Buffer = NULL;
        return ERROR_INVALID_PARAMETER;
    }
#endif
#if VPCERT_POOL_FIRST
    return allocate_pool_first(dev, HwDeviceExtension, Size, Buffer);
#else
    return allocate_quota_first(dev, HwDeviceExtension, Size, Buffer);
#endif
}

/* Forget a released buffer in the device's state, when a mutant keeps any. */
static void buffer_forget(VPCERT_DEVICE *dev, PVOID Buffer) {
#if VPCERT_MUTANT == MUT_LINK_IN_BUFFER
    if (dev->tail == Buffer)
        dev->tail = NULL;
#else
    (void)dev;
    (void)Buffer;
#endif
}

VPCERT_EXPORT VOID VideoPortReleaseBuffer(PVOID HwDeviceExtension,
                                          PVOID Buffer) {
    VPCERT_BUFFER_HEADER *hdr;
    VPCERT_DEVICE *dev;

    if (Buffer == NULL)
        return;
    hdr = buffer_header(Buffer);
    if ((hdr->stamp & VPCERT_STAMP_MAGIC_MASK) != VPCERT_BUFFER_MAGIC)
        return; /* not a live buffer of ours: leave it alone */
    dev = vpcert_device(buffer_owner(hdr, HwDeviceExtension));
    /* Refund only charges of the device's current start. */
#if VPCERT_MUTANT == MUT_LOCK_TWICE
    KIRQL held = vpcert_lock(dev); /* BUG: the refund takes it again */
#endif
#if VPCERT_MUTANT != MUT_REFUND_LOST
    if (hdr->stamp == vpcert_buffer_stamp(dev))
        vpcert_quota_refund(dev, hdr->size);
#endif
#if VPCERT_MUTANT == MUT_LOCK_TWICE
    vpcert_unlock(dev, held);
#endif
    hdr->stamp = 0;
#if VPCERT_MUTANT == MUT_LOCK_ORDER
    {
        /* BUG: the device's lock, then the records lock (AllocatePool
         * takes them the other way round) */
        KIRQL held = vpcert_lock(dev), rec;
        KeAcquireSpinLock(&dev->records_lock, &rec);
        dev->releases++;
        KeReleaseSpinLock(&dev->records_lock, rec);
        vpcert_unlock(dev, held);
    }
#endif
    buffer_forget(dev, Buffer);
#if VPCERT_MUTANT == MUT_STALE_REUSE
    lookaside_keep(dev, hdr);
#else
    buffer_free(dev, hdr, Buffer);
#endif
}
