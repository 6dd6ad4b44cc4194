/*
 * kernel_arena.c: the host memory behind pool blocks. One address-space
 * reservation per arena, made once, never mapped or unmapped per block:
 *
 *   base                    base + heap_bytes               + map_bytes
 *   |<- heap region: runs ->|<- map region: lanes | overflow ->|
 *
 * readable and writable (MAP_NORESERVE) and lazily backed: an untouched
 * page costs nothing, so a 4 GiB block costs what its touched ends cost.
 * Slots are carved from the regions by kernel_slots.c; this file owns the
 * reservation, the block records, live block ids and address lookup.
 *
 * An arena is reused by the next kernel (kn_arena_get after kn_arena_put):
 * placement is a function of the kernel's own calls, so consecutive runs
 * put their blocks at the same addresses and touch pages that are already
 * resident. kn_arena_put keeps that memory within budgets: the heap region
 * above KN_HEAP_KEEP is given back (madvise) once the kernels since the
 * last trim used more than twice what the last one did, and the map region is
 * replaced by a fresh mapping (pages and page tables freed) once blocks
 * have used more than KN_REGIONS_MAX distinct 2 MiB regions of it (each
 * costs a page table and a few pages) and more than twice what the last
 * kernel used, so that a long campaign whose layouts keep changing does
 * not accumulate them, and a program that needs many does not fault them
 * all in again on every run.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kernel_internal.h"
#include "vpcert/wraps.h"

#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

#define KN_RECS_CHUNK 1024u               /* records per allocation */
#define KN_RECS_KEEP 16u                  /* record chunks kept when idle */
#define KN_HEAP_KEEP ((uint64_t)64 << 20) /* heap bytes kept resident */
#define KN_REGIONS 16384u                 /* region set slots (power of 2) */
#define KN_REGIONS_MAX 4096u              /* distinct regions before remap */

/* Region sizes tried, largest first: the host's address space decides. */
static const uint64_t kn_sizes[][2] = {
    {(uint64_t)64 << 30, (uint64_t)16 << 40}, /* heap 64 GiB, map 16 TiB */
    {(uint64_t)64 << 30, (uint64_t)1 << 40},
    {(uint64_t)4 << 30, (uint64_t)64 << 30},
    {(uint64_t)1 << 30, (uint64_t)8 << 30}, /* e.g. under valgrind */
};

/* Arenas given back, kept for the next kernels (any thread), last given
 * back first, linked by next_idle. There are as many arenas as kernels
 * ever alive at once (one, in every vpcert command), and none is freed:
 * what an idle one holds is trimmed to the budgets. */
static atomic_flag kn_idle_lock = ATOMIC_FLAG_INIT;
static struct kn_arena *kn_idle;

static void kn_idle_take(void) {
    while (
        atomic_flag_test_and_set_explicit(&kn_idle_lock, memory_order_acquire))
        ; /* held for a few instructions */
}

static void kn_idle_give(void) {
    atomic_flag_clear_explicit(&kn_idle_lock, memory_order_release);
}

/* ---- reservation ---- */

static void *kn_map_rw(void *at, uint64_t len) {
    int fixed = at ? MAP_FIXED : 0;
    void *p = mmap(at, (size_t)len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | fixed, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static struct kn_arena *kn_arena_new(void) {
    struct kn_arena *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    for (size_t i = 0; !a->res && i < sizeof kn_sizes / sizeof kn_sizes[0];
         i++) {
        a->res = kn_map_rw(NULL, kn_sizes[i][0] + kn_sizes[i][1] + KN_RUN);
        a->heap_bytes = kn_sizes[i][0];
        a->map_bytes = kn_sizes[i][1];
    }
    a->base = ((uintptr_t)a->res + KN_RUN - 1) & ~(uintptr_t)(KN_RUN - 1);
    a->runmap =
        a->res ? kn_map_rw(NULL, a->heap_bytes / KN_RUN * sizeof *a->runmap)
               : NULL;
    a->regions = calloc(KN_REGIONS, sizeof *a->regions);
    if (!a->res || !a->runmap || !a->regions) { /* the host refused */
        if (a->res)
            munmap(a->res, (size_t)(a->heap_bytes + a->map_bytes + KN_RUN));
        if (a->runmap)
            munmap(a->runmap,
                   (size_t)(a->heap_bytes / KN_RUN * sizeof *a->runmap));
        free(a->regions);
        free(a);
        return NULL;
    }
    kn_slots_init(a);
    rmap_init(&a->map);
    return a;
}

struct kn_arena *kn_arena_get(void) {
    kn_idle_take();
    struct kn_arena *a = kn_idle;
    if (a)
        kn_idle = a->next_idle;
    kn_idle_give();
    return a ? a : kn_arena_new();
}

/* Memory beyond the budgets goes back to the host (see the top). */
static void kn_arena_trim(struct kn_arena *a) {
    while (a->nchunks > KN_RECS_KEEP) /* records of a very long run */
        free(a->chunks[--a->nchunks]);
    if (a->heap_hwm > KN_HEAP_KEEP && a->heap_hwm > 2 * a->heap_top) {
        madvise((void *)(a->base + KN_HEAP_KEEP),
                (size_t)(a->heap_hwm - KN_HEAP_KEEP), MADV_DONTNEED);
        a->heap_hwm = KN_HEAP_KEEP;
    }
    /* A fresh mapping frees pages and page tables and undoes every
     * protection, at the price of faulting in what the next kernel
     * touches: only when the regions used keep growing. */
    void *m = (void *)(a->base + a->heap_bytes);
    uint64_t used = a->regions_now;
    a->regions_now = 0;
    if (a->nregions > KN_REGIONS_MAX && a->nregions > 2 * used &&
        kn_map_rw(m, a->map_hwm)) {
        memset(a->regions, 0, KN_REGIONS * sizeof *a->regions);
        a->nregions = 0;
        a->map_hwm = 0;
        for (unsigned c = 0; c < KN_CLASSES; c++)
            memset(a->lanes[c].locked, 0, sizeof a->lanes[c].locked);
    }
}

void kn_arena_put(struct kn_arena *a) {
    if (!a)
        return;
    for (size_t i = 0; i < a->nrecs; i++) {
        struct kn_block *b = &a->chunks[i / KN_RECS_CHUNK][i % KN_RECS_CHUNK];
        kn_block_unpoison(b);
        if (b->slot.locked && !b->slot.lane)
            kn_slot_lock(a, b, 0); /* lane slots stay locked (kn_lane_open) */
    }
    kn_arena_trim(a);
    kn_slots_reset(a);
    if (a->id_top)
        memset(a->by_id, 0, (size_t)a->id_top * sizeof *a->by_id);
    a->id_top = 0;
    a->nrecs = 0;
    rmap_init(&a->map);
    kn_idle_take();
    a->next_idle = kn_idle;
    kn_idle = a;
    kn_idle_give();
}

/* Note that the map region's 2 MiB region holding offset off is used. */
VPCERT_WRAPS void kn_region_note(struct kn_arena *a, uint64_t off) {
    uint32_t r = (uint32_t)(off >> 21) + 1;
    a->regions_now++;
    uint32_t h = (r * 2654435761u) & (KN_REGIONS - 1);
    while (a->regions[h] && a->regions[h] != r)
        h = (h + 1) & (KN_REGIONS - 1);
    if (!a->regions[h] && a->nregions < KN_REGIONS / 2) {
        a->regions[h] = r;
        a->nregions++;
    }
}

/* ---- records ---- */

struct kn_block *kn_record(struct kn_arena *a) {
    size_t c = a->nrecs / KN_RECS_CHUNK;
    if (c == a->nchunks) {
        struct kn_block **v = realloc(a->chunks, (c + 1) * sizeof *v);
        if (v)
            a->chunks = v;
        if (!v || !(v[c] = malloc(KN_RECS_CHUNK * sizeof **v)))
            return NULL;
        a->nchunks++;
    }
    struct kn_block *b = &a->chunks[c][a->nrecs++ % KN_RECS_CHUNK];
    memset(b, 0, sizeof *b);
    return b;
}

/* The records' slot states against the counts the kernel keeps, and
 * every free list against its class. */
const char *kn_arena_check(const struct kn_arena *a, size_t live,
                           size_t quarantined) {
    size_t n[3] = {0, 0, 0}, listed = 0;
    for (size_t i = 0; i < a->nrecs; i++) {
        const struct kn_block *b =
            &a->chunks[i / KN_RECS_CHUNK][i % KN_RECS_CHUNK];
        if (b->slot.state > KN_SLOT_QUARANTINED)
            return "a record's slot state is unknown";
        n[b->slot.state]++;
    }
    if (n[KN_SLOT_LIVE] != live)
        return "live records differ from the live blocks";
    if (n[KN_SLOT_QUARANTINED] != quarantined)
        return "quarantined records differ from the quarantine";
    for (unsigned f = 0; f < 2; f++)
        for (unsigned c = 0; c < KN_CLASSES; c++)
            for (const struct kn_block *b = a->cls[f][c].free; b;
                 b = b->q_next) {
                if (b->slot.state != KN_SLOT_FREE || b->slot.mapped != f ||
                    b->slot.cls != c)
                    return "a free list holds a slot not free or of another "
                           "class";
                if (++listed > n[KN_SLOT_FREE]) /* a cycle too */
                    return "the free lists hold more slots than are free";
            }
    return NULL;
}

/* ---- lookup ---- */

/* The heap record whose slot holds p, or NULL. */
static struct kn_block *kn_heap_slot_at(const struct kn_arena *a, uintptr_t p) {
    uint32_t ri = a->runmap[(p - a->base) / KN_RUN];
    if (ri == 0 || ri > a->nruns)
        return NULL; /* never carved, or by an earlier kernel */
    const struct kn_run *r = &a->runs[ri - 1];
    if (p < r->start || p - r->start >= r->slot * r->nslots)
        return NULL; /* the entry is an earlier kernel's */
    return r->blocks[(p - r->start) / r->slot];
}

struct kn_block *kn_arena_find(const struct kn_arena *a, uintptr_t p) {
    struct kn_block *b = NULL;
    if (p >= a->base && p - a->base < a->heap_bytes) {
        b = kn_heap_slot_at(a, p);
    } else if (p >= a->base && p - a->base - a->heap_bytes < a->map_bytes) {
        struct rmap_node *n = rmap_find(&a->map, p);
        b = n ? (struct kn_block *)((char *)n -
                                    offsetof(struct kn_block, range))
              : NULL;
    }
    if (!b || p < b->info.addr || p - b->info.addr >= kn_block_span(b))
        return NULL; /* in the slot but outside the block: padding, guard */
    return b;
}

/* ---- live ids ---- */

int kn_id_set(struct kn_arena *a, uint64_t id, struct kn_block *b) {
    if (id >= a->id_cap) {
        size_t n = a->id_cap ? a->id_cap : 1024;
        while (n <= id)
            n *= 2;
        struct kn_block **v = realloc(a->by_id, n * sizeof *v);
        if (!v)
            return -1;
        memset(v + a->id_cap, 0, (n - a->id_cap) * sizeof *v);
        a->by_id = v;
        a->id_cap = n;
    }
    a->by_id[id] = b;
    if (id >= a->id_top)
        a->id_top = id + 1;
    return 0;
}

struct kn_block *kn_id_block(const struct kn_arena *a, uint64_t id) {
    return id < a->id_cap ? a->by_id[id] : NULL;
}
