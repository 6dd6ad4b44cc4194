/*
 * slab_port: a video port that carves small buffers out of shared pool
 * pages, as display drivers do for the many small command and state
 * buffers they hand out (certified under impls/default.ics).
 *
 *   - a buffer of up to SLAB_SLOT_DATA bytes takes a 256-byte slot of a
 *     4 KiB PagedPool page (15 slots after the page's own header): one page
 *     backs up to 15 live buffers, and goes back to the pool when its last
 *     one is released (SPEC RB-1: a block that still backs another live
 *     buffer stays live);
 *   - a larger buffer gets a PagedPool block of its own;
 *   - a 16-byte header in front of every buffer says where it came from;
 *     the device's pages and big blocks are on two lists in the
 *     HwDeviceExtension, which VpcertDeviceStop empties;
 *   - quota-first, 64-bit: the Size asked for is charged, not the slot;
 *   - AllocatePool and FreePool pass through.
 */
#include <vpcert/video.h>

#define SLAB_TAG_PAGE 'gPlS' /* "SlPg" in memory: pages of slots */
#define SLAB_TAG_BIG 'gBlS'  /* "SlBg": a big buffer's own block */

#define SLAB_PAGE_BYTES 4096u
#define SLAB_SLOT_BYTES 256u
#define SLAB_HEADER_BYTES 16u /* before each buffer */
#define SLAB_SLOT_DATA (SLAB_SLOT_BYTES - SLAB_HEADER_BYTES) /* 240 bytes */
#define SLAB_SLOTS                                                             \
    (SLAB_PAGE_BYTES / SLAB_SLOT_BYTES - 1) /* slot 0: header                  \
                                             */
#define SLAB_ALL_FREE ((1u << SLAB_SLOTS) - 1u)

#define SLAB_KIND_SLOT 0x746F6C53u /* "Slot" */
#define SLAB_KIND_BIG 0x67694253u  /* "Sbig" */

typedef struct _SLAB_PAGE {
    struct _SLAB_PAGE *Next; /* the device's pages */
    struct _SLAB_PAGE *Prev;
    ULONG FreeMask; /* bit i: slot i + 1 is free */
    ULONG Live;     /* slots in use */
} SLAB_PAGE, *PSLAB_PAGE;

typedef struct _SLAB_BIG {
    struct _SLAB_BIG *Next; /* the device's big blocks */
    struct _SLAB_BIG *Prev;
    ULONGLONG Reserved[2]; /* to 32 bytes: the buffer stays 16-aligned */
} SLAB_BIG, *PSLAB_BIG;

typedef struct _SLAB_HEADER {
    PVOID Owner; /* the SLAB_PAGE or the SLAB_BIG the buffer lives in */
    ULONG Size;  /* Size charged */
    ULONG Kind;  /* SLAB_KIND_SLOT or SLAB_KIND_BIG */
} SLAB_HEADER, *PSLAB_HEADER;

typedef struct _SLAB_DEVICE {
    ULONGLONG Quota;  /* QuotaBytes from VpcertDeviceStart */
    ULONGLONG Charge; /* Sizes of the live buffers */
    PSLAB_PAGE Pages; /* pages holding at least one live buffer */
    PSLAB_BIG Bigs;   /* big buffers' blocks */
} SLAB_DEVICE, *PSLAB_DEVICE;

_Static_assert(sizeof(SLAB_HEADER) == SLAB_HEADER_BYTES,
               "the header is 16 bytes");
_Static_assert(sizeof(SLAB_BIG) % 16 == 0, "big buffers stay 16-aligned");
_Static_assert(sizeof(SLAB_PAGE) <= SLAB_SLOT_BYTES, "slot 0 holds the page");
_Static_assert(sizeof(SLAB_DEVICE) <= VPCERT_DEVICE_EXTENSION_SIZE,
               "the device state fits the extension");

/* The device's pages and big blocks are two doubly linked lists of the
 * same shape (Next, Prev), pushed at the head. */
#define SLAB_PUSH(Head, Node)                                                  \
    do {                                                                       \
        (Node)->Prev = NULL;                                                   \
        (Node)->Next = (Head);                                                 \
        if ((Head) != NULL)                                                    \
            (Head)->Prev = (Node);                                             \
        (Head) = (Node);                                                       \
    } while (0)
#define SLAB_UNLINK(Head, Node)                                                \
    do {                                                                       \
        if ((Node)->Prev != NULL)                                              \
            (Node)->Prev->Next = (Node)->Next;                                 \
        else                                                                   \
            (Head) = (Node)->Next;                                             \
        if ((Node)->Next != NULL)                                              \
            (Node)->Next->Prev = (Node)->Prev;                                 \
    } while (0)

#define SLAB_SLOT_AT(Page, i) ((PUCHAR)(Page) + ((i) + 1u) * SLAB_SLOT_BYTES)

/* A page with a free slot, or a new one; NULL when the pool refuses. */
static PSLAB_PAGE SlabPageWithRoom(PSLAB_DEVICE Device) {
    PSLAB_PAGE Page;
    for (Page = Device->Pages; Page != NULL; Page = Page->Next)
        if (Page->FreeMask != 0)
            return Page;
    Page = ExAllocatePoolWithTag(PagedPool, SLAB_PAGE_BYTES, SLAB_TAG_PAGE);
    if (Page == NULL)
        return NULL;
    Page->FreeMask = SLAB_ALL_FREE;
    Page->Live = 0;
    SLAB_PUSH(Device->Pages, Page);
    return Page;
}

static PSLAB_HEADER SlabTakeSlot(PSLAB_DEVICE Device) {
    PSLAB_PAGE Page = SlabPageWithRoom(Device);
    ULONG Slot = 0;
    PSLAB_HEADER Header;
    if (Page == NULL)
        return NULL;
    while ((Page->FreeMask & (1u << Slot)) == 0)
        Slot++;
    Page->FreeMask &= ~(1u << Slot);
    Page->Live++;
    Header = (PSLAB_HEADER)SLAB_SLOT_AT(Page, Slot);
    Header->Owner = Page;
    Header->Kind = SLAB_KIND_SLOT;
    return Header;
}

static PSLAB_HEADER SlabTakeBig(PSLAB_DEVICE Device, ULONG Size) {
    /* a zero-size buffer is one byte of its block */
    SIZE_T Bytes = sizeof(SLAB_BIG) + SLAB_HEADER_BYTES + (Size ? Size : 1u);
    PSLAB_BIG Big = ExAllocatePoolWithTag(PagedPool, Bytes, SLAB_TAG_BIG);
    PSLAB_HEADER Header;
    if (Big == NULL)
        return NULL;
    SLAB_PUSH(Device->Bigs, Big);
    Header = (PSLAB_HEADER)(Big + 1);
    Header->Owner = Big;
    Header->Kind = SLAB_KIND_BIG;
    return Header;
}

VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    PSLAB_DEVICE Device = HwDeviceExtension;
    PSLAB_HEADER Header;

    *Buffer = NULL;
    if (Size > Device->Quota - Device->Charge)
        return ERROR_INSUFFICIENT_BUFFER;
    Header = Size <= SLAB_SLOT_DATA ? SlabTakeSlot(Device)
                                    : SlabTakeBig(Device, Size);
    if (Header == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    Header->Size = Size;
    Device->Charge += Size;
    *Buffer = (PUCHAR)Header + SLAB_HEADER_BYTES;
    return NO_ERROR;
}

static VOID SlabPutSlot(PSLAB_DEVICE Device, PSLAB_HEADER Header) {
    PSLAB_PAGE Page = Header->Owner;
    ULONG Slot =
        (ULONG)(((PUCHAR)Header - (PUCHAR)Page) / SLAB_SLOT_BYTES) - 1u;
    Page->FreeMask |= 1u << Slot;
    if (--Page->Live != 0)
        return;
    SLAB_UNLINK(Device->Pages, Page);
    ExFreePoolWithTag(Page, SLAB_TAG_PAGE);
}

static VOID SlabPutBig(PSLAB_DEVICE Device, PSLAB_BIG Big) {
    SLAB_UNLINK(Device->Bigs, Big);
    ExFreePoolWithTag(Big, SLAB_TAG_BIG);
}

VOID VideoPortReleaseBuffer(PVOID HwDeviceExtension, PVOID Buffer) {
    PSLAB_DEVICE Device = HwDeviceExtension;
    PSLAB_HEADER Header = (PSLAB_HEADER)((PUCHAR)Buffer - SLAB_HEADER_BYTES);

    Device->Charge -= Header->Size;
    if (Header->Kind == SLAB_KIND_SLOT)
        SlabPutSlot(Device, Header);
    else
        SlabPutBig(Device, Header->Owner);
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
    PSLAB_DEVICE Device = HwDeviceExtension;
    Device->Quota = QuotaBytes;
    Device->Charge = 0;
    Device->Pages = NULL;
    Device->Bigs = NULL;
    return NO_ERROR;
}

/* The caller has released every buffer (SPEC CO-5); any left are freed. */
VOID VpcertDeviceStop(PVOID HwDeviceExtension) {
    PSLAB_DEVICE Device = HwDeviceExtension;
    while (Device->Pages != NULL) {
        PSLAB_PAGE Page = Device->Pages;
        Device->Pages = Page->Next;
        ExFreePoolWithTag(Page, SLAB_TAG_PAGE);
    }
    while (Device->Bigs != NULL)
        SlabPutBig(Device, Device->Bigs);
    Device->Charge = 0;
}
