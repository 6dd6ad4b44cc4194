/*
 * conc_port.h: the video port memory services written to be called from
 * several threads at once (ICS concurrency = thread-safe), shared by
 * impls/conc_port.c, which certifies as thread-safe, and its concurrency
 * faults impls/bad_conc_*.c. A variant defines one of the switches or
 * hooks below before it includes this file; everything else stays correct.
 *
 * Design (independent of vpcert's shim/, impls/common.h and wdm_port.h):
 *   - the HwDeviceExtension holds the device state: the quota lock (a spin
 *     lock over Quota and Charge), the list lock (a spin lock over the
 *     list of live buffers), and a fast mutex the allocation path may use;
 *   - a buffer is a PagedPool block tagged 'Conc' with a 32-byte header
 *     in front (list links, Size, a magic word);
 *   - AllocateBuffer reserves Size under the quota lock before it asks the
 *     pool (outside every lock: paged pool), and gives the reservation back
 *     under the lock if the pool refuses; it then links the buffer, taking
 *     the quota lock and then the list lock (the one lock order);
 *   - ReleaseBuffer unlinks and refunds under both locks, in that order,
 *     then frees the block;
 *   - AllocatePool and FreePool pass through (nothing shared).
 */
#ifndef CONC_PORT_H
#define CONC_PORT_H

#include <vpcert/video.h>

#define CONC_TAG 'cnoC'        /* "Conc" in memory */
#define CONC_MAGIC 0x436F6E63u /* a live buffer header */

/* In front of every buffer; 32 bytes, so the buffer stays 16-aligned. */
typedef struct _CONC_HEADER {
    struct _CONC_HEADER *Next; /* newer live buffer of the device */
    struct _CONC_HEADER *Prev; /* older live buffer of the device */
    ULONG Size;                /* Size the caller asked for (charged) */
    ULONG Magic;               /* CONC_MAGIC while live */
    ULONGLONG Spare;           /* room to 32 bytes */
} CONC_HEADER, *PCONC_HEADER;

/* The device state, in the HwDeviceExtension. */
typedef struct _CONC_DEVICE {
    KSPIN_LOCK QuotaLock;  /* held while Charge is read or changed */
    KSPIN_LOCK ListLock;   /* held while Live changes; after QuotaLock */
    FAST_MUTEX AllocMutex; /* the allocation path of bad_conc_lost_refund */
    ULONGLONG Quota;       /* QuotaBytes from VpcertDeviceStart */
    ULONGLONG Charge;      /* Sizes of the live buffers */
    PCONC_HEADER Live;     /* live buffers, newest first */
} CONC_DEVICE, *PCONC_DEVICE;

_Static_assert(sizeof(CONC_DEVICE) <= VPCERT_DEVICE_EXTENSION_SIZE,
               "the device state fits the extension");
_Static_assert(sizeof(CONC_HEADER) == 32, "a 32-byte header");

/* ---- switches: a fault variant defines one ---- */
#ifndef CONC_CHECK_THEN_CHARGE /* 1: quota tested, pool asked, then charged */
#define CONC_CHECK_THEN_CHARGE 0
#endif
#ifndef CONC_RELEASE_LIST_FIRST /* 1: ReleaseBuffer locks in reverse order */
#define CONC_RELEASE_LIST_FIRST 0
#endif
#ifndef CONC_STALE_CHARGE /* 1: allocations under a mutex write back a         \
                             charge read before their pool request */
#define CONC_STALE_CHARGE 0
#endif
#ifndef CONC_ON_LINKED /* in ConcLink, under both locks, the buffer linked */
#define CONC_ON_LINKED(Header) ((void)0)
#endif
#ifndef CONC_UNLINK /* how ReleaseBuffer unlinks and refunds a buffer */
#define CONC_UNLINK(Device, Header) ConcUnlink((Device), (Header))
#endif

/* ---- the quota ---- */

#if CONC_CHECK_THEN_CHARGE
/* FAULT: the test and the charge are apart, with the pool request between
 * them and no lock: two calls can both pass the test. */
static BOOLEAN ConcReserve(PCONC_DEVICE Device, ULONG Size,
                           PCONC_HEADER *Header) {
    if (Device->Charge > Device->Quota || Size > Device->Quota - Device->Charge)
        return FALSE;
    *Header = ExAllocatePoolWithTag(PagedPool, sizeof(CONC_HEADER) + Size + 1,
                                    CONC_TAG);
    if (*Header != NULL)
        Device->Charge += Size;
    return TRUE;
}
#elif CONC_STALE_CHARGE
/* FAULT: allocations are serialized by a mutex, and each reads the charge,
 * asks the pool, then stores what it read plus Size: a release that ran in
 * between (it takes only the spin lock) has its refund overwritten. */
static BOOLEAN ConcReserve(PCONC_DEVICE Device, ULONG Size,
                           PCONC_HEADER *Header) {
    KIRQL Irql;
    ULONGLONG Charge;
    ExAcquireFastMutex(&Device->AllocMutex);
    KeAcquireSpinLock(&Device->QuotaLock, &Irql);
    Charge = Device->Charge;
    KeReleaseSpinLock(&Device->QuotaLock, Irql);
    if (Charge > Device->Quota || Size > Device->Quota - Charge) {
        ExReleaseFastMutex(&Device->AllocMutex);
        return FALSE;
    }
    *Header = ExAllocatePoolWithTag(PagedPool, sizeof(CONC_HEADER) + Size + 1,
                                    CONC_TAG);
    if (*Header != NULL) {
        KeAcquireSpinLock(&Device->QuotaLock, &Irql);
        Device->Charge = Charge + Size;
        KeReleaseSpinLock(&Device->QuotaLock, Irql);
    }
    ExReleaseFastMutex(&Device->AllocMutex);
    return TRUE;
}
#else
/* Reserve Size under the quota lock, ask the pool outside it, give the
 * reservation back if the pool refuses. FALSE: over the quota. */
static BOOLEAN ConcReserve(PCONC_DEVICE Device, ULONG Size,
                           PCONC_HEADER *Header) {
    KIRQL Irql;
    KeAcquireSpinLock(&Device->QuotaLock, &Irql);
    if (Device->Charge > Device->Quota ||
        Size > Device->Quota - Device->Charge) {
        KeReleaseSpinLock(&Device->QuotaLock, Irql);
        return FALSE;
    }
    Device->Charge += Size;
    KeReleaseSpinLock(&Device->QuotaLock, Irql);
    *Header = ExAllocatePoolWithTag(PagedPool, sizeof(CONC_HEADER) + Size + 1,
                                    CONC_TAG);
    if (*Header == NULL) {
        KeAcquireSpinLock(&Device->QuotaLock, &Irql);
        Device->Charge -= Size;
        KeReleaseSpinLock(&Device->QuotaLock, Irql);
    }
    return TRUE;
}
#endif

/* ---- the live list, under both locks ---- */

static VOID ConcLink(PCONC_DEVICE Device, PCONC_HEADER Header) {
    KIRQL Irql;
    KeAcquireSpinLock(&Device->QuotaLock, &Irql);
    KeAcquireSpinLockAtDpcLevel(&Device->ListLock);
    Header->Prev = NULL;
    Header->Next = Device->Live;
    if (Header->Next != NULL)
        Header->Next->Prev = Header;
    Device->Live = Header;
    CONC_ON_LINKED(Header);
    KeReleaseSpinLockFromDpcLevel(&Device->ListLock);
    KeReleaseSpinLock(&Device->QuotaLock, Irql);
}

/* Unlink a buffer and refund its Size. */
static VOID ConcUnlink(PCONC_DEVICE Device, PCONC_HEADER Header) {
    KIRQL Irql;
#if CONC_RELEASE_LIST_FIRST
    /* FAULT: the list lock first, then the quota lock: the reverse of
     * ConcLink's order, so a release and an allocation can wait for each
     * other forever. */
    KeAcquireSpinLock(&Device->ListLock, &Irql);
    KeAcquireSpinLockAtDpcLevel(&Device->QuotaLock);
#else
    KeAcquireSpinLock(&Device->QuotaLock, &Irql);
    KeAcquireSpinLockAtDpcLevel(&Device->ListLock);
#endif
    if (Header->Prev != NULL)
        Header->Prev->Next = Header->Next;
    else
        Device->Live = Header->Next;
    if (Header->Next != NULL)
        Header->Next->Prev = Header->Prev;
    Device->Charge -= Header->Size;
#if CONC_RELEASE_LIST_FIRST
    KeReleaseSpinLockFromDpcLevel(&Device->QuotaLock);
    KeReleaseSpinLock(&Device->ListLock, Irql);
#else
    KeReleaseSpinLockFromDpcLevel(&Device->ListLock);
    KeReleaseSpinLock(&Device->QuotaLock, Irql);
#endif
}

/* ---- the services ---- */

VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    PCONC_DEVICE Device = HwDeviceExtension;
    PCONC_HEADER Header = NULL;
    *Buffer = NULL;
    if (!ConcReserve(Device, Size, &Header))
        return ERROR_INSUFFICIENT_BUFFER;
    if (Header == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    Header->Size = Size;
    Header->Magic = CONC_MAGIC;
    ConcLink(Device, Header);
    *Buffer = Header + 1;
    return NO_ERROR;
}

VOID VideoPortReleaseBuffer(PVOID HwDeviceExtension, PVOID Buffer) {
    PCONC_DEVICE Device = HwDeviceExtension;
    PCONC_HEADER Header = (PCONC_HEADER)Buffer - 1;
    if (Header->Magic != CONC_MAGIC)
        return; /* not a live buffer of ours */
    Header->Magic = 0;
    CONC_UNLINK(Device, Header);
    ExFreePoolWithTag(Header, CONC_TAG);
}

PVOID VideoPortAllocatePool(PVOID HwDeviceExtension, VP_POOL_TYPE PoolType,
                            SIZE_T NumberOfBytes, ULONG Tag) {
    UNREFERENCED_PARAMETER(HwDeviceExtension);
    return ExAllocatePoolWithTag((POOL_TYPE)PoolType, NumberOfBytes, Tag);
}

VOID VideoPortFreePool(PVOID HwDeviceExtension, PVOID Ptr) {
    UNREFERENCED_PARAMETER(HwDeviceExtension);
    ExFreePool(Ptr);
}

/* ---- the device lifecycle (never concurrent with anything: CO-7) ---- */

VP_STATUS VpcertDeviceStart(PVOID HwDeviceExtension, ULONGLONG QuotaBytes) {
    PCONC_DEVICE Device = HwDeviceExtension;
    KeInitializeSpinLock(&Device->QuotaLock);
    KeInitializeSpinLock(&Device->ListLock);
    ExInitializeFastMutex(&Device->AllocMutex);
    Device->Quota = QuotaBytes;
    Device->Charge = 0;
    Device->Live = NULL;
    return NO_ERROR;
}

/* The caller has released every buffer (SPEC CO-5); any left are freed. */
VOID VpcertDeviceStop(PVOID HwDeviceExtension) {
    PCONC_DEVICE Device = HwDeviceExtension;
    while (Device->Live != NULL) {
        PCONC_HEADER Header = Device->Live;
        Device->Live = Header->Next;
        ExFreePoolWithTag(Header, CONC_TAG);
    }
    Device->Charge = 0;
}

#endif /* CONC_PORT_H */
