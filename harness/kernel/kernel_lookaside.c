/*
 * kernel_lookaside.c: lookaside lists. The stand-in keeps each live list
 * in a table of its own, keyed by the address of the caller's
 * NPAGED_LOOKASIDE_LIST or PAGED_LOOKASIDE_LIST, and keeps the WDK's
 * fields of that structure up to date (Depth, Type, Tag, Size, Allocate,
 * Free, the counters). A list caches up to KN_LOOKASIDE_DEPTH freed entries
 * (HS-LL-1): they stay live pool blocks, marked as the list's, filled with
 * the poison byte while cached and with the fresh pattern when handed out
 * again (an entry is never zeroed). Deleting the list frees them. Entries
 * are pool blocks: every allocation goes through the caller's Allocate
 * function or the one pool path of kernel.c.
 *
 * Rules: a list is used only between its initialization and its deletion,
 * through the calls of its kind (LL-3); an entry goes back only to the
 * list it came from, once (LL-2); a list is deleted before its device stops
 * (LL-1, reported by kernel_report_device_leaks); a paged list is not used
 * at DISPATCH_LEVEL (IRQL-1).
 */
#include <stdlib.h>
#include <string.h>

#include "kernel_internal.h"

/* The live list at addr, or NULL. */
static struct kn_lookaside *kn_list_find(struct kernel *k, uintptr_t addr) {
    for (size_t i = 0; i < k->lists.n; i++)
        if (k->lists.v[i].addr == addr)
            return &k->lists.v[i];
    return NULL;
}

static void kn_list_violation(struct kernel *k, uintptr_t addr,
                              const char *clause, const char *detail) {
    struct kernel_event ev = kn_event_ctx(k, KN_EV_VIOLATION);
    ev.addr = addr;
    kn_event_cite(k, ev, KN_EV_VIOLATION, clause, detail);
}

/* The WDK structure of the list, or NULL when it is not 16-byte aligned
 * (LL-3 was recorded when it was initialized: it is never written). */
static GENERAL_LOOKASIDE *kn_general(uintptr_t addr) {
    return addr % 16 ? NULL : (GENERAL_LOOKASIDE *)addr;
}

/* The live list at addr used by a call of kind paged, or NULL after
 * recording why not (LL-3); IRQL-1 for a paged list at DISPATCH_LEVEL. */
static struct kn_lookaside *kn_list_use(struct kernel *k, void *list,
                                        ULONG paged, const char *missing) {
    struct kn_lookaside *l = kn_list_find(k, (uintptr_t)list);
    if (!l) {
        kn_list_violation(k, (uintptr_t)list, "LL-3", missing);
        return NULL;
    }
    if (l->paged != (paged != 0))
        kn_list_violation(k, l->addr, "LL-3",
                          l->paged ? "nonpaged lookaside call on a paged list"
                                   : "paged lookaside call on a nonpaged list");
    if (l->paged && k->irql >= DISPATCH_LEVEL)
        kn_list_violation(k, l->addr, "IRQL-1",
                          "paged lookaside list used at DISPATCH_LEVEL or "
                          "above");
    return l;
}

/* ---- initialize and delete ---- */

/* Fill the caller's structure as the kernel does. */
static void kn_list_publish(const struct kn_lookaside *l) {
    GENERAL_LOOKASIDE *g = kn_general(l->addr);
    if (!g)
        return;
    memset(g, 0, sizeof *g);
    g->Depth = KN_LOOKASIDE_DEPTH;
    g->MaximumDepth = 256;
    g->Type = (POOL_TYPE)l->type;
    g->Tag = l->tag;
    g->Size = (ULONG)l->size;
    g->Allocate = l->alloc ? l->alloc : ExAllocatePoolWithTag;
    g->Free = l->free ? l->free : ExFreePool;
}

/* A new table entry for a list at addr; NULL if the host refuses. */
static struct kn_lookaside *kn_list_add(struct kernel *k, uintptr_t addr) {
    struct kn_lookasides *t = &k->lists;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        struct kn_lookaside *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return NULL;
        t->v = v;
        t->cap = cap;
    }
    struct kn_lookaside *l = &t->v[t->n++];
    memset(l, 0, sizeof *l);
    l->addr = addr;
    l->id = ++t->next_id;
    return l;
}

/* Forget l's cached entries without freeing them (they become plain live
 * blocks, reported as leaks if nobody frees them). */
static void kn_list_uncache(struct kernel *k, struct kn_lookaside *l) {
    for (uint32_t i = 0; i < l->ncached; i++) {
        struct kn_block *b = kn_live_block(k, (uintptr_t)l->cache[i]);
        if (b) {
            b->cached = 0;
            b->lookaside = 0;
        }
    }
    l->ncached = 0;
}

static void kn_list_init(void *list, PALLOCATE_FUNCTION Allocate,
                         PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size,
                         ULONG Tag, ULONG paged) {
    struct kernel *k = kn_enter(paged ? "ExInitializePagedLookasideList"
                                      : "ExInitializeNPagedLookasideList");
    if (!k)
        return;
    uintptr_t addr = (uintptr_t)list;
    struct kn_lookaside *l = kn_list_find(k, addr);
    if (!list || addr % 16)
        kn_list_violation(k, addr, "LL-3",
                          "lookaside list not 16-byte aligned (or NULL)");
    if (l) {
        kn_list_violation(k, addr, "LL-3",
                          "lookaside list initialized again without being "
                          "deleted");
        kn_list_uncache(k, l);
    } else if ((l = kn_list_add(k, addr)) == NULL) {
        return; /* the host refused a few bytes: the list stays unknown */
    }
    l->paged = paged != 0;
    l->device = k->device;
    l->raise = (Flags & POOL_RAISE_IF_ALLOCATION_FAILURE) != 0;
    l->type = vpcert_pool_type_with(paged != 0, 0)->value;
    l->size = (uint64_t)Size;
    l->tag = Tag;
    l->alloc = Allocate;
    l->free = Free;
    if (list)
        kn_list_publish(l);
}

/* Free an entry the way the list frees: its Free function or the pool. */
static void kn_list_release(struct kernel *k, PFREE_FUNCTION free_fn,
                            void *entry) {
    if (free_fn)
        free_fn(entry);
    else
        kn_pool_free(k, entry, 0);
}

static void kn_list_delete(void *list, ULONG paged) {
    struct kernel *k = kn_enter(paged ? "ExDeletePagedLookasideList"
                                      : "ExDeleteNPagedLookasideList");
    if (!k)
        return;
    struct kn_lookaside *l = kn_list_use(
        k, list, paged, "delete of a lookaside list that is not initialized");
    if (!l)
        return;
    /* Out of the table first: the Free function may call back in. */
    struct kn_lookaside gone = *l;
    *l = k->lists.v[--k->lists.n];
    for (uint32_t i = 0; i < gone.ncached; i++) {
        struct kn_block *b = kn_live_block(k, (uintptr_t)gone.cache[i]);
        if (b) {
            b->cached = 0;
            b->lookaside = 0;
        }
        kn_list_release(k, gone.free, gone.cache[i]);
    }
}

VOID ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside,
                                     PALLOCATE_FUNCTION Allocate,
                                     PFREE_FUNCTION Free, ULONG Flags,
                                     SIZE_T Size, ULONG Tag, USHORT Depth) {
    (void)Depth; /* reserved: the system chooses the depth */
    kn_list_init(Lookaside, Allocate, Free, Flags, Size, Tag, 0);
}

VOID ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside,
                                    PALLOCATE_FUNCTION Allocate,
                                    PFREE_FUNCTION Free, ULONG Flags,
                                    SIZE_T Size, ULONG Tag, USHORT Depth) {
    (void)Depth;
    kn_list_init(Lookaside, Allocate, Free, Flags, Size, Tag, 1);
}

VOID ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside) {
    kn_list_delete(Lookaside, 0);
}

VOID ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside) {
    kn_list_delete(Lookaside, 1);
}

/* ---- allocate and free ---- */

/* A new entry on a cache miss: the caller's Allocate function or the pool;
 * the block is marked as the list's. l may move during the call. */
static void *kn_list_make(struct kernel *k, struct kn_lookaside *l) {
    uint32_t id = l->id;
    int raise = l->raise;
    void *e = l->alloc ? l->alloc((POOL_TYPE)l->type, (SIZE_T)l->size, l->tag)
                       : kn_pool_alloc(k, l->type, l->size, l->tag);
    struct kn_block *b = e ? kn_live_block(k, (uintptr_t)e) : NULL;
    if (b)
        b->lookaside = id;
    if (!e && raise) /* EX-1 */
        kn_raise(k, "a lookaside list initialized with "
                    "POOL_RAISE_IF_ALLOCATION_FAILURE could not allocate: "
                    "the exception it raised escaped the service");
    return e;
}

PVOID VpcertAllocateFromLookaside(PVOID Lookaside, ULONG Paged) {
    struct kernel *k = kn_enter(Paged ? "ExAllocateFromPagedLookasideList"
                                      : "ExAllocateFromNPagedLookasideList");
    if (!k)
        return NULL;
    struct kn_lookaside *l =
        kn_list_use(k, Lookaside, Paged,
                    "allocation from a lookaside list that is not initialized");
    if (!l)
        return NULL;
    GENERAL_LOOKASIDE *g = kn_general(l->addr);
    if (g)
        g->TotalAllocates++;
    if (l->ncached) {
        void *e = l->cache[--l->ncached];
        struct kn_block *b = kn_live_block(k, (uintptr_t)e);
        if (b) {
            b->cached = 0;
            b->taker = (uint8_t)(k->thread + 1);
            if (k->cfg.fill) /* HS-LL-1: never handed out zeroed */
                kn_block_repaint(b, KN_FILL_BYTE);
        }
        return e;
    }
    if (g)
        g->AllocateMisses++;
    return kn_list_make(k, l);
}

/* LL-2: why entry may not go back to list l, or NULL. */
static const char *kn_list_foreign(const struct kn_block *b,
                                   const struct kn_lookaside *l) {
    if (!b)
        return "freed to a lookaside list: not the start of a live pool "
               "block";
    if (b->lookaside != l->id)
        return "entry freed to a lookaside list it was not allocated from";
    if (b->cached)
        return "entry freed to its lookaside list twice";
    return NULL;
}

VOID VpcertFreeToLookaside(PVOID Lookaside, PVOID Entry, ULONG Paged) {
    struct kernel *k = kn_enter(Paged ? "ExFreeToPagedLookasideList"
                                      : "ExFreeToNPagedLookasideList");
    if (!k)
        return;
    struct kn_lookaside *l =
        kn_list_use(k, Lookaside, Paged,
                    "free to a lookaside list that is not initialized");
    if (!l)
        return;
    struct kn_block *b = kn_live_block(k, (uintptr_t)Entry);
    const char *why = kn_list_foreign(b, l);
    if (why) {
        kn_list_violation(k, (uintptr_t)Entry, "LL-2", why);
        return;
    }
    GENERAL_LOOKASIDE *g = kn_general(l->addr);
    if (g)
        g->TotalFrees++;
    if (l->ncached < KN_LOOKASIDE_DEPTH) { /* HS-LL-1 */
        l->cache[l->ncached++] = Entry;
        b->cached = 1;
        if (k->cfg.fill)
            kn_block_repaint(b, KN_POISON_BYTE);
        return;
    }
    if (g)
        g->FreeMisses++;
    b->lookaside = 0;
    kn_list_release(k, l->free, Entry);
}

/* ---- reports and teardown ---- */

size_t kn_report_lookasides(struct kernel *k, unsigned device) {
    size_t n = 0;
    for (size_t i = 0; i < k->lists.n; i++) {
        const struct kn_lookaside *l = &k->lists.v[i];
        if (device < KN_NO_DEVICE && l->device != device)
            continue;
        struct kernel_event ev = kn_event_ctx(k, KN_EV_VIOLATION);
        ev.addr = l->addr;
        ev.device = l->device;
        ev.tag = l->tag;
        ev.size = l->size;
        kn_event_cite(k, ev, KN_EV_VIOLATION, "LL-1",
                      device < KN_NO_DEVICE
                          ? "lookaside list not deleted when its device "
                            "stopped"
                          : "lookaside list never deleted");
        n++;
    }
    return n;
}

size_t kernel_lookaside_live(const struct kernel *k) {
    return k ? k->lists.n : 0;
}

void kn_lookasides_destroy(struct kernel *k) {
    free(k->lists.v);
    memset(&k->lists, 0, sizeof k->lists);
}
