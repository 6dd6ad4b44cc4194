/*
 * kernel_slots.c: where in the arena a block goes. Every block gets a slot
 * and a record bound to it for the life of the kernel (a free slot is a
 * record on its class's free list, reused last in first out). Slot sizes
 * come in size classes: multiples of 32 bytes up to 1 KiB, then four per
 * power of two.
 *
 *   heap class  (blocks below the page threshold): slots carved from runs
 *               of at least KN_RUN bytes of one class in the heap region;
 *               kn_arena_find reaches a slot through the run map in O(1).
 *   page class  (the rest): 8 KiB-aligned slots in the map region, found
 *               through a range map, made inaccessible (PROT_NONE) while
 *               freed. The first KN_LANE_SLOTS slots of each class up to
 *               KN_LANE_MAX bytes sit in the class's lane, at the same
 *               place in every run; the rest are carved back to back in
 *               the overflow area.
 *
 * A lane slot left inaccessible stays so when the kernel goes (its lane
 * remembers it), and the next kernels carve the lane's accessible slots
 * past it; only when none is left past the lane's next slot are the
 * locked ones there made accessible again, with one protection change
 * for all of them. A freed block costs one protection change, and its
 * slot's return a share of one per lap of the lane (KN_LANE_SLOTS slots),
 * whatever the block's size, instead of one per kernel.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kernel_internal.h"

#define KN_LANE_MAX ((uint64_t)8 << 30) /* largest slot with a lane */
#define KN_WINDOW ((uint64_t)64 << 10)  /* ends of a block assumed used */

/* ---- size classes ---- */

/* Bytes in a slot of class c (c >= 1). */
static uint64_t kn_class_size(unsigned c) {
    if (c <= 32)
        return (uint64_t)c * 32;
    unsigned k = 10 + (c - 33) / 4, j = (c - 33) % 4;
    return ((uint64_t)1 << k) + ((uint64_t)(j + 1) << (k - 2));
}

/* The smallest class of at least n bytes (1 <= n <= 2^41). */
static unsigned kn_class_of(uint64_t n) {
    if (n <= 1024)
        return (unsigned)((n + 31) / 32);
    unsigned k = 63u - (unsigned)__builtin_clzll(n - 1); /* 2^k < n */
    uint64_t step = (uint64_t)1 << (k - 2);
    unsigned j = (unsigned)((n - ((uint64_t)1 << k) + step - 1) / step) - 1;
    return 33 + 4 * (k - 10) + j;
}

/* The smallest class of at least n bytes whose size is a multiple of m. */
static unsigned kn_class_aligned(uint64_t n, uint64_t m) {
    unsigned c = kn_class_of(n);
    while (kn_class_size(c) % m) /* at most three steps */
        c++;
    return c;
}

void kn_slots_init(struct kn_arena *a) {
    uint64_t off = 0;
    for (unsigned c = 1; c < KN_CLASSES; c++) {
        uint64_t s = kn_class_size(c);
        a->lanes[c].off = UINT64_MAX;
        if (s % KN_MAP_ALIGN || s > KN_LANE_MAX ||
            KN_LANE_SLOTS * s > a->map_bytes / 2 - off)
            continue;
        a->lanes[c].off = off;
        off += KN_LANE_SLOTS * s;
    }
    a->ovf_base = off;
    kn_slots_reset(a);
}

void kn_slots_reset(struct kn_arena *a) {
    for (unsigned f = 0; f < 2; f++)
        for (unsigned c = 0; c < KN_CLASSES; c++) {
            a->cls[f][c].free = NULL;
            a->cls[f][c].run = KN_NO_RUN;
            a->cls[f][c].next = 0;
        }
    a->nruns = 0;
    a->heap_top = 0;
    a->ovf_top = 0;
}

/* ---- heap class ---- */

/* A new run for class c in the heap region; its index, or KN_NO_RUN. */
static uint32_t kn_run_new(struct kn_arena *a, unsigned c) {
    uint64_t s = kn_class_size(c);
    uint64_t len = s < KN_RUN ? KN_RUN : (s + KN_RUN - 1) / KN_RUN * KN_RUN;
    if (len > a->heap_bytes - a->heap_top)
        return KN_NO_RUN;
    if (a->nruns == a->runs_cap) {
        uint32_t cap = a->runs_cap ? a->runs_cap * 2 : 64;
        struct kn_run *v = realloc(a->runs, cap * sizeof *v);
        if (!v)
            return KN_NO_RUN;
        memset(v + a->runs_cap, 0, (cap - a->runs_cap) * sizeof *v);
        a->runs = v;
        a->runs_cap = cap;
    }
    struct kn_run *r = &a->runs[a->nruns];
    uint32_t n = (uint32_t)(len / s);
    if (n > r->cap) {
        struct kn_block **v = realloc(r->blocks, n * sizeof *v);
        if (!v)
            return KN_NO_RUN;
        r->blocks = v;
        r->cap = n;
    }
    memset(r->blocks, 0, n * sizeof *r->blocks);
    r->start = a->base + (uintptr_t)a->heap_top;
    r->slot = s;
    r->nslots = n;
    for (uint64_t g = a->heap_top / KN_RUN; g < (a->heap_top + len) / KN_RUN;
         g++)
        a->runmap[g] = a->nruns + 1;
    a->heap_top += len;
    if (a->heap_top > a->heap_hwm)
        a->heap_hwm = a->heap_top;
    return a->nruns++;
}

/* Carve a new heap slot of class c: its record, or NULL. */
static struct kn_block *kn_heap_carve(struct kn_arena *a, unsigned c) {
    struct kn_class *k = &a->cls[0][c];
    if (k->run == KN_NO_RUN || k->next == a->runs[k->run].nslots) {
        k->run = kn_run_new(a, c);
        k->next = 0;
        if (k->run == KN_NO_RUN)
            return NULL;
    }
    struct kn_block *b = kn_record(a);
    if (!b)
        return NULL;
    struct kn_run *r = &a->runs[k->run];
    b->slot.start = r->start + (uintptr_t)(k->next * r->slot);
    b->slot.size = r->slot;
    b->slot.cls = (uint16_t)c;
    r->blocks[k->next++] = b;
    return b;
}

/* ---- page class ---- */

/* The 2 MiB regions a page slot's block may touch: its ends. */
static void kn_regions_of(struct kn_arena *a, const struct kn_block *b) {
    uint64_t off = b->slot.start - (a->base + a->heap_bytes);
    uint64_t len = b->slot.size, w = len < KN_WINDOW ? len : KN_WINDOW;
    kn_region_note(a, off);
    kn_region_note(a, off + w - 1);
    kn_region_note(a, off + len - w);
    kn_region_note(a, off + len - 1);
    if (off + len > a->map_hwm)
        a->map_hwm = off + len;
}

/* The first slot of the lane of class c at or past slot k that is
 * accessible. If every one is locked (left so by earlier kernels: this
 * kernel has not carved them), they are unlocked at once and k is the
 * answer; KN_LANE_SLOTS if that fails. */
static uint32_t kn_lane_open(struct kn_arena *a, unsigned c, uint32_t k) {
    struct kn_lane *l = &a->lanes[c];
    for (uint32_t i = k; i < KN_LANE_SLOTS; i++)
        if (!(l->locked[i / 64] >> (i % 64) & 1))
            return i;
    if (k == KN_LANE_SLOTS)
        return k;
    uint64_t s = kn_class_size(c);
    void *p = (void *)(a->base + a->heap_bytes + l->off + k * s);
    if (mprotect(p, (size_t)((KN_LANE_SLOTS - k) * s),
                 PROT_READ | PROT_WRITE) != 0)
        return KN_LANE_SLOTS;
    for (uint32_t i = k; i < KN_LANE_SLOTS; i++)
        l->locked[i / 64] &= ~((uint64_t)1 << (i % 64));
    return k;
}

/* Carve a new page slot for n bytes: the next accessible slot of the lane
 * of class c, else s = n rounded up to KN_MAP_ALIGN in the overflow area. */
static struct kn_block *kn_map_carve(struct kn_arena *a, unsigned c,
                                     uint64_t n) {
    struct kn_lane *l = &a->lanes[c];
    uint32_t *next = &a->cls[1][c].next;
    if (l->off != UINT64_MAX)
        *next = kn_lane_open(a, c, *next);
    int lane = l->off != UINT64_MAX && *next < KN_LANE_SLOTS;
    uint64_t s =
        lane ? kn_class_size(c) : (n + KN_MAP_ALIGN - 1) & ~(KN_MAP_ALIGN - 1);
    uint64_t off = lane ? l->off + *next * s : a->ovf_base + a->ovf_top;
    if (!lane && s > a->map_bytes - off)
        return NULL;
    struct kn_block *b = kn_record(a);
    if (!b)
        return NULL;
    b->slot.start = a->base + (uintptr_t)(a->heap_bytes + off);
    b->slot.size = s;
    b->slot.mapped = 1;
    b->slot.lane = (uint8_t)lane;
    b->slot.cls = (uint16_t)(lane ? c : kn_class_of(s));
    if (lane)
        (*next)++; /* accessible (kn_lane_open) */
    else
        a->ovf_top += s;
    return b;
}

/* ---- taking and giving back ---- */

/* A free slot that holds n bytes, off its list, or NULL. Heap slots of
 * class c all hold n (and have the alignment c was chosen for); a page
 * slot of class c may be smaller than n, one of class c + 1 never is. */
static struct kn_block *kn_free_fit(struct kn_arena *a, int mapped, unsigned c,
                                    uint64_t n) {
    for (unsigned i = c; i <= c + (mapped != 0) && i < KN_CLASSES; i++) {
        struct kn_class *k = &a->cls[mapped != 0][i];
        struct kn_block *b = k->free;
        if (b && b->slot.size >= n) {
            k->free = b->q_next;
            return b;
        }
    }
    return NULL;
}

struct kn_block *kn_slot_take(struct kn_arena *a, uint64_t n, uint64_t m,
                              int mapped) {
    unsigned c = kn_class_aligned(n, mapped ? KN_MAP_ALIGN : m);
    struct kn_block *b = kn_free_fit(a, mapped, c, n);
    if (b) {
        kn_block_unpoison(b);
        if (b->slot.locked && kn_slot_lock(a, b, 0) != 0) {
            kn_slot_give(a, b); /* stays free, inaccessible */
            return NULL;
        }
        struct kn_slot keep = b->slot;
        memset(b, 0, sizeof *b);
        b->slot = keep;
    } else {
        b = mapped ? kn_map_carve(a, c, n) : kn_heap_carve(a, c);
        if (!b)
            return NULL;
    }
    if (mapped)
        kn_regions_of(a, b);
    b->slot.state = KN_SLOT_LIVE;
    return b;
}

void kn_slot_give(struct kn_arena *a, struct kn_block *b) {
    struct kn_class *k = &a->cls[b->slot.mapped][b->slot.cls];
    b->slot.state = KN_SLOT_FREE;
    b->q_next = k->free;
    k->free = b;
}

int kn_slot_lock(struct kn_arena *a, struct kn_block *b, int lock) {
    if (mprotect((void *)b->slot.start, (size_t)b->slot.size,
                 lock ? PROT_NONE : PROT_READ | PROT_WRITE) != 0)
        return -1;
    b->slot.locked = (uint8_t)lock;
    if (b->slot.lane) {
        const struct kn_lane *l = &a->lanes[b->slot.cls];
        uint64_t k =
            (b->slot.start - a->base - a->heap_bytes - l->off) / b->slot.size;
        uint64_t *w = &a->lanes[b->slot.cls].locked[k / 64];
        *w = lock ? *w | (uint64_t)1 << (k % 64)
                  : *w & ~((uint64_t)1 << (k % 64));
    }
    return 0;
}

void kn_slot_index(struct kn_arena *a, struct kn_block *b, int on) {
    if (on) {
        int clash = rmap_insert(&a->map, &b->range, NULL);
        VPCERT_INVARIANT(clash == 0); /* slots never overlap */
    } else
        rmap_remove(&a->map, &b->range);
}
