/*
 * quota_table: a conforming implementation with a per-device quota, built
 * without headers. Every buffer and block is exactly the pool block the
 * kernel returned; what the implementation must remember lives in two
 * static open-addressing tables instead:
 *
 *   qt_devs   device records keyed by the HwDeviceExtension pointer
 *             (quota, charge), linear probing, never deleted: a stopped
 *             device keeps its slot and may be restarted;
 *   qt_live   live buffers and blocks keyed by address (size, tag, kind,
 *             owning device), linear probing with backward-shift deletion.
 *
 * Choices (impls/default.ics or impls/zero-reject.ics):
 *   - quota-first: the quota is tested before the pool is asked (QU-8);
 *     the test is `Size > quota - charge` on 64-bit values with the
 *     invariant charge <= quota, so it never wraps (QU-6); quota
 *     (ULONGLONG)-1 needs no special case;
 *   - Size 0 is rejected with ERROR_INVALID_PARAMETER (zero-size = reject);
 *     AllocatePool of 0 bytes returns NULL (ZERO-2);
 *   - *Buffer is NULL after every failure (AB-OUT-2);
 *   - buffers come from PagedPool with tag 'Dvqt'; AllocatePool passes the
 *     caller's type and tag through, and frees with ExFreePoolWithTag and
 *     the recorded tag;
 *   - the extension itself is never written (state is in the tables);
 *   - no pool is used for bookkeeping, so nothing can leak at stop.
 * Pointers the tables do not know are ignored on release and free, never
 * passed to the pool.
 */
#include <vpcert/video.h>

#include <string.h>

#define QT_TAG VPCERT_TAG('D', 'v', 'q', 't')
#define QT_DEV_BITS 8u   /* 256 device records */
#define QT_LIVE_BITS 14u /* 16384 live allocations (programs make <= 4096) */
#define QT_DEVS (1u << QT_DEV_BITS)
#define QT_LIVE (1u << QT_LIVE_BITS)

enum qt_kind { QT_EMPTY = 0, QT_BUFFER = 1, QT_BLOCK = 2 };

struct qt_dev {
    PVOID ext;        /* key: the HwDeviceExtension; NULL = empty slot */
    ULONGLONG quota;  /* bytes the device may hold through AllocateBuffer */
    ULONGLONG charge; /* sum of the Sizes of its live buffers (<= quota) */
    int started;      /* between VpcertDeviceStart and VpcertDeviceStop */
};

struct qt_entry {
    uintptr_t addr;     /* key: the buffer/block address; 0 = empty */
    ULONGLONG size;     /* Size (buffers) or NumberOfBytes (blocks) */
    struct qt_dev *dev; /* owner: charged device (buffers), caller (blocks) */
    ULONG tag;          /* tag the pool block was allocated with */
    UCHAR kind;         /* enum qt_kind */
};

static struct qt_dev qt_devs[QT_DEVS];
static struct qt_entry qt_live[QT_LIVE];
static size_t qt_nlive; /* occupied entries of qt_live */

/* Fibonacci hashing of a pointer to `bits` bits (low 4 bits are zero for
 * every pool block, so they are shifted out first). */
static size_t qt_hash(uintptr_t key, unsigned bits) {
    uint64_t h = (uint64_t)(key >> 4) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> (64 - bits));
}

/* ---- device records ---- */

/* The record of ext, or NULL if it has none. */
static struct qt_dev *qt_dev_find(PVOID ext) {
    size_t i = qt_hash((uintptr_t)ext, QT_DEV_BITS);
    for (size_t n = 0; n < QT_DEVS; n++, i = (i + 1) & (QT_DEVS - 1)) {
        if (qt_devs[i].ext == ext)
            return &qt_devs[i];
        if (qt_devs[i].ext == NULL)
            return NULL;
    }
    return NULL;
}

/* The record of ext, made if needed: an empty slot on its probe path, or
 * else any stopped device's slot (re-keyed: slots are never emptied, so
 * other probe paths stay intact). A device used without VpcertDeviceStart
 * gets no limit. */
static struct qt_dev *qt_dev_get(PVOID ext) {
    struct qt_dev *d = qt_dev_find(ext);
    size_t i = qt_hash((uintptr_t)ext, QT_DEV_BITS);
    for (size_t n = 0; !d && n < QT_DEVS; n++, i = (i + 1) & (QT_DEVS - 1))
        if (qt_devs[i].ext == NULL)
            d = &qt_devs[i];
    for (size_t j = 0; !d && j < QT_DEVS; j++)
        if (!qt_devs[j].started)
            d = &qt_devs[j];
    if (!d)
        d = &qt_devs[qt_hash((uintptr_t)ext, QT_DEV_BITS)];
    if (d->ext != ext) {
        d->ext = ext;
        d->quota = VPCERT_QUOTA_UNLIMITED;
        d->charge = 0;
        d->started = 1;
    }
    return d;
}

/* ---- live allocations ---- */

static struct qt_entry *qt_find(const void *p) {
    uintptr_t key = (uintptr_t)p;
    size_t i = qt_hash(key, QT_LIVE_BITS);
    if (key == 0)
        return NULL;
    for (size_t n = 0; n < QT_LIVE; n++, i = (i + 1) & (QT_LIVE - 1)) {
        if (qt_live[i].addr == key)
            return &qt_live[i];
        if (qt_live[i].addr == 0)
            return NULL;
    }
    return NULL;
}

/* Remove e, shifting later members of its cluster back so that no probe
 * path is broken (no tombstones). */
static void qt_remove(struct qt_entry *e) {
    size_t hole = (size_t)(e - qt_live);
    size_t i = hole;
    for (;;) {
        i = (i + 1) & (QT_LIVE - 1);
        if (qt_live[i].addr == 0)
            break;
        size_t home = qt_hash(qt_live[i].addr, QT_LIVE_BITS);
        /* Move i into the hole unless its home lies cyclically in (hole, i]. */
        int stays =
            hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
        if (!stays) {
            qt_live[hole] = qt_live[i];
            hole = i;
        }
    }
    memset(&qt_live[hole], 0, sizeof qt_live[hole]);
    qt_nlive--;
}

/* Drop entries left behind by devices that are no longer started (a run
 * that ended without releasing them, in a process that runs several). */
static void qt_purge_stale(void) {
    for (size_t i = 0; i < QT_LIVE; i++)
        while (qt_live[i].addr && !qt_live[i].dev->started)
            qt_remove(&qt_live[i]);
}

/* Record p; 0 on success, -1 if the table is full. A key already present
 * is stale (its pool was torn down without a release) and is replaced. */
static int qt_insert(void *p, ULONGLONG size, struct qt_dev *d, ULONG tag,
                     UCHAR kind) {
    struct qt_entry *e = qt_find(p);
    if (!e && qt_nlive >= QT_LIVE * 3 / 4)
        qt_purge_stale();
    if (!e && qt_nlive >= QT_LIVE - 1)
        return -1;
    if (!e) {
        size_t i = qt_hash((uintptr_t)p, QT_LIVE_BITS);
        while (qt_live[i].addr)
            i = (i + 1) & (QT_LIVE - 1);
        e = &qt_live[i];
        qt_nlive++;
    }
    e->addr = (uintptr_t)p;
    e->size = size;
    e->dev = d;
    e->tag = tag;
    e->kind = kind;
    return 0;
}

/* ---- the services ---- */

VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    struct qt_dev *d = qt_dev_get(HwDeviceExtension);
    *Buffer = NULL;
    if (Size == 0)
        return ERROR_INVALID_PARAMETER; /* ZERO-1: the reject form */
    if ((ULONGLONG)Size > d->quota - d->charge)
        return ERROR_INSUFFICIENT_BUFFER; /* quota first, nothing charged */
    void *p = ExAllocatePoolWithTag(PagedPool, Size, QT_TAG);
    if (!p)
        return ERROR_NOT_ENOUGH_MEMORY;
    if (qt_insert(p, Size, d, QT_TAG, QT_BUFFER) != 0) {
        ExFreePoolWithTag(p, QT_TAG);
        return ERROR_NOT_ENOUGH_MEMORY; /* beyond QT_LIVE live allocations */
    }
    d->charge += Size;
    *Buffer = p;
    return NO_ERROR;
}

VOID VideoPortReleaseBuffer(PVOID HwDeviceExtension, PVOID Buffer) {
    struct qt_entry *e = qt_find(Buffer);
    (void)HwDeviceExtension; /* the entry knows the device it charged */
    if (!e || e->kind != QT_BUFFER)
        return;
    e->dev->charge -= e->size;
    ExFreePoolWithTag(Buffer, e->tag);
    qt_remove(e);
}

static int qt_type_ok(VP_POOL_TYPE t) {
    return t == VpNonPagedPool || t == VpPagedPool ||
           t == VpNonPagedPoolCacheAligned || t == VpPagedPoolCacheAligned;
}

static int qt_type_paged(VP_POOL_TYPE t) {
    return t == VpPagedPool || t == VpPagedPoolCacheAligned;
}

PVOID VideoPortAllocatePool(PVOID HwDeviceExtension, VP_POOL_TYPE PoolType,
                            SIZE_T NumberOfBytes, ULONG Tag) {
    if (NumberOfBytes == 0 || !qt_type_ok(PoolType))
        return NULL; /* ZERO-2: the NULL form */
    if (qt_type_paged(PoolType) && KeGetCurrentIrql() >= DISPATCH_LEVEL)
        return NULL; /* never touch paged pool at DISPATCH_LEVEL */
    void *p = ExAllocatePoolWithTag((POOL_TYPE)PoolType, NumberOfBytes, Tag);
    if (p && qt_insert(p, NumberOfBytes, qt_dev_get(HwDeviceExtension), Tag,
                       QT_BLOCK) != 0) {
        ExFreePoolWithTag(p, Tag);
        p = NULL;
    }
    return p;
}

VOID VideoPortFreePool(PVOID HwDeviceExtension, PVOID Ptr) {
    struct qt_entry *e = qt_find(Ptr);
    (void)HwDeviceExtension;
    if (!e || e->kind != QT_BLOCK)
        return;
    ExFreePoolWithTag(Ptr, e->tag);
    qt_remove(e);
}

/* ---- device lifecycle ---- */

VP_STATUS VpcertDeviceStart(PVOID HwDeviceExtension, ULONGLONG QuotaBytes) {
    struct qt_dev *d = qt_dev_get(HwDeviceExtension);
    d->quota = QuotaBytes;
    d->charge = 0;
    d->started = 1;
    return NO_ERROR;
}

/* Anything of the device still recorded was never given back by the
 * caller: give it back to the pool now, so that a stop leaves nothing. */
VOID VpcertDeviceStop(PVOID HwDeviceExtension) {
    struct qt_dev *d = qt_dev_find(HwDeviceExtension);
    if (!d)
        return;
    for (size_t i = 0; i < QT_LIVE; i++) {
        while (qt_live[i].addr && qt_live[i].dev == d) {
            ExFreePoolWithTag((PVOID)qt_live[i].addr, qt_live[i].tag);
            qt_remove(&qt_live[i]);
        }
    }
    d->charge = 0;
    d->started = 0;
}
