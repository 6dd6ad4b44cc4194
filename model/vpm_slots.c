/*
 * vpm_slots.c: the model's slot tables. A handle indexes a slot array; freed
 * slots are chained on a LIFO free list, so every operation is O(1) (growth
 * by doubling is amortised O(1)).
 */
#include <stdlib.h>

#include "vpm_internal.h"

/* Largest number of slots: every index must differ from VPM_NO_HANDLE. */
#define VPM_SLOTS_MAX (VPM_NO_HANDLE - 1u)
#define VPM_SLOTS_FIRST 16u

void vpm_slots_init(struct vpm_slots *s) {
    s->v = NULL;
    s->len = 0;
    s->cap = 0;
    s->free_head = VPM_NO_HANDLE;
    s->live = 0;
}

void vpm_slots_fini(struct vpm_slots *s) {
    free(s->v);
    vpm_slots_init(s);
}

static int slots_grow(struct vpm_slots *s) {
    uint32_t cap;
    size_t bytes;
    struct vpm_slot *v;

    if (s->cap >= VPM_SLOTS_MAX)
        return VPM_E_NOMEM;
    if (s->cap == 0)
        cap = VPM_SLOTS_FIRST;
    else if (s->cap > VPM_SLOTS_MAX / 2u)
        cap = VPM_SLOTS_MAX;
    else
        cap = s->cap * 2u;
    bytes = (size_t)cap * sizeof *v;
    if (bytes / sizeof *v != cap) /* size_t overflow on a 32-bit host */
        return VPM_E_NOMEM;
    v = realloc(s->v, bytes);
    if (!v)
        return VPM_E_NOMEM;
    s->v = v;
    s->cap = cap;
    return VPM_E_OK;
}

int vpm_slots_take(struct vpm_slots *s, uint32_t *h) {
    uint32_t i;

    if (s->free_head != VPM_NO_HANDLE) {
        i = s->free_head;
        s->free_head = s->v[i].next_free;
    } else {
        if (s->len == s->cap && slots_grow(s) != VPM_E_OK)
            return VPM_E_NOMEM;
        i = s->len++;
    }
    s->v[i].size = 0;
    s->v[i].next_free = VPM_NO_HANDLE;
    s->v[i].device = 0;
    s->v[i].live = 1;
    s->v[i].pool = 0;
    s->v[i].pad = 0;
    s->live++;
    *h = i;
    return VPM_E_OK;
}

struct vpm_slot *vpm_slots_live(const struct vpm_slots *s, uint32_t h) {
    if (h >= s->len || !s->v[h].live)
        return NULL;
    return &s->v[h];
}

void vpm_slots_put(struct vpm_slots *s, uint32_t h) {
    VPCERT_INVARIANT(h < s->len && s->v[h].live && s->live > 0);
    s->v[h].live = 0;
    s->v[h].size = 0;
    s->v[h].next_free = s->free_head;
    s->free_head = h;
    s->live--;
}

const char *vpm_slots_check(const struct vpm_slots *s) {
    uint32_t live = 0, nfree = 0, i;

    if (s->len > s->cap || (s->cap && !s->v))
        return "slot table length exceeds its capacity";
    for (i = 0; i < s->len; i++)
        live += s->v[i].live ? 1u : 0u;
    if (live != s->live)
        return "slot table live count differs from its live slots";
    for (i = s->free_head; i != VPM_NO_HANDLE; i = s->v[i].next_free) {
        if (i >= s->len || s->v[i].live)
            return "slot free list holds a live or out-of-range slot";
        if (++nfree > s->len - s->live)
            return "slot free list is longer than the free slots";
    }
    if (nfree != s->len - s->live)
        return "slot free list misses free slots";
    return NULL;
}
