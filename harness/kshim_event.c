/*
 * kshim_event.c: the event log, and the on-demand reports that write to it:
 * guard checks (KP-OVR-1) and leak reports (KP-LEAK-1, KP-LEAK-2).
 */
#include <stdlib.h>
#include <string.h>

#include "kshim_internal.h"

struct kshim_event ks_event_ctx(const struct kshim *k, uint8_t kind) {
    struct kshim_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.pool = KS_NO_POOL;
    ev.irql = k->irql;
    ev.reason = KS_RF_NONE;
    ev.device = k->device;
    ev.type = -1;
    return ev;
}

struct kshim_event ks_event_block(const struct kshim *k, uint8_t kind,
                                  const struct ks_block *b) {
    struct kshim_event ev = ks_event_ctx(k, kind);
    ev.pool = b->info.pool;
    ev.type = b->info.type;
    ev.tag = b->info.tag;
    ev.size = b->info.size;
    ev.addr = b->info.addr;
    ev.block_id = b->info.id;
    return ev;
}

/* Make room for one more event; 0 if the host refuses. */
static int ks_events_reserve(struct ks_events *e) {
    if (e->n < e->cap)
        return 1;
    size_t cap = e->cap ? e->cap * 2 : KS_EVENTS_MIN;
    if (cap < e->cap || cap > SIZE_MAX / sizeof *e->v)
        return 0;
    struct kshim_event *v = realloc(e->v, cap * sizeof *v);
    if (!v)
        return 0;
    e->v = v;
    e->cap = cap;
    return 1;
}

void ks_event_push(struct kshim *k, const struct kshim_event *ev) {
    if (!ks_events_reserve(&k->ev)) {
        k->ev.lost++;
        return;
    }
    k->ev.v[k->ev.n++] = *ev;
}

void ks_event_cite(struct kshim *k, struct kshim_event ev, uint8_t kind,
                   const char *clause, const char *detail) {
    ev.kind = kind;
    ev.reason = KS_RF_NONE;
    ev.clause = clause;
    ev.detail = detail;
    ks_event_push(k, &ev);
}

void ks_events_destroy(struct kshim *k) {
    free(k->ev.v);
    k->ev.v = NULL;
    k->ev.n = 0;
    k->ev.cap = 0;
}

size_t kshim_event_count(const struct kshim *k) {
    return k ? k->ev.n : 0;
}

const struct kshim_event *kshim_event_at(const struct kshim *k, size_t i) {
    return k && i < k->ev.n ? &k->ev.v[i] : NULL;
}

void kshim_events_clear(struct kshim *k) {
    if (k)
        k->ev.n = 0; /* capacity kept */
}

size_t kshim_events_lost(const struct kshim *k) {
    return k ? k->ev.lost : 0;
}

/* KP-OVR-1: check b's guard, record a violation if broken. */
static int ks_guard_report(struct kshim *k, const struct ks_block *b) {
    if (ks_guard_intact(b))
        return 1;
    ks_event_cite(k, ks_event_block(k, KS_EV_VIOLATION, b), KS_EV_VIOLATION,
                  "KP-OVR-1", "guard bytes after the block overwritten");
    return 0;
}

int kshim_check_guard(struct kshim *k, uintptr_t block_addr) {
    struct rmap_node *n = k ? rmap_find(&k->live, block_addr) : NULL;
    if (!n)
        return -1;
    return ks_guard_report(k, ks_block_of_range(n));
}

size_t kshim_check_all_guards(struct kshim *k) {
    size_t broken = 0;
    if (!k)
        return 0;
    const size_t off = offsetof(struct ks_block, all);
    for (struct ks_block *b = k->all.head; b; b = ks_list_next(b, off))
        broken += (size_t)!ks_guard_report(k, b);
    return broken;
}

/* One leak violation for b, carrying b's own device. */
static void ks_leak_report(struct kshim *k, const struct ks_block *b,
                           const char *clause, const char *detail) {
    struct kshim_event ev = ks_event_block(k, KS_EV_VIOLATION, b);
    ev.device = b->info.device;
    ks_event_cite(k, ev, KS_EV_VIOLATION, clause, detail);
}

size_t kshim_report_device_leaks(struct kshim *k, unsigned device) {
    size_t n = 0;
    if (!k)
        return 0;
    unsigned d = device < KS_NO_DEVICE ? device : KS_NO_DEVICE;
    const size_t off = offsetof(struct ks_block, dev);
    for (struct ks_block *b = k->devs[d].head; b; b = ks_list_next(b, off)) {
        ks_leak_report(k, b, "KP-LEAK-1", "block of a stopped device live");
        n++;
    }
    return n;
}

size_t kshim_report_all_leaks(struct kshim *k) {
    size_t n = 0;
    if (!k)
        return 0;
    const size_t off = offsetof(struct ks_block, all);
    for (struct ks_block *b = k->all.head; b; b = ks_list_next(b, off)) {
        ks_leak_report(k, b, "KP-LEAK-2",
                       "block live with every device stopped");
        n++;
    }
    return n;
}
