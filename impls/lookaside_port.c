/*
 * lookaside_port: a video port whose buffers are tracked by records from a
 * nonpaged lookaside list, written to be called from several threads at
 * once (certified under impls/default.ics and impls/thread-safe.ics).
 *
 *   - the HwDeviceExtension holds a spin lock over Charge and the list of
 *     live records, and the lookaside list of records;
 *   - AllocateBuffer charges Size under the lock, takes a record from the
 *     list, then asks the paged pool (outside the lock); when the pool
 *     refuses, the record goes back to the list and the charge is refunded
 *     under the lock: between the two, another thread's call may take that
 *     very record from the list (corpus/regressions/
 *     ab-leak-1-lookaside-record-handed-on.vpt: vpcert charged that record
 *     to the failed call, AB-LEAK-1, until it followed the hand-over);
 *   - ReleaseBuffer unlinks and refunds under the lock, then frees the block
 *     and gives the record back;
 *   - AllocatePool and FreePool pass through.
 */
#include <vpcert/video.h>

#define LKP_TAG 'bPkL'     /* "LkPb" in memory: buffers */
#define LKP_REC_TAG 'rPkL' /* "LkPr": records */

typedef struct _LKP_RECORD {
    struct _LKP_RECORD *Next; /* newer live record of the device */
    struct _LKP_RECORD *Prev; /* older live record of the device */
    PVOID Block;              /* the buffer's pool block */
    ULONG Size;               /* Size charged */
    ULONG Spare;              /* room to 32 bytes */
} LKP_RECORD, *PLKP_RECORD;

typedef struct _LKP_DEVICE {
    KSPIN_LOCK Lock;               /* over Charge and Live */
    ULONGLONG Quota;               /* QuotaBytes from VpcertDeviceStart */
    ULONGLONG Charge;              /* Sizes of the live buffers */
    PLKP_RECORD Live;              /* live records, newest first */
    NPAGED_LOOKASIDE_LIST Records; /* where records come from */
} LKP_DEVICE, *PLKP_DEVICE;

_Static_assert(sizeof(LKP_DEVICE) <= VPCERT_DEVICE_EXTENSION_SIZE,
               "the device state fits the extension");

/* A buffer is its pool block less the pointer to its record in front. */
#define LKP_HEADER 16u

static BOOLEAN LkpCharge(PLKP_DEVICE Device, ULONG Size) {
    KIRQL Irql;
    BOOLEAN Fits;
    KeAcquireSpinLock(&Device->Lock, &Irql);
    Fits = Device->Quota == VPCERT_QUOTA_UNLIMITED ||
           (Size <= Device->Quota && Device->Charge <= Device->Quota - Size);
    if (Fits)
        Device->Charge += Size;
    KeReleaseSpinLock(&Device->Lock, Irql);
    return Fits;
}

static VOID LkpRefund(PLKP_DEVICE Device, ULONG Size) {
    KIRQL Irql;
    KeAcquireSpinLock(&Device->Lock, &Irql);
    Device->Charge -= Size;
    KeReleaseSpinLock(&Device->Lock, Irql);
}

static VOID LkpLink(PLKP_DEVICE Device, PLKP_RECORD Record) {
    KIRQL Irql;
    KeAcquireSpinLock(&Device->Lock, &Irql);
    Record->Prev = NULL;
    Record->Next = Device->Live;
    if (Device->Live != NULL)
        Device->Live->Prev = Record;
    Device->Live = Record;
    KeReleaseSpinLock(&Device->Lock, Irql);
}

VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    PLKP_DEVICE Device = HwDeviceExtension;
    PLKP_RECORD Record;
    PUCHAR Block;

    *Buffer = NULL;
    if (!LkpCharge(Device, Size))
        return ERROR_INSUFFICIENT_BUFFER;
    Record = ExAllocateFromNPagedLookasideList(&Device->Records);
    Block = Record == NULL ? NULL
                           : ExAllocatePoolWithTag(
                                 PagedPool, LKP_HEADER + (SIZE_T)Size, LKP_TAG);
    if (Block == NULL) {
        if (Record != NULL)
            ExFreeToNPagedLookasideList(&Device->Records, Record);
        LkpRefund(Device, Size);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    *(PLKP_RECORD *)Block = Record;
    Record->Block = Block;
    Record->Size = Size;
    LkpLink(Device, Record);
    *Buffer = Block + LKP_HEADER;
    return NO_ERROR;
}

VOID VideoPortReleaseBuffer(PVOID HwDeviceExtension, PVOID Buffer) {
    PLKP_DEVICE Device = HwDeviceExtension;
    PUCHAR Block = (PUCHAR)Buffer - LKP_HEADER;
    PLKP_RECORD Record = *(PLKP_RECORD *)Block;
    KIRQL Irql;

    KeAcquireSpinLock(&Device->Lock, &Irql);
    if (Record->Prev != NULL)
        Record->Prev->Next = Record->Next;
    else
        Device->Live = Record->Next;
    if (Record->Next != NULL)
        Record->Next->Prev = Record->Prev;
    Device->Charge -= Record->Size;
    KeReleaseSpinLock(&Device->Lock, Irql);
    ExFreePoolWithTag(Block, LKP_TAG);
    ExFreeToNPagedLookasideList(&Device->Records, Record);
}

PVOID VideoPortAllocatePool(PVOID HwDeviceExtension, VP_POOL_TYPE PoolType,
                            SIZE_T NumberOfBytes, ULONG Tag) {
    (void)HwDeviceExtension;
    return ExAllocatePoolWithTag((POOL_TYPE)PoolType, NumberOfBytes, Tag);
}

VOID VideoPortFreePool(PVOID HwDeviceExtension, PVOID Ptr) {
    (void)HwDeviceExtension;
    ExFreePool(Ptr);
}

VP_STATUS VpcertDeviceStart(PVOID HwDeviceExtension, ULONGLONG QuotaBytes) {
    PLKP_DEVICE Device = HwDeviceExtension;
    KeInitializeSpinLock(&Device->Lock);
    Device->Quota = QuotaBytes;
    Device->Charge = 0;
    Device->Live = NULL;
    ExInitializeNPagedLookasideList(&Device->Records, NULL, NULL, 0,
                                    sizeof(LKP_RECORD), LKP_REC_TAG, 0);
    return NO_ERROR;
}

/* The caller has released every buffer (SPEC CO-5); any left are freed. */
VOID VpcertDeviceStop(PVOID HwDeviceExtension) {
    PLKP_DEVICE Device = HwDeviceExtension;
    while (Device->Live != NULL) {
        PLKP_RECORD Record = Device->Live;
        Device->Live = Record->Next;
        ExFreePoolWithTag(Record->Block, LKP_TAG);
        ExFreeToNPagedLookasideList(&Device->Records, Record);
    }
    Device->Charge = 0;
    ExDeleteNPagedLookasideList(&Device->Records);
}
