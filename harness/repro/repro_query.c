/*
 * repro_query: what a C reproducer's check asks (repro.h): the model's
 * allowed sets as recorded, the kernel stand-in's events and blocks, and
 * the allocations handed out. Each answers as the executor's check for
 * the same clause decides (harness/exec), on this process's state.
 */
#include "repro_internal.h"

#include <string.h>

/* Was a pool request refused since the last call began? */
static int refused(struct repro *r) {
    for (size_t i = 0; i < kernel_event_count(r->k); i++)
        if (kernel_event_at(r->k, i)->kind == KN_EV_REFUSE)
            return 1;
    return 0;
}

int repro_status_allowed(struct repro *r, VP_STATUS st, unsigned allowed,
                         unsigned allowed_if_refused) {
    unsigned bit = st == NO_ERROR                    ? REPRO_NO_ERROR
                   : st == ERROR_NOT_ENOUGH_MEMORY   ? REPRO_NOT_ENOUGH_MEMORY
                   : st == ERROR_INSUFFICIENT_BUFFER ? REPRO_INSUFFICIENT_BUFFER
                   : st == ERROR_INVALID_PARAMETER   ? REPRO_INVALID_PARAMETER
                                                     : 0;
    return (bit & (refused(r) ? allowed_if_refused : allowed)) != 0;
}

int repro_block_allowed(struct repro *r, int block, unsigned allowed,
                        unsigned allowed_if_refused) {
    unsigned bit = block ? REPRO_BLOCK : REPRO_NULL;
    return (bit & (refused(r) ? allowed_if_refused : allowed)) != 0;
}

int repro_event_seen(struct repro *r) {
    kernel_check_all_guards(r->k);
    for (size_t i = 0; i < kernel_event_count(r->k); i++) {
        const struct kernel_event *e = kernel_event_at(r->k, i);
        /* a violation the stand-in does not name is charged to KP-FREE-1
         * by the executor, a call that ended unnamed to BC-1 */
        const char *c = e->clause                    ? e->clause
                        : e->kind == KN_EV_VIOLATION ? "KP-FREE-1"
                                                     : "BC-1";
        if ((e->kind == KN_EV_VIOLATION || e->kind == KN_EV_FATAL) &&
            strcmp(c, r->clause) == 0)
            return 1;
    }
    return 0;
}

int repro_sweep_seen(struct repro *r, int dev) {
    kernel_events_clear(r->k);
    if (dev >= 0) {
        kernel_report_device_leaks(r->k, (unsigned)dev);
    } else {
        kernel_check_all_guards(r->k);
        kernel_report_all_leaks(r->k);
    }
    return repro_event_seen(r);
}

int repro_pool_asked(struct repro *r) {
    for (size_t i = 0; i < kernel_event_count(r->k); i++) {
        unsigned kind = kernel_event_at(r->k, i)->kind;
        if (kind == KN_EV_ALLOC || kind == KN_EV_REFUSE)
            return 1;
    }
    return 0;
}

int repro_call_kept_block(struct repro *r) {
    for (size_t i = 0; i < kernel_event_count(r->k); i++) {
        const struct kernel_event *e = kernel_event_at(r->k, i);
        if (e->kind == KN_EV_ALLOC && kernel_block_in_use(r->k, e->block_id))
            return 1;
    }
    return 0;
}

int repro_stray_calls(struct repro *r) {
    (void)r;
    return kernel_stray_calls(NULL) != 0;
}

int repro_contained(struct repro *r, const void *p, uint64_t size,
                    struct kernel_block_info *b) {
    uintptr_t a = (uintptr_t)p;
    if (kernel_find_block(r->k, p, b))
        return kernel_block_in_use(r->k, b->id) && a >= b->addr &&
               size <= (uint64_t)(b->addr + b->size - a);
    /* a zero-size allocation may sit one past the end of its block */
    return size == 0 && a > 0 && kernel_find_block(r->k, (void *)(a - 1), b) &&
           a == b->addr + b->size && kernel_block_in_use(r->k, b->id);
}

int repro_in_one_block(struct repro *r, PVOID p, uint64_t size) {
    struct kernel_block_info b;
    return repro_contained(r, p, size, &b);
}

/* Do [a, a + max(n, 1)) and [b, b + max(m, 1)) overlap? */
static int overlap(uintptr_t a, uint64_t n, uintptr_t b, uint64_t m) {
    return a < b + (m ? m : 1) && b < a + (n ? n : 1);
}

int repro_overlaps(struct repro *r, PVOID p, uint64_t size) {
    for (size_t i = 0; i < r->nlive; i++)
        if (overlap((uintptr_t)p, size, r->live[i].start, r->live[i].size))
            return 1;
    return 0;
}

int repro_paged(struct repro *r, PVOID p) {
    struct kernel_block_info b;
    return repro_contained(r, p, 0, &b) && b.pool == KN_PAGED;
}

ULONG repro_tag(struct repro *r, PVOID p) {
    struct kernel_block_info b;
    return repro_contained(r, p, 0, &b) ? b.tag : 0;
}

struct repro_live *repro_live_of(struct repro *r, const void *p) {
    for (size_t i = 0; i < r->nlive; i++)
        if (r->live[i].start == (uintptr_t)p)
            return &r->live[i];
    return NULL;
}

int repro_intact(struct repro *r, PVOID p) {
    const struct repro_live *l = repro_live_of(r, p);
    return !l || repro_contents_intact(p, l->size, l->seed, r->s.write_limit);
}

int repro_still_backed(struct repro *r, PVOID p) {
    const struct repro_live *l = repro_live_of(r, p);
    if (!l || !kernel_block_in_use(r->k, l->block_id))
        return 0;
    for (size_t i = 0; i < r->nlive; i++)
        if (&r->live[i] != l &&
            overlap(l->block_start, l->block_end - l->block_start,
                    r->live[i].start, r->live[i].size))
            return 0; /* the block still backs another allocation */
    return 1;
}
