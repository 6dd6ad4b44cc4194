/*
 * kshim.c: lifecycle and binding of the kernel shim, the exported kernel
 * entry points (ExAllocatePoolWithTag, ExFreePoolWithTag, ExFreePool,
 * KeGetCurrentIrql), injected failures and the accessors.
 *
 * An allocation request goes through, in this order, each step recording
 * its events before the one KS_EV_ALLOC or KS_EV_REFUSE that ends it:
 *   type (KP-TYPE-1) -> IRQL (IRQL-1) -> zero size (KP-ZERO-1)
 *   -> injection (HS-INJ-1) -> capacity (HS-CAP-1) -> host memory.
 * A free goes through: address (KP-FREE-1, KP-FREE-2) -> IRQL (IRQL-1)
 *   -> tag (KP-TAG-1) -> guard (KP-OVR-1) -> KS_EV_FREE -> quarantine.
 */
#include <stdlib.h>
#include <string.h>

#include "kshim_internal.h"

/* The kernel the context-free Ex* entry points act on, one per thread: the
 * shim's only mutable global. Set by kshim_bind, cleared by kshim_delete of
 * the bound kernel on the same thread. A struct kshim itself is not locked:
 * bind it to one thread at a time. */
static _Thread_local struct kshim *ks_bound;

struct kshim *kshim_new(const struct kshim_config *cfg) {
    struct kshim *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    if (cfg)
        k->cfg = *cfg;
    if (!k->cfg.quarantine_max)
        k->cfg.quarantine_max = KS_QUARANTINE_DEFAULT;
    if (!k->cfg.mmap_threshold)
        k->cfg.mmap_threshold = KS_MMAP_DEFAULT;
    k->irql = PASSIVE_LEVEL;
    k->device = KS_NO_DEVICE;
    k->next_id = 1;
    k->inj.above = UINT64_MAX;
    rmap_init(&k->live);
    rmap_init(&k->ids);
    rmap_init(&k->quar);
    return k;
}

void kshim_delete(struct kshim *k) {
    if (!k)
        return;
    if (ks_bound == k)
        ks_bound = NULL;
    struct ks_block *b = k->all.head;
    while (b) {
        struct ks_block *next = b->all.next;
        ks_block_release(b);
        b = next;
    }
    ks_quarantine_drain(k);
    ks_events_destroy(k);
    free(k);
}

void kshim_bind(struct kshim *k) {
    ks_bound = k;
}

struct kshim *kshim_bound(void) {
    return ks_bound;
}

void kshim_set_irql(struct kshim *k, KIRQL irql) {
    if (k)
        k->irql = irql;
}

KIRQL kshim_irql(const struct kshim *k) {
    return k ? k->irql : PASSIVE_LEVEL;
}

/* Devices are 8-bit in events; anything from KS_NO_DEVICE up is "none". */
void kshim_set_device(struct kshim *k, unsigned device) {
    if (k)
        k->device = (uint8_t)(device < KS_NO_DEVICE ? device : KS_NO_DEVICE);
}

/* ---- injected failures (HS-INJ-1) ---- */

void kshim_inject_next(struct kshim *k, uint32_t n) {
    if (k)
        k->inj.next = n;
}

void kshim_inject_above(struct kshim *k, uint64_t size) {
    if (k)
        k->inj.above = size;
}

void kshim_inject_tag(struct kshim *k, ULONG tag, int on) {
    if (!k)
        return;
    struct ks_inject *in = &k->inj;
    for (size_t i = 0; i < in->ntags; i++) {
        if (in->tags[i] == tag) {
            if (!on)
                in->tags[i] = in->tags[--in->ntags];
            return;
        }
    }
    if (on && in->ntags < KS_INJECT_TAGS_MAX)
        in->tags[in->ntags++] = tag;
}

void kshim_inject_clear(struct kshim *k) {
    if (!k)
        return;
    k->inj.next = 0;
    k->inj.above = UINT64_MAX;
    k->inj.ntags = 0;
}

/* HS-INJ-1: the reason an injection refuses this request, or KS_RF_NONE.
 * Next-N is consumed only by a request it refuses. */
static uint8_t ks_inject_reason(struct kshim *k, uint64_t size, ULONG tag) {
    struct ks_inject *in = &k->inj;
    if (in->next) {
        in->next--;
        return KS_RF_INJECT_NEXT;
    }
    if (size > in->above)
        return KS_RF_INJECT_SIZE;
    for (size_t i = 0; i < in->ntags; i++)
        if (in->tags[i] == tag)
            return KS_RF_INJECT_TAG;
    return KS_RF_NONE;
}

/* ---- allocation ---- */

/* enum kshim_pool of a POOL_TYPE, or -1 for a type drivers may not use. */
static int ks_pool_of(int32_t type) {
    switch (type) {
    case NonPagedPool:
    case NonPagedPoolCacheAligned:
        return KS_NONPAGED;
    case PagedPool:
    case PagedPoolCacheAligned:
        return KS_PAGED;
    default:
        return -1;
    }
}

/* HS-CAP-1: refuse exactly when used + size > capacity, 0-byte requests
 * counting one byte; written so that no sum can wrap (used <= capacity
 * always holds, so capacity - used cannot). */
static int ks_fits(const struct kshim *k, int pool, uint64_t size) {
    uint64_t span = size ? size : 1;
    return span <= k->cfg.capacity[pool] - k->used[pool];
}

static void *ks_refuse(struct kshim *k, struct kshim_event ev, uint8_t reason) {
    ev.kind = KS_EV_REFUSE;
    ev.reason = reason;
    ks_event_push(k, &ev);
    return NULL;
}

/* Make b live: give it an id and put it in every index. 0 on a clash. */
static int ks_block_link(struct kshim *k, struct ks_block *b, int pool,
                         ULONG tag) {
    if (rmap_insert(&k->live, &b->range, NULL) != 0)
        return 0; /* the host handed out live memory twice: cannot happen */
    b->info.pool = (uint8_t)pool;
    b->info.device = k->device;
    b->info.tag = tag;
    b->info.id = k->next_id++;
    b->idnode.start = (uintptr_t)b->info.id;
    b->idnode.end = (uintptr_t)b->info.id + 1;
    rmap_insert(&k->ids, &b->idnode, NULL);
    ks_list_append(&k->all, b, offsetof(struct ks_block, all));
    ks_list_append(&k->devs[b->info.device], b, offsetof(struct ks_block, dev));
    k->used[pool] += ks_block_span(b);
    return 1;
}

/* Violations and notes about a request of a valid type. */
static void ks_alloc_checks(struct kshim *k, struct kshim_event ev) {
    if (ev.pool == KS_PAGED && k->irql >= DISPATCH_LEVEL) /* IRQL-1 */
        ks_event_cite(k, ev, KS_EV_VIOLATION, "IRQL-1",
                      "paged pool requested at DISPATCH_LEVEL or above");
    if (ev.size == 0) /* KP-ZERO-1 */
        ks_event_cite(
            k, ev, KS_EV_NOTE, "KP-ZERO-1",
            "zero-byte pool request served as one byte (Driver Verifier: "
            "bug check 0xC4/0x0)");
}

static void *ks_alloc(struct kshim *k, int32_t type, uint64_t size, ULONG tag) {
    struct kshim_event ev = ks_event_ctx(k, KS_EV_REFUSE);
    ev.type = type;
    ev.size = size;
    ev.tag = tag;
    k->requests++;
    int pool = ks_pool_of(type);
    if (pool < 0) { /* KP-TYPE-1 */
        ks_event_cite(k, ev, KS_EV_VIOLATION, "KP-TYPE-1",
                      "pool type other than 0, 1, 4, 5 requested");
        return ks_refuse(k, ev, KS_RF_BAD_TYPE);
    }
    ev.pool = (uint8_t)pool;
    ks_alloc_checks(k, ev);
    uint8_t reason = ks_inject_reason(k, size, tag); /* HS-INJ-1 */
    if (!reason && !ks_fits(k, pool, size))          /* HS-CAP-1 */
        reason = KS_RF_CAPACITY;
    if (reason)
        return ks_refuse(k, ev, reason);
    struct ks_block *b = ks_block_new(k, type, size); /* HS-ALIGN-1 */
    if (!b)
        return ks_refuse(k, ev, KS_RF_HOST);
    if (!ks_block_link(k, b, pool, tag)) {
        ks_block_release(b);
        return ks_refuse(k, ev, KS_RF_HOST);
    }
    struct kshim_event ok = ks_event_block(k, KS_EV_ALLOC, b);
    ks_event_push(k, &ok);
    return (void *)b->info.addr;
}

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                            ULONG Tag) {
    struct kshim *k = ks_bound;
    if (!k)
        return NULL;
    return ks_alloc(k, (int32_t)PoolType, (uint64_t)NumberOfBytes, Tag);
}

/* ---- free ---- */

/* The live block p starts, or NULL after recording why p may not be freed
 * (KP-FREE-1, KP-FREE-2). Never touches memory at p. */
static struct ks_block *ks_free_target(struct kshim *k, uintptr_t p,
                                       ULONG tag) {
    struct kshim_event ev = ks_event_ctx(k, KS_EV_VIOLATION);
    struct rmap_node *n = p ? rmap_find(&k->live, p) : NULL;
    struct ks_block *b = n ? ks_block_of_range(n) : NULL;
    if (b && b->info.addr == p)
        return b;
    const char *clause = "KP-FREE-1", *detail = "free of NULL";
    if (b) {
        detail = "free of a pointer inside a live block";
    } else if (p && (n = rmap_find(&k->quar, p)) != NULL) {
        b = ks_block_of_range(n);
        clause = "KP-FREE-2";
        detail = b->info.addr == p ? "block freed twice"
                                   : "free of a pointer inside a freed block";
    } else if (p) {
        detail = "free of an address the pool never handed out";
    }
    if (b)
        ev = ks_event_block(k, KS_EV_VIOLATION, b);
    ev.addr = p;
    ev.tag = tag;
    ks_event_cite(k, ev, KS_EV_VIOLATION, clause, detail);
    return NULL;
}

/* Take b out of the live indexes and give its bytes back to its pool. */
static void ks_block_unlink(struct kshim *k, struct ks_block *b) {
    rmap_remove(&k->live, &b->range);
    rmap_remove(&k->ids, &b->idnode);
    ks_list_unlink(&k->all, b, offsetof(struct ks_block, all));
    ks_list_unlink(&k->devs[b->info.device], b, offsetof(struct ks_block, dev));
    k->used[b->info.pool] -= ks_block_span(b);
}

static void ks_free(struct kshim *k, PVOID p, ULONG tag, int with_tag) {
    struct ks_block *b = ks_free_target(k, (uintptr_t)p, tag);
    if (!b)
        return;
    struct kshim_event ev = ks_event_block(k, KS_EV_FREE, b);
    ev.tag = tag;
    if (b->info.pool == KS_PAGED && k->irql >= DISPATCH_LEVEL) /* IRQL-1 */
        ks_event_cite(k, ev, KS_EV_VIOLATION, "IRQL-1",
                      "paged pool freed at DISPATCH_LEVEL or above");
    if (with_tag && tag != b->info.tag) /* KP-TAG-1 */
        ks_event_cite(k, ev, KS_EV_VIOLATION, "KP-TAG-1",
                      "ExFreePoolWithTag tag differs from the block's");
    if (!ks_guard_intact(b)) /* KP-OVR-1 */
        ks_event_cite(k, ev, KS_EV_VIOLATION, "KP-OVR-1",
                      "guard bytes after the block overwritten");
    ks_event_push(k, &ev);
    ks_block_unlink(k, b);
    ks_quarantine_push(k, b); /* KP-FREE-2 */
}

VOID ExFreePoolWithTag(PVOID P, ULONG Tag) {
    struct kshim *k = ks_bound;
    if (k)
        ks_free(k, P, Tag, 1);
}

VOID ExFreePool(PVOID P) {
    struct kshim *k = ks_bound;
    if (k)
        ks_free(k, P, 0, 0);
}

KIRQL KeGetCurrentIrql(void) {
    struct kshim *k = ks_bound;
    return k ? k->irql : PASSIVE_LEVEL;
}

/* ---- accessors ---- */

int kshim_find_block(const struct kshim *k, const void *p,
                     struct kshim_block_info *out) {
    struct rmap_node *n = k ? rmap_find(&k->live, (uintptr_t)p) : NULL;
    if (!n)
        return 0;
    if (out)
        *out = ks_block_of_range(n)->info;
    return 1;
}

int kshim_block_is_live(const struct kshim *k, uint64_t block_id) {
    if (!k || block_id == 0 || block_id > UINTPTR_MAX - 1)
        return 0;
    return rmap_find(&k->ids, (uintptr_t)block_id) != NULL;
}

uint64_t kshim_capacity(const struct kshim *k, enum kshim_pool pool) {
    return k && (unsigned)pool < 2 ? k->cfg.capacity[pool] : 0;
}

uint64_t kshim_used(const struct kshim *k, enum kshim_pool pool) {
    return k && (unsigned)pool < 2 ? k->used[pool] : 0;
}

size_t kshim_live_blocks(const struct kshim *k) {
    return k ? k->live.count : 0;
}

size_t kshim_quarantined(const struct kshim *k) {
    return k ? k->quar.count : 0;
}

uint64_t kshim_requests(const struct kshim *k) {
    return k ? k->requests : 0;
}
