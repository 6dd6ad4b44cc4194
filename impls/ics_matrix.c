/*
 * ics_matrix: one conforming implementation for every ICS combination,
 * chosen when it is built. impls/CMakeLists.txt builds it once per
 * combination of the choices below (impls/matrix_*.so); tests certify each
 * build under the ICS it conforms to (SPEC.md, "Applicability") and run
 * every conformance vector on it (tests/test_vectors.c).
 *
 *   MATRIX_QUOTA          1: a per-device quota; 0: none (never 122)
 *   MATRIX_POOL_FIRST     1: the pool is asked before the quota is
 *                         consulted (quota-order = pool-first); 0: after
 *   MATRIX_POOL_SERVICES  1: exports VideoPortAllocatePool/FreePool
 *   MATRIX_ZERO_REJECT    1: Size 0 returns ERROR_INVALID_PARAMETER;
 *                         0: Size 0 gets a distinct buffer
 *
 * Design (unlike shim/, impls/common.h and impls/quota_table.c): each
 * buffer is a PagedPool block tagged 'Dvmx' with a 32-byte record in front
 * that links it into its device's doubly linked list of live buffers; the
 * device (quota, charge, list head) lives in the HwDeviceExtension;
 * VpcertDeviceStop frees what is still on the list. Pool blocks pass the
 * caller's type and tag straight through and are freed with a tag of 0;
 * AllocatePool of 0 bytes returns NULL.
 */
#include <vpcert/video.h>

#include <string.h>

#ifndef MATRIX_QUOTA
#define MATRIX_QUOTA 1
#endif
#ifndef MATRIX_POOL_FIRST
#define MATRIX_POOL_FIRST 0
#endif
#ifndef MATRIX_POOL_SERVICES
#define MATRIX_POOL_SERVICES 1
#endif
#ifndef MATRIX_ZERO_REJECT
#define MATRIX_ZERO_REJECT 0
#endif

#define MX_TAG VPCERT_TAG('D', 'v', 'm', 'x')
#define MX_LIVE 0x78766d44u /* "Dmvx": a record of a live buffer */

/* What sits in front of each buffer (32 bytes: keeps 16-byte alignment). */
struct mx_rec {
    struct mx_rec *prev; /* older live buffer of the device, NULL if none */
    struct mx_rec *next; /* younger live buffer of the device, NULL if none */
    ULONGLONG size;      /* Size the caller asked for (what was charged) */
    ULONG magic;         /* MX_LIVE while the buffer is live */
    ULONG pad;           /* unused */
};
_Static_assert(sizeof(struct mx_rec) == 32, "the record keeps alignment");

/* The device, in its HwDeviceExtension. */
struct mx_dev {
    ULONGLONG quota;     /* QuotaBytes of VpcertDeviceStart */
    ULONGLONG charge;    /* Sizes of the live buffers, never above quota */
    struct mx_rec *head; /* youngest live buffer, NULL if none */
};
_Static_assert(sizeof(struct mx_dev) <= VPCERT_DEVICE_EXTENSION_SIZE,
               "the device fits its extension");

static struct mx_dev *mx_dev(PVOID ext) {
    return (struct mx_dev *)ext;
}

/* Would Size take the device over its quota? Exact in 64 bits: charge
 * never exceeds quota, so quota - charge cannot wrap. */
static int mx_over(const struct mx_dev *d, ULONG size) {
    return MATRIX_QUOTA && (ULONGLONG)size > d->quota - d->charge;
}

static struct mx_rec *mx_block(ULONG size) {
    return ExAllocatePoolWithTag(
        PagedPool, sizeof(struct mx_rec) + (size ? size : 1u), MX_TAG);
}

VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    struct mx_dev *d = mx_dev(HwDeviceExtension);
    struct mx_rec *r;
    *Buffer = NULL;
    if (Size == 0 && MATRIX_ZERO_REJECT)
        return ERROR_INVALID_PARAMETER;
    if (!MATRIX_POOL_FIRST && mx_over(d, Size))
        return ERROR_INSUFFICIENT_BUFFER;
    r = mx_block(Size);
    if (!r)
        return ERROR_NOT_ENOUGH_MEMORY;
    if (MATRIX_POOL_FIRST && mx_over(d, Size)) {
        ExFreePoolWithTag(r, MX_TAG);
        return ERROR_INSUFFICIENT_BUFFER;
    }
    r->size = Size;
    r->magic = MX_LIVE;
    r->prev = NULL;
    r->next = d->head;
    if (d->head)
        d->head->prev = r;
    d->head = r;
    if (MATRIX_QUOTA)
        d->charge += Size;
    *Buffer = r + 1;
    return NO_ERROR;
}

/* Take r off its device's list and give its block back. */
static void mx_drop(struct mx_dev *d, struct mx_rec *r) {
    if (r->prev)
        r->prev->next = r->next;
    else
        d->head = r->next;
    if (r->next)
        r->next->prev = r->prev;
    r->magic = 0;
    ExFreePoolWithTag(r, MX_TAG);
}

VOID VideoPortReleaseBuffer(PVOID HwDeviceExtension, PVOID Buffer) {
    struct mx_dev *d = mx_dev(HwDeviceExtension);
    struct mx_rec *r = (struct mx_rec *)Buffer - 1;
    if (!Buffer || r->magic != MX_LIVE)
        return;
    if (MATRIX_QUOTA)
        d->charge -= r->size;
    mx_drop(d, r);
}

#if MATRIX_POOL_SERVICES
/* 0 bytes: NULL without asking the pool (the ZERO-2 NULL form). */
PVOID VideoPortAllocatePool(PVOID HwDeviceExtension, VP_POOL_TYPE PoolType,
                            SIZE_T NumberOfBytes, ULONG Tag) {
    (void)HwDeviceExtension;
    if (NumberOfBytes == 0)
        return NULL;
    return ExAllocatePoolWithTag((POOL_TYPE)PoolType, NumberOfBytes, Tag);
}

/* A tag of 0: the kernel skips the tag comparison (KP-TAG-1). */
VOID VideoPortFreePool(PVOID HwDeviceExtension, PVOID Ptr) {
    (void)HwDeviceExtension;
    ExFreePoolWithTag(Ptr, 0);
}
#endif

VP_STATUS VpcertDeviceStart(PVOID HwDeviceExtension, ULONGLONG QuotaBytes) {
    struct mx_dev *d = mx_dev(HwDeviceExtension);
    memset(d, 0, sizeof *d);
    d->quota = QuotaBytes;
    return NO_ERROR;
}

VOID VpcertDeviceStop(PVOID HwDeviceExtension) {
    struct mx_dev *d = mx_dev(HwDeviceExtension);
    while (d->head)
        mx_drop(d, d->head);
    d->charge = 0;
}
