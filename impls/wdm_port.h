/*
 * wdm_port.h: the video port memory services written the way kernel code
 * is written against the WDK (multi-character pool tags, SAL annotations,
 * spin locks, a lookaside list, ExAllocatePool2, DbgPrint), shared by
 * impls/wdm_port.c, which certifies, and its one-fault variants
 * impls/bad_wdm_*.c. A variant defines one hook below before it includes
 * this file; everything else stays correct.
 *
 * Design (independent of vpcert's shim/ and of impls/common.h):
 *   - the HwDeviceExtension holds the device state: a spin lock, the quota,
 *     the charge (changed only under the lock) and the device's books;
 *   - the books are a nonpaged block made at VpcertDeviceStart with
 *     ExAllocatePool2 (zeroed: the code relies on it), holding a nonpaged
 *     lookaside list of buffer records and the list of live records (under
 *     the lock); VpcertDeviceStop deletes the list and frees the books.
 *     When the pool refuses the books at start (DEV-1: start never fails),
 *     the first AllocateBuffer makes them, and unmakes them if it fails;
 *   - a buffer is a PagedPool block from ExAllocatePool2 (zeroed: its
 *     header's Released flag starts clear) with a 32-byte header in front,
 *     freed with ExFreePool2 and its tag; the quota is charged under the
 *     lock before the block is asked for, outside the lock, and given back
 *     if the pool refuses;
 *   - AllocatePool and FreePool pass through to ExAllocatePoolWithTag and
 *     ExFreePool; everything is reported with DbgPrint.
 */
#ifndef WDM_PORT_H
#define WDM_PORT_H

#include <vpcert/video.h>

#define WDM_TAG_BUFFER 'bMDW' /* "WDMb" in memory */
#define WDM_TAG_BOOKS 'kMDW'  /* "WDMk" */
#define WDM_TAG_RECORD 'rMDW' /* "WDMr" */
#define WDM_MAGIC 0x4D44574Eu /* a live buffer header */

/* One live buffer, from the device's lookaside list. */
typedef struct _WDM_RECORD {
    struct _WDM_RECORD *Next; /* newer record */
    struct _WDM_RECORD *Prev; /* older record */
    PVOID Block;              /* the pool block of the buffer */
    ULONG Size;               /* Size the caller asked for (charged) */
} WDM_RECORD, *PWDM_RECORD;

/* The device's books, in nonpaged pool. A variant may declare them under a
 * packing pragma (WDM_BOOKS_LAYOUT_BEGIN and _END, each a _Pragma). */
#ifndef WDM_BOOKS_LAYOUT_BEGIN
#define WDM_BOOKS_LAYOUT_BEGIN
#define WDM_BOOKS_LAYOUT_END
#endif
WDM_BOOKS_LAYOUT_BEGIN
typedef struct _WDM_BOOKS {
    PWDM_RECORD Live;              /* live buffers, newest first */
    ULONG LiveCount;               /* records in Live */
    NPAGED_LOOKASIDE_LIST Records; /* where WDM_RECORDs come from */
} WDM_BOOKS, *PWDM_BOOKS;
WDM_BOOKS_LAYOUT_END

/* In front of every buffer; 32 bytes, so the buffer stays 16-aligned. */
typedef struct _WDM_HEADER {
    PWDM_RECORD Record; /* the buffer's record */
    ULONG Magic;        /* WDM_MAGIC */
    ULONG Released;     /* 0 until released (zeroed by ExAllocatePool2) */
    ULONGLONG Spare[2]; /* room to 32 bytes */
} WDM_HEADER, *PWDM_HEADER;

/* The device state, in the HwDeviceExtension. */
typedef struct _WDM_DEVICE {
    KSPIN_LOCK Lock;  /* held while Charge or the live records change */
    ULONGLONG Quota;  /* QuotaBytes from VpcertDeviceStart */
    ULONGLONG Charge; /* Sizes of the live buffers */
    PWDM_BOOKS Books; /* NULL until made */
} WDM_DEVICE, *PWDM_DEVICE;

_Static_assert(sizeof(WDM_DEVICE) <= VPCERT_DEVICE_EXTENSION_SIZE,
               "the device state fits the extension");
_Static_assert(sizeof(WDM_HEADER) == 32, "a 32-byte header");

/* ---- hooks: a one-fault variant defines one ---- */
#ifndef WDM_BUFFER_FLAGS /* how buffer blocks are allocated */
#define WDM_BUFFER_FLAGS POOL_FLAG_PAGED
#endif
#ifndef WDM_BUFFER_FREE_TAG /* the tag a buffer block is freed with */
#define WDM_BUFFER_FREE_TAG WDM_TAG_BUFFER
#endif
#ifndef WDM_BLOCK_UNDER_LOCK /* 1: the buffer block is asked for locked */
#define WDM_BLOCK_UNDER_LOCK 0
#endif
#ifndef WDM_UNLOCK_REFUSED /* how the quota-refused path unlocks */
#define WDM_UNLOCK_REFUSED(Device, Irql)                                       \
    KeReleaseSpinLock(&(Device)->Lock, (Irql))
#endif
#ifndef WDM_ON_ENTRY /* first thing AllocateBuffer does */
#define WDM_ON_ENTRY(Size) ((void)0)
#endif
#ifndef WDM_ON_RELEASED /* last thing ReleaseBuffer does with a buffer */
#define WDM_ON_RELEASED(Device) ((void)0)
#endif
#ifndef WDM_BOOKS_ALLOCATE /* where the books come from */
#define WDM_BOOKS_ALLOCATE()                                                   \
    ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(WDM_BOOKS), WDM_TAG_BOOKS)
#endif
#ifndef WDM_BOOKS_FREE
#define WDM_BOOKS_FREE(Books) ExFreePool2((Books), WDM_TAG_BOOKS, NULL, 0)
#endif
#ifndef WDM_DELETE_RECORDS /* how the books' lookaside list goes away */
#define WDM_DELETE_RECORDS(Books) ExDeleteNPagedLookasideList(&(Books)->Records)
#endif

/* ---- books ---- */

_IRQL_requires_max_(DISPATCH_LEVEL) static PWDM_BOOKS WdmMakeBooks(VOID) {
    PWDM_BOOKS Books = WDM_BOOKS_ALLOCATE();
    if (Books == NULL)
        return NULL;
    /* Live and LiveCount are zero: ExAllocatePool2 zeroed them. */
    ExInitializeNPagedLookasideList(&Books->Records, NULL, NULL, 0,
                                    sizeof(WDM_RECORD), WDM_TAG_RECORD, 0);
    return Books;
}

static VOID WdmDropBooks(_In_ PWDM_BOOKS Books) {
    WDM_DELETE_RECORDS(Books);
    WDM_BOOKS_FREE(Books);
}

/* The device's books, made now if need be; *Made says so. */
static PWDM_BOOKS WdmBooks(_Inout_ PWDM_DEVICE Device, _Out_ BOOLEAN *Made) {
    *Made = FALSE;
    if (Device->Books == NULL) {
        Device->Books = WdmMakeBooks();
        *Made = Device->Books != NULL;
    }
    return Device->Books;
}

/* ---- the quota, under the lock ---- */

/* Charge Size if it fits: TRUE, else FALSE with nothing charged. */
_IRQL_requires_max_(DISPATCH_LEVEL) static BOOLEAN
    WdmCharge(_Inout_ PWDM_DEVICE Device, ULONG Size,
              _Out_ PWDM_HEADER *Header) {
    KIRQL Irql;
    KeAcquireSpinLock(&Device->Lock, &Irql);
    if (Device->Charge > Device->Quota ||
        Size > Device->Quota - Device->Charge) {
        WDM_UNLOCK_REFUSED(Device, Irql);
        return FALSE;
    }
    Device->Charge += Size;
#if WDM_BLOCK_UNDER_LOCK
    *Header = ExAllocatePool2(WDM_BUFFER_FLAGS, sizeof(WDM_HEADER) + Size + 1,
                              WDM_TAG_BUFFER);
#else
    *Header = NULL;
#endif
    KeReleaseSpinLock(&Device->Lock, Irql);
    return TRUE;
}

static VOID WdmRefund(_Inout_ PWDM_DEVICE Device, ULONG Size) {
    KIRQL Irql;
    KeAcquireSpinLock(&Device->Lock, &Irql);
    Device->Charge -= Size;
    KeReleaseSpinLock(&Device->Lock, Irql);
}

/* ---- the services ---- */

/* Link a granted buffer's record under the lock. */
static VOID WdmTrack(_Inout_ PWDM_DEVICE Device, _Inout_ PWDM_RECORD Record) {
    KIRQL Irql;
    KeAcquireSpinLock(&Device->Lock, &Irql);
    Record->Prev = NULL;
    Record->Next = Device->Books->Live;
    if (Record->Next != NULL)
        Record->Next->Prev = Record;
    Device->Books->Live = Record;
    Device->Books->LiveCount++;
    KeReleaseSpinLock(&Device->Lock, Irql);
}

_Use_decl_annotations_ VP_STATUS
VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size, PVOID *Buffer) {
    PWDM_DEVICE Device = HwDeviceExtension;
    PWDM_HEADER Header = NULL;
    PWDM_RECORD Record = NULL;
    BOOLEAN Made;

    PAGED_CODE();
    *Buffer = NULL;
    WDM_ON_ENTRY(Size);
    if (!WdmCharge(Device, Size, &Header)) {
        DbgPrint("wdm_port: %lu bytes refused for quota\n",
                 (unsigned long)Size);
        return ERROR_INSUFFICIENT_BUFFER;
    }
    PWDM_BOOKS Books = WdmBooks(Device, &Made);
    if (Books != NULL && Header == NULL)
        Header = ExAllocatePool2(WDM_BUFFER_FLAGS,
                                 sizeof(WDM_HEADER) + (SIZE_T)Size + 1,
                                 WDM_TAG_BUFFER);
    if (Header != NULL && Books != NULL)
        Record = ExAllocateFromNPagedLookasideList(&Books->Records);
    if (Record == NULL) {
        if (Header != NULL)
            ExFreePool2(Header, WDM_TAG_BUFFER, NULL, 0);
        if (Made) {
            WdmDropBooks(Books);
            Device->Books = NULL;
        }
        WdmRefund(Device, Size);
        DbgPrint("wdm_port: no pool for %lu bytes\n", (unsigned long)Size);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    Header->Record = Record;
    Header->Magic = WDM_MAGIC;
    Record->Block = Header;
    Record->Size = Size;
    WdmTrack(Device, Record);
    *Buffer = Header + 1;
    return NO_ERROR;
}

_Use_decl_annotations_ VOID VideoPortReleaseBuffer(PVOID HwDeviceExtension,
                                                   PVOID Buffer) {
    PWDM_DEVICE Device = HwDeviceExtension;
    PWDM_HEADER Header = (PWDM_HEADER)Buffer - 1;
    PWDM_RECORD Record;
    KIRQL Irql;

    PAGED_CODE();
    if (Header->Magic != WDM_MAGIC || Header->Released)
        return; /* not a live buffer of ours */
    Header->Released = 1;
    Record = Header->Record;
    KeAcquireSpinLock(&Device->Lock, &Irql);
    if (Record->Prev != NULL)
        Record->Prev->Next = Record->Next;
    else
        Device->Books->Live = Record->Next;
    if (Record->Next != NULL)
        Record->Next->Prev = Record->Prev;
    Device->Books->LiveCount--;
    Device->Charge -= Record->Size;
    KeReleaseSpinLock(&Device->Lock, Irql);
    ExFreeToNPagedLookasideList(&Device->Books->Records, Record);
    ExFreePool2(Header, WDM_BUFFER_FREE_TAG, NULL, 0);
    WDM_ON_RELEASED(Device);
}

_Use_decl_annotations_ PVOID VideoPortAllocatePool(PVOID HwDeviceExtension,
                                                   VP_POOL_TYPE PoolType,
                                                   SIZE_T NumberOfBytes,
                                                   ULONG Tag) {
    UNREFERENCED_PARAMETER(HwDeviceExtension);
    return ExAllocatePoolWithTag((POOL_TYPE)PoolType, NumberOfBytes, Tag);
}

_Use_decl_annotations_ VOID VideoPortFreePool(PVOID HwDeviceExtension,
                                              PVOID Ptr) {
    UNREFERENCED_PARAMETER(HwDeviceExtension);
    ExFreePool(Ptr);
}

/* ---- the device lifecycle ---- */

VP_STATUS VpcertDeviceStart(PVOID HwDeviceExtension, ULONGLONG QuotaBytes) {
    PWDM_DEVICE Device = HwDeviceExtension;

    PAGED_CODE();
    KeInitializeSpinLock(&Device->Lock);
    Device->Quota = QuotaBytes;
    Device->Charge = 0;
    Device->Books = WdmMakeBooks(); /* NULL: made by the first buffer */
    DbgPrint("wdm_port: device %p started, quota %llu\n", HwDeviceExtension,
             (unsigned long long)QuotaBytes);
    return NO_ERROR;
}

/* The caller has released every buffer (SPEC CO-5); any left are freed. */
VOID VpcertDeviceStop(PVOID HwDeviceExtension) {
    PWDM_DEVICE Device = HwDeviceExtension;
    PWDM_BOOKS Books = Device->Books;

    PAGED_CODE();
    while (Books != NULL && Books->Live != NULL) {
        PWDM_RECORD Record = Books->Live;
        Books->Live = Record->Next;
        ExFreePool2(Record->Block, WDM_TAG_BUFFER, NULL, 0);
        ExFreeToNPagedLookasideList(&Books->Records, Record);
    }
    if (Books != NULL)
        WdmDropBooks(Books);
    Device->Books = NULL;
    Device->Charge = 0;
    DbgPrint("wdm_port: device %p stopped\n", HwDeviceExtension);
}

#endif /* WDM_PORT_H */
