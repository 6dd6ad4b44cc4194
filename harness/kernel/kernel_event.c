/*
 * kernel_event.c: the event log, and the on-demand reports that write to it:
 * guard checks (KP-OVR-1) and leak reports (LL-1, KP-LEAK-1, KP-LEAK-2).
 */
#include <stdlib.h>
#include <string.h>

#include "kernel_internal.h"

struct kernel_event kn_event_ctx(const struct kernel *k, uint8_t kind) {
    struct kernel_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.pool = KN_NO_POOL;
    ev.irql = k->irql;
    ev.reason = KN_RF_NONE;
    ev.device = k->device;
    ev.thread = k->thread;
    ev.type = -1;
    return ev;
}

struct kernel_event kn_event_block(const struct kernel *k, uint8_t kind,
                                   const struct kn_block *b) {
    struct kernel_event ev = kn_event_ctx(k, kind);
    ev.pool = b->info.pool;
    ev.type = b->info.type;
    ev.tag = b->info.tag;
    ev.size = b->info.size;
    ev.addr = b->info.addr;
    ev.block_id = b->info.id;
    return ev;
}

/* Make room for one more event; 0 if the host refuses. */
static int kn_events_reserve(struct kn_events *e) {
    if (e->n < e->cap)
        return 1;
    size_t cap = e->cap ? e->cap * 2 : KN_EVENTS_MIN;
    if (cap < e->cap || cap > SIZE_MAX / sizeof *e->v)
        return 0;
    struct kernel_event *v = realloc(e->v, cap * sizeof *v);
    if (!v)
        return 0;
    e->v = v;
    e->cap = cap;
    return 1;
}

/* Tests build a kernel whose log holds at most this many events between
 * clears and loses the rest (tests/CMakeLists.txt, the _lossy variant), to
 * show that a lost event is caught. */
#ifdef VPCERT_TEST_KERNEL_EVENTS_MAX
#define KN_LOG_FULL(e) ((e)->n >= (size_t)VPCERT_TEST_KERNEL_EVENTS_MAX)
#else
#define KN_LOG_FULL(e) 0
#endif

void kn_event_push(struct kernel *k, const struct kernel_event *ev) {
    if (KN_LOG_FULL(&k->ev) || !kn_events_reserve(&k->ev)) {
        k->ev.lost++;
        return;
    }
    k->ev.v[k->ev.n++] = *ev;
}

void kn_event_cite(struct kernel *k, struct kernel_event ev, uint8_t kind,
                   const char *clause, const char *detail) {
    ev.kind = kind;
    ev.reason = KN_RF_NONE;
    ev.clause = clause;
    ev.detail = detail;
    kn_event_push(k, &ev);
}

void kn_events_destroy(struct kernel *k) {
    free(k->ev.v);
    k->ev.v = NULL;
    k->ev.n = 0;
    k->ev.cap = 0;
}

size_t kernel_event_count(const struct kernel *k) {
    return k ? k->ev.n : 0;
}

const struct kernel_event *kernel_event_at(const struct kernel *k, size_t i) {
    return k && i < k->ev.n ? &k->ev.v[i] : NULL;
}

void kernel_events_clear(struct kernel *k) {
    if (k)
        k->ev.n = 0; /* capacity kept */
}

void kernel_events_discard(struct kernel *k, size_t n) {
    if (!k || n == 0)
        return;
    if (n >= k->ev.n) {
        k->ev.n = 0;
        return;
    }
    memmove(k->ev.v, k->ev.v + n, (k->ev.n - n) * sizeof *k->ev.v);
    k->ev.n -= n;
}

size_t kernel_events_lost(const struct kernel *k) {
    return k ? k->ev.lost : 0;
}

/* KP-OVR-1: check b's guard, record a violation if broken. */
static int kn_guard_report(struct kernel *k, const struct kn_block *b) {
    if (kn_guard_intact(b))
        return 1;
    kn_event_cite(k, kn_event_block(k, KN_EV_VIOLATION, b), KN_EV_VIOLATION,
                  "KP-OVR-1", "guard bytes after the block overwritten");
    return 0;
}

int kernel_check_guard(struct kernel *k, uintptr_t block_addr) {
    struct kn_block *b = k ? kn_live_at(k, block_addr) : NULL;
    if (!b)
        return -1;
    return kn_guard_report(k, b);
}

int kernel_check_guard_of(struct kernel *k, const struct kernel_event *e) {
    if (!k || !e || e->kind != KN_EV_ALLOC ||
        !kn_id_block(k->arena, e->block_id))
        return -1;
    if (kn_guard_intact_at(e->addr, e->size ? e->size : 1))
        return 1;
    struct kernel_event ev = kn_event_ctx(k, KN_EV_VIOLATION);
    ev.pool = e->pool;
    ev.type = e->type;
    ev.tag = e->tag;
    ev.size = e->size;
    ev.addr = e->addr;
    ev.block_id = e->block_id;
    kn_event_cite(k, ev, KN_EV_VIOLATION, "KP-OVR-1",
                  "guard bytes after the block overwritten");
    return 0;
}

size_t kernel_check_all_guards(struct kernel *k) {
    size_t broken = 0;
    if (!k)
        return 0;
    const size_t off = offsetof(struct kn_block, all);
    for (struct kn_block *b = k->all.head; b; b = kn_list_next(b, off))
        broken += (size_t)!kn_guard_report(k, b);
    return broken;
}

/* One leak violation for b, carrying b's own device. */
static void kn_leak_report(struct kernel *k, const struct kn_block *b,
                           const char *clause, const char *detail) {
    struct kernel_event ev = kn_event_block(k, KN_EV_VIOLATION, b);
    ev.device = b->info.device;
    kn_event_cite(k, ev, KN_EV_VIOLATION, clause, detail);
}

/* A block a lookaside list caches belongs to the list, whose own leak is
 * LL-1: it is not reported again. */
size_t kernel_report_device_leaks(struct kernel *k, unsigned device) {
    if (!k)
        return 0;
    unsigned d = device < KN_NO_DEVICE ? device : KN_NO_DEVICE;
    size_t n = d < KN_NO_DEVICE ? kn_report_lookasides(k, d) : 0;
    const size_t off = offsetof(struct kn_block, dev);
    for (struct kn_block *b = k->devs[d].head; b; b = kn_list_next(b, off)) {
        if (b->cached)
            continue;
        kn_leak_report(k, b, "KP-LEAK-1", "block of a stopped device live");
        n++;
    }
    return n;
}

size_t kernel_report_all_leaks(struct kernel *k) {
    if (!k)
        return 0;
    size_t n = kn_report_lookasides(k, KN_NO_DEVICE);
    const size_t off = offsetof(struct kn_block, all);
    for (struct kn_block *b = k->all.head; b; b = kn_list_next(b, off)) {
        if (b->cached)
            continue;
        kn_leak_report(k, b, "KP-LEAK-2",
                       "block live with every device stopped");
        n++;
    }
    return n;
}
