/* exec_handed: the allocations handed to the caller and not yet given
 * back, by the kernel slot of their block (see exec_internal.h), for the
 * disjointness check (BUF-3) and "is the block still in use" (RB-1,
 * AP-FREE-1). An open-addressing table (linear probing, at most half
 * full) from slot to the list of its allocations, usually one: a lookup
 * reads the table alone unless the slot holds something. Every operation
 * is O(1) expected, whatever the number of live allocations. */
#include "exec_internal.h"
#include "vpcert/wraps.h"

#include <stdlib.h>

#define HANDED_MIN 64u /* first table size (a power of two) */

VPCERT_WRAPS static uint32_t home(const struct exec_handed *h, uintptr_t slot) {
    uint64_t x = (uint64_t)slot * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(x >> 32) & (h->cap - 1);
}

/* The entry of slot, or the empty entry where it would go. */
static struct exec_slot *entry(const struct exec_handed *h, uintptr_t slot) {
    uint32_t i = home(h, slot);
    while (h->t[i].head && h->t[i].slot != slot)
        i = (i + 1) & (h->cap - 1);
    return &h->t[i];
}

static uintptr_t live_end(const struct exec_live *l) {
    return (uintptr_t)l->ptr + (uintptr_t)(l->size ? l->size : 1);
}

struct exec_live *exec_handed_overlap(const struct exec_handed *h,
                                      uintptr_t slot, uintptr_t start,
                                      uintptr_t end,
                                      const struct exec_live *skip) {
    if (!h->cap)
        return NULL;
    for (struct exec_live *l = entry(h, slot)->head; l; l = l->hnext)
        if (l != skip && (uintptr_t)l->ptr < end && start < live_end(l))
            return l;
    return NULL;
}

/* Double the table (from none to HANDED_MIN); -1 if refused. */
static int grow(struct exec_handed *h) {
    uint32_t cap = h->cap ? h->cap * 2 : HANDED_MIN;
    struct exec_slot *t = calloc(cap, sizeof *t);
    if (!t)
        return -1;
    struct exec_handed g = {t, cap, h->used, h->n};
    for (uint32_t i = 0; i < h->cap; i++)
        if (h->t[i].head)
            *entry(&g, h->t[i].slot) = h->t[i];
    free(h->t);
    *h = g;
    return 0;
}

int exec_handed_add(struct exec_handed *h, struct exec_live *l) {
    if (2 * (h->used + 1) > h->cap && grow(h) != 0)
        return -1;
    struct exec_slot *e = entry(h, l->slot);
    if (!e->head) {
        e->slot = l->slot;
        h->used++;
    }
    l->hnext = e->head;
    e->head = l;
    h->n++;
    return 0;
}

/* Empty entry i, moving later entries of its probe run back into it. */
static void vacate(struct exec_handed *h, uint32_t i) {
    uint32_t m = h->cap - 1;
    for (uint32_t j = (i + 1) & m; h->t[j].head; j = (j + 1) & m) {
        uint32_t k = home(h, h->t[j].slot);
        /* j may move to i if its home is not in (i, j] cyclically */
        if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
            h->t[i] = h->t[j];
            i = j;
        }
    }
    h->t[i].head = NULL;
    h->t[i].slot = 0;
    h->used--;
}

void exec_handed_del(struct exec_handed *h, struct exec_live *l) {
    VPCERT_INVARIANT(h->n > 0); /* l is in h */
    struct exec_slot *e = entry(h, l->slot);
    struct exec_live **pp = &e->head;
    while (*pp && *pp != l)
        pp = &(*pp)->hnext;
    VPCERT_INVARIANT(*pp == l); /* l is in h, under its slot */
    *pp = l->hnext;
    h->n--;
    l->hnext = NULL;
    if (!e->head)
        vacate(h, (uint32_t)(e - h->t));
}

void exec_handed_free(struct exec_handed *h) {
    free(h->t);
    h->t = NULL;
    h->cap = 0;
    h->used = 0;
    h->n = 0;
}

int exec_handed_has(const struct exec_handed *h, const struct exec_live *l) {
    if (!h->cap)
        return 0;
    for (const struct exec_live *m = entry(h, l->slot)->head; m; m = m->hnext)
        if (m == l)
            return 1;
    return 0;
}

const char *exec_handed_check(const struct exec_handed *h) {
    uint32_t used = 0, n = 0;
    for (uint32_t i = 0; i < h->cap; i++) {
        if (!h->t[i].head)
            continue;
        if (entry(h, h->t[i].slot) != &h->t[i])
            return "a slot's entry is not found from its home";
        for (const struct exec_live *l = h->t[i].head; l; l = l->hnext, n++)
            if (l->slot != h->t[i].slot)
                return "an allocation is listed under another slot";
        used++;
    }
    if (used != h->used || n != h->n)
        return "the handed-out table's counts differ from its entries";
    return NULL;
}
