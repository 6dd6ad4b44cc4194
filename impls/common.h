/*
 * common.h: a small, correct, header-based implementation of the four video
 * port memory services and the vpcert device lifecycle, shared by the
 * one-fault examples impls/bad_*.c (and built as is by impls/base.c).
 *
 * An example defines one or two of the hook macros below, or supplies one
 * exported function itself (BASE_OWN_<SERVICE>), before it includes this
 * file. Everything else stays correct, so the fault is the one difference
 * between the example and impls/base.c, which certifies.
 *
 * Design (different from vpcert's own shim/ and from impls/quota_table.c):
 *   - every buffer sits behind a header in one PagedPool block tagged
 *     'Dvcb':  [struct base_hdr, padded to BASE_HDR = 48 bytes][Size bytes]
 *     (Size 0 still gets one byte, so the buffer lies inside its block);
 *   - the device state (quota, charge, and the headers of up to BASE_TRACK
 *     live buffers, which VpcertDeviceStop frees if the caller did not)
 *     lives in the HwDeviceExtension;
 *   - quota-first, exact 64-bit arithmetic (`Size > quota - charge` with
 *     charge <= quota), *Buffer = NULL on every failure;
 *   - AllocatePool/FreePool pass the caller's type and tag through.
 * It includes nothing of vpcert but include/vpcert/video.h.
 */
#ifndef VPCERT_IMPLS_COMMON_H
#define VPCERT_IMPLS_COMMON_H

#include <vpcert/video.h>

#include <stdint.h>
#include <string.h>

#define BASE_TAG VPCERT_TAG('D', 'v', 'c', 'b')
#define BASE_MAGIC 0x62637644u /* "Dvcb": a live header, a started device */

/* What a buffer's header records (40 bytes; BASE_HDR rounds it to 48). */
struct base_hdr {
    PVOID older;    /* unused here: free for an example's own list */
    PVOID newer;    /* unused here: free for an example's own list */
    ULONGLONG size; /* Size the caller asked for (what was charged) */
    PVOID ext;      /* HwDeviceExtension of the charged device */
    ULONG magic;    /* BASE_MAGIC while the buffer is live */
    ULONG tag;      /* tag of the pool block */
};

/* Buffers a device remembers for VpcertDeviceStop; fills the extension. */
#define BASE_TRACK ((VPCERT_DEVICE_EXTENSION_SIZE - 48u) / sizeof(PVOID))

/* The device state, kept in the HwDeviceExtension. */
struct base_dev {
    ULONGLONG quota;   /* QuotaBytes from VpcertDeviceStart */
    ULONGLONG charge;  /* sum of the Sizes of the live buffers */
    PVOID spare;       /* unused here: free for an example's own state */
    ULONGLONG spare_n; /* unused here: free for an example's own counter */
    ULONGLONG spare_m; /* unused here: a second one */
    ULONG magic;       /* BASE_MAGIC between start and stop */
    ULONG ntrack;      /* entries used in track[] */
    struct base_hdr *track[BASE_TRACK]; /* live buffers, unordered */
};

_Static_assert(sizeof(struct base_dev) <= VPCERT_DEVICE_EXTENSION_SIZE,
               "device state must fit the HwDeviceExtension");

/* ---- hooks: each example overrides at most a few of these ---- */

#ifndef BASE_HDR /* bytes in front of each buffer: the header, rounded to 16   \
                  */
#define BASE_HDR ((sizeof(struct base_hdr) + 15u) & ~(size_t)15u)
#endif

#ifndef BASE_BUFFER_POOL /* pool type buffers come from */
#define BASE_BUFFER_POOL PagedPool
#endif
#ifndef BASE_BLOCK_BYTES /* pool bytes for a buffer of size bytes (SIZE_T) */
#define BASE_BLOCK_BYTES(size)                                                 \
    ((SIZE_T)BASE_HDR + ((size) ? (SIZE_T)(size) : 1u))
#endif
#ifndef BASE_QUOTA_OF /* how VpcertDeviceStart stores QuotaBytes */
#define BASE_QUOTA_OF(q) (q)
#endif
#ifndef BASE_OVER_QUOTA /* would size take device d over its quota? */
#define BASE_OVER_QUOTA(d, size) ((ULONGLONG)(size) > (d)->quota - (d)->charge)
#endif
#ifndef BASE_CHARGE
#define BASE_CHARGE(d, size) ((d)->charge += (size))
#endif
#ifndef BASE_REFUND
#define BASE_REFUND(d, size) ((d)->charge -= (size))
#endif
#ifndef BASE_ST_QUOTA /* status for a quota refusal */
#define BASE_ST_QUOTA ERROR_INSUFFICIENT_BUFFER
#endif
#ifndef BASE_ST_NOMEM /* status for a pool refusal */
#define BASE_ST_NOMEM ERROR_NOT_ENOUGH_MEMORY
#endif
#ifndef BASE_OUT_FAIL /* what a failing AllocateBuffer leaves in *Buffer */
#define BASE_OUT_FAIL(Buffer) (*(Buffer) = NULL)
#endif
#ifndef BASE_ON_ENTRY /* first thing AllocateBuffer does (may return) */
#define BASE_ON_ENTRY(d, size, Buffer) ((void)0)
#endif
#ifndef BASE_RETRY /* second chance after the pool refused: a header or NULL   \
                    */
#define BASE_RETRY(d, size) ((struct base_hdr *)NULL)
#endif
#ifndef BASE_AFTER_GRANT /* after a buffer is made, before it is returned */
#define BASE_AFTER_GRANT(d, h, size) ((void)0)
#endif
#ifndef BASE_BLOCK_FREE /* give a buffer's block back */
#define BASE_BLOCK_FREE(h) ExFreePoolWithTag((h), (h)->tag)
#endif
#ifndef BASE_UNTRACK
#define BASE_UNTRACK(d, h) base_untrack((d), (h))
#endif
#ifndef BASE_POOL_TYPE /* POOL_TYPE requested for AllocatePool(t, n) */
#define BASE_POOL_TYPE(t, n) ((POOL_TYPE)(t))
#endif
#ifndef BASE_POOL_BYTES /* bytes requested for AllocatePool(t, n) */
#define BASE_POOL_BYTES(t, n) (n)
#endif
#ifndef BASE_POOL_TAG /* tag requested for AllocatePool(..., tag) */
#define BASE_POOL_TAG(tag) (tag)
#endif
#ifndef BASE_POOL_REFUSED /* AllocatePool(t, n) was refused by the pool */
#define BASE_POOL_REFUSED(t, n) ((void)0)
#endif
#ifndef BASE_POOL_FREE /* FreePool's call to the pool */
#define BASE_POOL_FREE(p) ExFreePool(p)
#endif
#ifndef BASE_START_STATUS /* what VpcertDeviceStart returns for a quota */
#define BASE_START_STATUS(q) NO_ERROR
#endif
#ifndef BASE_ON_START /* end of VpcertDeviceStart */
#define BASE_ON_START(d) ((void)0)
#endif
#ifndef BASE_ON_STOP /* start of VpcertDeviceStop */
#define BASE_ON_STOP(d) ((void)0)
#endif

/* ---- helpers ---- */

static inline struct base_dev *base_dev_of(PVOID ext) {
    return (struct base_dev *)ext;
}

static inline PVOID base_user_of(struct base_hdr *h) {
    return (UCHAR *)h + BASE_HDR;
}

static inline struct base_hdr *base_hdr_of(PVOID user) {
    return (struct base_hdr *)(void *)((UCHAR *)user - BASE_HDR);
}

/* A fresh buffer block with its header filled in, or NULL if the pool
 * refused it. */
static inline struct base_hdr *base_block_get(PVOID ext, ULONG size) {
    struct base_hdr *h = ExAllocatePoolWithTag(
        BASE_BUFFER_POOL, BASE_BLOCK_BYTES(size), BASE_TAG);
    if (h) {
        h->size = size;
        h->ext = ext;
        h->magic = BASE_MAGIC;
        h->tag = BASE_TAG;
    }
    return h;
}

static inline void base_track(struct base_dev *d, struct base_hdr *h) {
    if (d->ntrack < BASE_TRACK)
        d->track[d->ntrack++] = h;
}

static inline void base_untrack(struct base_dev *d, struct base_hdr *h) {
    for (ULONG i = 0; i < d->ntrack; i++) {
        if (d->track[i] == h) {
            d->track[i] = d->track[--d->ntrack];
            return;
        }
    }
}

/* ---- the services ---- */

#ifndef BASE_OWN_ALLOCATE_BUFFER
VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    struct base_dev *d = base_dev_of(HwDeviceExtension);
    struct base_hdr *h;
    BASE_OUT_FAIL(Buffer);
    BASE_ON_ENTRY(d, Size, Buffer);
    if (BASE_OVER_QUOTA(d, Size))
        return BASE_ST_QUOTA;
    h = base_block_get(HwDeviceExtension, Size);
    if (!h)
        h = BASE_RETRY(d, Size);
    if (!h)
        return BASE_ST_NOMEM;
    BASE_CHARGE(d, Size);
    base_track(d, h);
    BASE_AFTER_GRANT(d, h, Size);
    *Buffer = base_user_of(h);
    return NO_ERROR;
}
#endif

#ifndef BASE_OWN_RELEASE_BUFFER
VOID VideoPortReleaseBuffer(PVOID HwDeviceExtension, PVOID Buffer) {
    struct base_dev *d = base_dev_of(HwDeviceExtension);
    struct base_hdr *h = base_hdr_of(Buffer);
    if (h->magic != BASE_MAGIC)
        return; /* not one of ours: never hand it to the pool */
    BASE_REFUND(d, h->size);
    BASE_UNTRACK(d, h);
    h->magic = 0;
    BASE_BLOCK_FREE(h);
}
#endif

#ifndef BASE_OWN_ALLOCATE_POOL
PVOID VideoPortAllocatePool(PVOID HwDeviceExtension, VP_POOL_TYPE PoolType,
                            SIZE_T NumberOfBytes, ULONG Tag) {
    PVOID p = ExAllocatePoolWithTag(BASE_POOL_TYPE(PoolType, NumberOfBytes),
                                    BASE_POOL_BYTES(PoolType, NumberOfBytes),
                                    BASE_POOL_TAG(Tag));
    (void)HwDeviceExtension;
    if (!p)
        BASE_POOL_REFUSED(PoolType, NumberOfBytes);
    return p;
}
#endif

#ifndef BASE_OWN_FREE_POOL
VOID VideoPortFreePool(PVOID HwDeviceExtension, PVOID Ptr) {
    (void)HwDeviceExtension;
    BASE_POOL_FREE(Ptr);
}
#endif

/* ---- device lifecycle ---- */

#ifndef BASE_OWN_DEVICE_START
VP_STATUS VpcertDeviceStart(PVOID HwDeviceExtension, ULONGLONG QuotaBytes) {
    struct base_dev *d = base_dev_of(HwDeviceExtension);
    VP_STATUS st = BASE_START_STATUS(QuotaBytes);
    memset(d, 0, sizeof *d);
    d->quota = BASE_QUOTA_OF(QuotaBytes);
    d->magic = BASE_MAGIC;
    BASE_ON_START(d);
    return st;
}
#endif

#ifndef BASE_OWN_DEVICE_STOP
/* Buffers still tracked were never released by the caller: free them, so
 * that a stop leaves nothing of the device behind (with BASE_TAG: a header
 * is not read once its buffer may be gone). */
VOID VpcertDeviceStop(PVOID HwDeviceExtension) {
    struct base_dev *d = base_dev_of(HwDeviceExtension);
    BASE_ON_STOP(d);
    while (d->ntrack) {
        struct base_hdr *h = d->track[--d->ntrack];
        ExFreePoolWithTag(h, BASE_TAG);
    }
    d->charge = 0;
    d->magic = 0;
}
#endif

#endif /* VPCERT_IMPLS_COMMON_H */
