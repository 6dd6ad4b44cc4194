/*
 * common.h: a small, correct, header-based implementation of the four video
 * port memory services and the vpcert device lifecycle, shared by the
 * one-fault examples impls/bad_*.c (and built as is by impls/base.c).
 *
 * An example defines one or two of the hook macros below, or supplies one
 * exported function itself (CB_OWN_<SERVICE>), before it includes this
 * file. Everything else stays correct, so the fault is the one difference
 * between the example and impls/base.c, which certifies.
 *
 * Design (different from vpcert's own shim/ and from impls/quota_table.c):
 *   - every buffer sits behind a header in one PagedPool block tagged
 *     'Dvcb':  [struct cb_hdr, padded to CB_HDR = 48 bytes][Size bytes]
 *     (Size 0 still gets one byte, so the buffer lies inside its block);
 *   - the device state (quota, charge, and the headers of up to CB_TRACK
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

#define CB_TAG VPCERT_TAG('D', 'v', 'c', 'b')
#define CB_MAGIC 0x62637644u /* "Dvcb": a live header, a started device */

/* What a buffer's header records (40 bytes; CB_HDR rounds it to 48). */
struct cb_hdr {
    PVOID older;    /* unused here: free for an example's own list */
    PVOID newer;    /* unused here: free for an example's own list */
    ULONGLONG size; /* Size the caller asked for (what was charged) */
    PVOID ext;      /* HwDeviceExtension of the charged device */
    ULONG magic;    /* CB_MAGIC while the buffer is live */
    ULONG tag;      /* tag of the pool block */
};

/* Buffers a device remembers for VpcertDeviceStop; fills the extension. */
#define CB_TRACK ((VPCERT_DEVICE_EXTENSION_SIZE - 40u) / sizeof(PVOID))

/* The device state, kept in the HwDeviceExtension. */
struct cb_dev {
    ULONGLONG quota;   /* QuotaBytes from VpcertDeviceStart */
    ULONGLONG charge;  /* sum of the Sizes of the live buffers */
    PVOID spare;       /* unused here: free for an example's own state */
    ULONGLONG spare_n; /* unused here: free for an example's own counter */
    ULONG magic;       /* CB_MAGIC between start and stop */
    ULONG ntrack;      /* entries used in track[] */
    struct cb_hdr *track[CB_TRACK]; /* live buffers, unordered */
};

_Static_assert(sizeof(struct cb_dev) <= VPCERT_DEVICE_EXTENSION_SIZE,
               "device state must fit the HwDeviceExtension");

/* ---- hooks: each example overrides at most a few of these ---- */

#ifndef CB_HDR /* bytes in front of each buffer: the header, rounded to 16 */
#define CB_HDR ((sizeof(struct cb_hdr) + 15u) & ~(size_t)15u)
#endif

#ifndef CB_BUFFER_POOL /* pool type buffers come from */
#define CB_BUFFER_POOL PagedPool
#endif
#ifndef CB_BLOCK_BYTES /* pool bytes for a buffer of size bytes (SIZE_T) */
#define CB_BLOCK_BYTES(size) ((SIZE_T)CB_HDR + ((size) ? (SIZE_T)(size) : 1u))
#endif
#ifndef CB_QUOTA_OF /* how VpcertDeviceStart stores QuotaBytes */
#define CB_QUOTA_OF(q) (q)
#endif
#ifndef CB_OVER_QUOTA /* would size take device d over its quota? */
#define CB_OVER_QUOTA(d, size) ((ULONGLONG)(size) > (d)->quota - (d)->charge)
#endif
#ifndef CB_CHARGE
#define CB_CHARGE(d, size) ((d)->charge += (size))
#endif
#ifndef CB_REFUND
#define CB_REFUND(d, size) ((d)->charge -= (size))
#endif
#ifndef CB_ST_QUOTA /* status for a quota refusal */
#define CB_ST_QUOTA ERROR_INSUFFICIENT_BUFFER
#endif
#ifndef CB_ST_NOMEM /* status for a pool refusal */
#define CB_ST_NOMEM ERROR_NOT_ENOUGH_MEMORY
#endif
#ifndef CB_OUT_FAIL /* what a failing AllocateBuffer leaves in *Buffer */
#define CB_OUT_FAIL(Buffer) (*(Buffer) = NULL)
#endif
#ifndef CB_ON_ENTRY /* first thing AllocateBuffer does (may return) */
#define CB_ON_ENTRY(d, size, Buffer) ((void)0)
#endif
#ifndef CB_RETRY /* second chance after the pool refused: a header or NULL */
#define CB_RETRY(d, size) ((struct cb_hdr *)NULL)
#endif
#ifndef CB_AFTER_GRANT /* after a buffer is made, before it is returned */
#define CB_AFTER_GRANT(d, h, size) ((void)0)
#endif
#ifndef CB_BLOCK_FREE /* give a buffer's block back */
#define CB_BLOCK_FREE(h) ExFreePoolWithTag((h), (h)->tag)
#endif
#ifndef CB_UNTRACK
#define CB_UNTRACK(d, h) cb_untrack((d), (h))
#endif
#ifndef CB_POOL_TYPE /* POOL_TYPE requested for AllocatePool(t, n) */
#define CB_POOL_TYPE(t, n) ((POOL_TYPE)(t))
#endif
#ifndef CB_POOL_BYTES /* bytes requested for AllocatePool(t, n) */
#define CB_POOL_BYTES(t, n) (n)
#endif
#ifndef CB_POOL_TAG /* tag requested for AllocatePool(..., tag) */
#define CB_POOL_TAG(tag) (tag)
#endif
#ifndef CB_POOL_REFUSED /* AllocatePool(t, n) was refused by the pool */
#define CB_POOL_REFUSED(t, n) ((void)0)
#endif
#ifndef CB_POOL_FREE /* FreePool's call to the pool */
#define CB_POOL_FREE(p) ExFreePool(p)
#endif
#ifndef CB_START_STATUS /* what VpcertDeviceStart returns for a quota */
#define CB_START_STATUS(q) NO_ERROR
#endif
#ifndef CB_ON_START /* end of VpcertDeviceStart */
#define CB_ON_START(d) ((void)0)
#endif
#ifndef CB_ON_STOP /* start of VpcertDeviceStop */
#define CB_ON_STOP(d) ((void)0)
#endif

/* ---- helpers ---- */

static inline struct cb_dev *cb_dev_of(PVOID ext) {
    return (struct cb_dev *)ext;
}

static inline PVOID cb_user_of(struct cb_hdr *h) {
    return (UCHAR *)h + CB_HDR;
}

static inline struct cb_hdr *cb_hdr_of(PVOID user) {
    return (struct cb_hdr *)(void *)((UCHAR *)user - CB_HDR);
}

/* A fresh buffer block with its header filled in, or NULL if the pool
 * refused it. */
static inline struct cb_hdr *cb_block_get(PVOID ext, ULONG size) {
    struct cb_hdr *h =
        ExAllocatePoolWithTag(CB_BUFFER_POOL, CB_BLOCK_BYTES(size), CB_TAG);
    if (h) {
        h->size = size;
        h->ext = ext;
        h->magic = CB_MAGIC;
        h->tag = CB_TAG;
    }
    return h;
}

static inline void cb_track(struct cb_dev *d, struct cb_hdr *h) {
    if (d->ntrack < CB_TRACK)
        d->track[d->ntrack++] = h;
}

static inline void cb_untrack(struct cb_dev *d, struct cb_hdr *h) {
    for (ULONG i = 0; i < d->ntrack; i++) {
        if (d->track[i] == h) {
            d->track[i] = d->track[--d->ntrack];
            return;
        }
    }
}

/* ---- the services ---- */

#ifndef CB_OWN_ALLOCATE_BUFFER
VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    struct cb_dev *d = cb_dev_of(HwDeviceExtension);
    struct cb_hdr *h;
    CB_OUT_FAIL(Buffer);
    CB_ON_ENTRY(d, Size, Buffer);
    if (CB_OVER_QUOTA(d, Size))
        return CB_ST_QUOTA;
    h = cb_block_get(HwDeviceExtension, Size);
    if (!h)
        h = CB_RETRY(d, Size);
    if (!h)
        return CB_ST_NOMEM;
    CB_CHARGE(d, Size);
    cb_track(d, h);
    CB_AFTER_GRANT(d, h, Size);
    *Buffer = cb_user_of(h);
    return NO_ERROR;
}
#endif

#ifndef CB_OWN_RELEASE_BUFFER
VOID VideoPortReleaseBuffer(PVOID HwDeviceExtension, PVOID Buffer) {
    struct cb_dev *d = cb_dev_of(HwDeviceExtension);
    struct cb_hdr *h = cb_hdr_of(Buffer);
    if (h->magic != CB_MAGIC)
        return; /* not one of ours: never hand it to the pool */
    CB_REFUND(d, h->size);
    CB_UNTRACK(d, h);
    h->magic = 0;
    CB_BLOCK_FREE(h);
}
#endif

#ifndef CB_OWN_ALLOCATE_POOL
PVOID VideoPortAllocatePool(PVOID HwDeviceExtension, VP_POOL_TYPE PoolType,
                            SIZE_T NumberOfBytes, ULONG Tag) {
    PVOID p = ExAllocatePoolWithTag(CB_POOL_TYPE(PoolType, NumberOfBytes),
                                    CB_POOL_BYTES(PoolType, NumberOfBytes),
                                    CB_POOL_TAG(Tag));
    (void)HwDeviceExtension;
    if (!p)
        CB_POOL_REFUSED(PoolType, NumberOfBytes);
    return p;
}
#endif

#ifndef CB_OWN_FREE_POOL
VOID VideoPortFreePool(PVOID HwDeviceExtension, PVOID Ptr) {
    (void)HwDeviceExtension;
    CB_POOL_FREE(Ptr);
}
#endif

/* ---- device lifecycle ---- */

#ifndef CB_OWN_DEVICE_START
VP_STATUS VpcertDeviceStart(PVOID HwDeviceExtension, ULONGLONG QuotaBytes) {
    struct cb_dev *d = cb_dev_of(HwDeviceExtension);
    VP_STATUS st = CB_START_STATUS(QuotaBytes);
    memset(d, 0, sizeof *d);
    d->quota = CB_QUOTA_OF(QuotaBytes);
    d->magic = CB_MAGIC;
    CB_ON_START(d);
    return st;
}
#endif

#ifndef CB_OWN_DEVICE_STOP
/* Buffers still tracked were never released by the caller: free them, so
 * that a stop leaves nothing of the device behind (with CB_TAG: a header
 * is not read once its buffer may be gone). */
VOID VpcertDeviceStop(PVOID HwDeviceExtension) {
    struct cb_dev *d = cb_dev_of(HwDeviceExtension);
    CB_ON_STOP(d);
    while (d->ntrack) {
        struct cb_hdr *h = d->track[--d->ntrack];
        ExFreePoolWithTag(h, CB_TAG);
    }
    d->charge = 0;
    d->magic = 0;
}
#endif

#endif /* VPCERT_IMPLS_COMMON_H */
