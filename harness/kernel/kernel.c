/*
 * kernel.c: lifecycle and binding of the kernel stand-in, the pool
 * allocate and free path every kernel call goes through (and the calls
 * that are nothing more: ExAllocatePoolWithTag, ExFreePoolWithTag,
 * ExFreePool, KeGetCurrentIrql), injected failures and the accessors.
 *
 * An allocation request goes through, in this order, each step recording
 * its events before the one KN_EV_ALLOC or KN_EV_REFUSE that ends it:
 *   type (KP-TYPE-1) -> IRQL (IRQL-1) -> zero size (KP-ZERO-1)
 *   -> injection (HS-INJ-1) -> capacity (HS-CAP-1) -> host memory.
 * A free goes through: address (KP-FREE-1, KP-FREE-2) -> IRQL (IRQL-1)
 *   -> tag (KP-TAG-1) -> lookaside cache (LL-2) -> guard (KP-OVR-1)
 *   -> KN_EV_FREE -> quarantine.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel_internal.h"

/* The kernel the context-free Ex* entry points act on, one per thread: the
 * shim's only mutable global. Set by kernel_bind, cleared by kernel_delete of
 * the bound kernel on the same thread. A struct kernel itself is not locked:
 * bind it to one thread at a time. */
static _Thread_local struct kernel *kn_bound;

struct kernel *kernel_new(const struct kernel_config *cfg) {
    if (kn_exports_count == 0 || !kn_exports[0])
        return NULL; /* cannot happen: keeps every kernel call linked in */
    struct kernel *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    if (cfg)
        k->cfg = *cfg;
    if (!k->cfg.quarantine_max)
        k->cfg.quarantine_max = KN_QUARANTINE_DEFAULT;
    if (!k->cfg.page_threshold ||
        k->cfg.page_threshold > KN_PAGE_THRESHOLD_DEFAULT)
        k->cfg.page_threshold = KN_PAGE_THRESHOLD_DEFAULT;
    k->irql = PASSIVE_LEVEL;
    k->device = KN_NO_DEVICE;
    for (unsigned t = 0; t < KN_THREADS; t++) {
        k->cpu[t].irql = PASSIVE_LEVEL;
        k->cpu[t].device = KN_NO_DEVICE;
    }
    k->next_id = 1;
    k->inj.above = UINT64_MAX;
    k->arena = kn_arena_get();
    if (!k->arena) {
        free(k);
        return NULL;
    }
    return k;
}

void kernel_delete(struct kernel *k) {
    if (!k)
        return;
    if (kn_bound == k)
        kn_bound = NULL;
    kn_arena_put(k->arena); /* every block, live or quarantined */
    kn_events_destroy(k);
    kn_lookasides_destroy(k);
    free(k);
}

void kernel_bind(struct kernel *k) {
    kn_bound = k;
}

struct kernel *kernel_bound(void) {
    return kn_bound;
}

struct kernel *kn_enter(const char *routine) {
    struct kernel *k = kn_bound;
    if (!k) {
        kn_stray(routine);
        return NULL;
    }
    kn_switch_point(k);
    return k;
}

void kernel_set_irql(struct kernel *k, KIRQL irql) {
    if (k)
        k->irql = irql;
}

KIRQL kernel_irql(const struct kernel *k) {
    return k ? k->irql : PASSIVE_LEVEL;
}

void kernel_set_fast_free(struct kernel *k, int on) {
    if (k)
        k->fast_free = on != 0;
}

/* Devices are 8-bit in events; anything from KN_NO_DEVICE up is "none". */
void kernel_set_device(struct kernel *k, unsigned device) {
    if (k)
        k->device = (uint8_t)(device < KN_NO_DEVICE ? device : KN_NO_DEVICE);
}

/* ---- injected failures (HS-INJ-1) ---- */

void kernel_inject_next(struct kernel *k, uint32_t n) {
    if (k)
        k->inj.next = n;
}

void kernel_inject_above(struct kernel *k, uint64_t size) {
    if (k)
        k->inj.above = size;
}

void kernel_inject_tag(struct kernel *k, ULONG tag, int on) {
    if (!k)
        return;
    struct kn_inject *in = &k->inj;
    for (size_t i = 0; i < in->ntags; i++) {
        if (in->tags[i] == tag) {
            if (!on)
                in->tags[i] = in->tags[--in->ntags];
            return;
        }
    }
    if (on && in->ntags < KN_INJECT_TAGS_MAX)
        in->tags[in->ntags++] = tag;
}

void kernel_inject_clear(struct kernel *k) {
    if (!k)
        return;
    k->inj.next = 0;
    k->inj.above = UINT64_MAX;
    k->inj.ntags = 0;
}

/* HS-INJ-1: the reason an injection refuses this request, or KN_RF_NONE.
 * Next-N is consumed only by a request it refuses. */
static uint8_t kn_inject_reason(struct kernel *k, uint64_t size, ULONG tag) {
    struct kn_inject *in = &k->inj;
    if (in->next) {
        in->next--;
        return KN_RF_INJECT_NEXT;
    }
    if (size > in->above)
        return KN_RF_INJECT_SIZE;
    for (size_t i = 0; i < in->ntags; i++)
        if (in->tags[i] == tag)
            return KN_RF_INJECT_TAG;
    return KN_RF_NONE;
}

/* ---- allocation ---- */

/* enum kernel_pool of a POOL_TYPE, or -1 for a type drivers may not use. */
static int kn_pool_of(int32_t type) {
    const struct vpcert_pool_type *t = vpcert_pool_type_of(type);
    return !t ? -1 : t->paged ? KN_PAGED : KN_NONPAGED;
}

/* HS-CAP-1: refuse exactly when used + size > capacity, 0-byte requests
 * counting one byte; written so that no sum can wrap (used <= capacity
 * always holds, so capacity - used cannot). */
static int kn_fits(const struct kernel *k, int pool, uint64_t size) {
    uint64_t span = size ? size : 1;
    VPCERT_INVARIANT(k->used[pool] <= k->cfg.capacity[pool]);
    return span <= k->cfg.capacity[pool] - k->used[pool];
}

static void *kn_refuse(struct kernel *k, struct kernel_event ev,
                       uint8_t reason) {
    ev.kind = KN_EV_REFUSE;
    ev.reason = reason;
    kn_event_push(k, &ev);
    return NULL;
}

/* Make b live: give it an id and put it in every index. 0 if the host
 * refuses memory for the id. Its id cannot be a live one (ids only grow). */
static int kn_block_link(struct kernel *k, struct kn_block *b, int pool,
                         ULONG tag) {
    VPCERT_INVARIANT(kn_id_block(k->arena, k->next_id) == NULL);
    if (kn_id_set(k->arena, k->next_id, b) != 0)
        return 0;
    b->info.pool = (uint8_t)pool;
    b->info.device = k->device;
    b->info.tag = tag;
    b->info.id = k->next_id++;
    k->nlive++;
    kn_list_append(&k->all, b, offsetof(struct kn_block, all));
    kn_list_append(&k->devs[b->info.device], b, offsetof(struct kn_block, dev));
    k->used[pool] += kn_block_span(b);
    return 1;
}

/* IRQL-1: why touching pool of this kind now is wrong, or NULL if it is
 * not. */
static const char *kn_pool_irql(const struct kernel *k, int paged,
                                int freeing) {
    if (k->irql > DISPATCH_LEVEL)
        return freeing ? "pool freed above DISPATCH_LEVEL"
                       : "pool requested above DISPATCH_LEVEL";
    if (!paged || k->irql < DISPATCH_LEVEL)
        return NULL;
    if (kn_spin_lock_held(k))
        return freeing ? "paged pool freed while a spin lock is held "
                         "(DISPATCH_LEVEL)"
                       : "paged pool requested while a spin lock is held "
                         "(DISPATCH_LEVEL)";
    return freeing ? "paged pool freed at DISPATCH_LEVEL or above"
                   : "paged pool requested at DISPATCH_LEVEL or above";
}

/* Violations and notes about a request of a valid type. */
static void kn_alloc_checks(struct kernel *k, struct kernel_event ev) {
    const char *irql = kn_pool_irql(k, ev.pool == KN_PAGED, 0);
    if (irql) /* IRQL-1 */
        kn_event_cite(k, ev, KN_EV_VIOLATION, "IRQL-1", irql);
    if (ev.size == 0) /* KP-ZERO-1 */
        kn_event_cite(
            k, ev, KN_EV_NOTE, "KP-ZERO-1",
            "zero-byte pool request served as one byte (Driver Verifier: "
            "bug check 0xC4/0x0)");
}

void *kn_pool_alloc(struct kernel *k, int32_t type, uint64_t size, ULONG tag) {
    struct kernel_event ev = kn_event_ctx(k, KN_EV_REFUSE);
    ev.type = type;
    ev.size = size;
    ev.tag = tag;
    k->requests++;
    int pool = kn_pool_of(type);
    if (pool < 0) { /* KP-TYPE-1 */
        kn_event_cite(k, ev, KN_EV_VIOLATION, "KP-TYPE-1",
                      "pool type other than 0, 1, 4, 5 requested");
        return kn_refuse(k, ev, KN_RF_BAD_TYPE);
    }
    ev.pool = (uint8_t)pool;
    kn_alloc_checks(k, ev);
    uint8_t reason = kn_inject_reason(k, size, tag); /* HS-INJ-1 */
    if (!reason && !kn_fits(k, pool, size))          /* HS-CAP-1 */
        reason = KN_RF_CAPACITY;
    if (reason)
        return kn_refuse(k, ev, reason);
    struct kn_block *b = kn_block_new(k, type, size); /* HS-ALIGN-1 */
    if (!b)
        return kn_refuse(k, ev, KN_RF_HOST);
    if (!kn_block_link(k, b, pool, tag)) {
        kn_block_release(k, b);
        return kn_refuse(k, ev, KN_RF_HOST);
    }
    struct kernel_event ok = kn_event_block(k, KN_EV_ALLOC, b);
    kn_event_push(k, &ok);
    return (void *)b->info.addr;
}

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                            ULONG Tag) {
    struct kernel *k = kn_enter("ExAllocatePoolWithTag");
    if (!k)
        return NULL;
    return kn_pool_alloc(k, (int32_t)PoolType, (uint64_t)NumberOfBytes, Tag);
}

/* ---- free ---- */

/* The live block p starts, or NULL after recording why p may not be freed
 * (KP-FREE-1, KP-FREE-2). Never touches memory at p. */
static struct kn_block *kn_free_target(struct kernel *k, uintptr_t p,
                                       ULONG tag) {
    struct kernel_event ev = kn_event_ctx(k, KN_EV_VIOLATION);
    struct kn_block *b = p ? kn_arena_find(k->arena, p) : NULL;
    if (b && b->slot.state == KN_SLOT_FREE)
        b = NULL; /* released to the host: never handed out, as far as the
                     pool can tell */
    if (b && b->slot.state == KN_SLOT_LIVE && b->info.addr == p)
        return b;
    const char *clause = "KP-FREE-1", *detail = "free of NULL";
    if (b && b->slot.state == KN_SLOT_LIVE) {
        detail = "free of a pointer inside a live block";
    } else if (b) {
        clause = "KP-FREE-2";
        detail = b->info.addr == p ? "block freed twice"
                                   : "free of a pointer inside a freed block";
    } else if (p) {
        detail = "free of an address the pool never handed out";
    }
    if (b)
        ev = kn_event_block(k, KN_EV_VIOLATION, b);
    ev.addr = p;
    ev.tag = tag;
    kn_event_cite(k, ev, KN_EV_VIOLATION, clause, detail);
    return NULL;
}

/* Take b out of the live indexes and give its bytes back to its pool. */
static void kn_block_unlink(struct kernel *k, struct kn_block *b) {
    kn_id_set(k->arena, b->info.id, NULL); /* its entry exists: no failure */
    k->nlive--;
    kn_list_unlink(&k->all, b, offsetof(struct kn_block, all));
    kn_list_unlink(&k->devs[b->info.device], b, offsetof(struct kn_block, dev));
    VPCERT_INVARIANT(k->used[b->info.pool] >= kn_block_span(b));
    k->used[b->info.pool] -= kn_block_span(b);
}

/* KP-TAG-1, as the kernel compares tags on free: a Tag of 0 (what
 * ExFreePool passes) skips the comparison; a non-zero one must agree with
 * the block's once the PROTECTED_POOL bit is cleared on both sides. */
static int kn_free_tag_ok(ULONG block_tag, ULONG passed) {
    return passed == 0 ||
           ((block_tag ^ passed) & ~(ULONG)KN_PROTECTED_POOL) == 0;
}

void kn_pool_free(struct kernel *k, void *p, ULONG tag) {
    struct kn_block *b = kn_free_target(k, (uintptr_t)p, tag);
    if (!b)
        return;
    struct kernel_event ev = kn_event_block(k, KN_EV_FREE, b);
    ev.tag = tag;
    const char *irql = kn_pool_irql(k, b->info.pool == KN_PAGED, 1);
    if (irql) /* IRQL-1 */
        kn_event_cite(k, ev, KN_EV_VIOLATION, "IRQL-1", irql);
    if (!kn_free_tag_ok(b->info.tag, tag)) /* KP-TAG-1 */
        kn_event_cite(k, ev, KN_EV_VIOLATION, "KP-TAG-1",
                      "the tag passed to the free differs from the block's");
    if (b->cached) /* LL-2 */
        kn_event_cite(k, ev, KN_EV_VIOLATION, "LL-2",
                      "block freed while a lookaside list caches it");
    if (!kn_guard_intact(b)) /* KP-OVR-1 */
        kn_event_cite(k, ev, KN_EV_VIOLATION, "KP-OVR-1",
                      "guard bytes after the block overwritten");
    kn_event_push(k, &ev);
    kn_block_unlink(k, b);
    kn_quarantine_push(k, b); /* KP-FREE-2 */
}

VOID ExFreePoolWithTag(PVOID P, ULONG Tag) {
    struct kernel *k = kn_enter("ExFreePoolWithTag");
    if (!k)
        return;
    kn_pool_free(k, P, Tag);
}

/* ExFreePool(P) is ExFreePoolWithTag(P, 0), as in the kernel. */
VOID ExFreePool(PVOID P) {
    ExFreePoolWithTag(P, 0);
}

KIRQL KeGetCurrentIrql(void) {
    struct kernel *k = kn_bound;
    return k ? k->irql : PASSIVE_LEVEL;
}

/* ---- accessors ---- */

int kernel_find_block(const struct kernel *k, const void *p,
                      struct kernel_block_info *out) {
    struct kn_block *b = k ? kn_live_at(k, (uintptr_t)p) : NULL;
    if (!b)
        return 0;
    if (out)
        *out = b->info;
    return 1;
}

int kernel_block_is_live(const struct kernel *k, uint64_t block_id) {
    if (!k || block_id == 0)
        return 0;
    return kn_id_block(k->arena, block_id) != NULL;
}

int kernel_block_in_use(const struct kernel *k, uint64_t block_id) {
    const struct kn_block *b =
        k && block_id ? kn_id_block(k->arena, block_id) : NULL;
    return b && !b->cached;
}

int kernel_block_kept_by(const struct kernel *k, uint64_t block_id,
                         unsigned thread) {
    const struct kn_block *b =
        k && block_id ? kn_id_block(k->arena, block_id) : NULL;
    return b && !b->cached && (!b->taker || b->taker == thread + 1);
}

struct kn_block *kn_live_block(const struct kernel *k, uintptr_t addr) {
    struct kn_block *b = kn_live_at(k, addr);
    return b && b->info.addr == addr ? b : NULL;
}

uint64_t kernel_capacity(const struct kernel *k, enum kernel_pool pool) {
    return k && (unsigned)pool < 2 ? k->cfg.capacity[pool] : 0;
}

uint64_t kernel_used(const struct kernel *k, enum kernel_pool pool) {
    return k && (unsigned)pool < 2 ? k->used[pool] : 0;
}

size_t kernel_live_blocks(const struct kernel *k) {
    return k ? k->nlive : 0;
}

size_t kernel_quarantined(const struct kernel *k) {
    return k ? k->q[0].count + k->q[1].count : 0;
}

uint64_t kernel_requests(const struct kernel *k) {
    return k ? k->requests : 0;
}
