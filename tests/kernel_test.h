/*
 * kernel_test.h: what the kernel stand-in's unit tests share
 * (test_kernel_calls.c, test_kernel_threads.c): a kernel bound to the test's
 * thread, and the events citing a clause.
 */
#ifndef VPCERT_KERNEL_TEST_H
#define VPCERT_KERNEL_TEST_H

#include <stdint.h>
#include <string.h>

#include "kernel.h"

/* A fresh kernel stand-in with these pools, bound to this thread. */
static inline struct kernel *start(uint64_t paged, uint64_t nonpaged) {
    struct kernel_config cfg = {{paged, nonpaged}, 0, 0, 1};
    struct kernel *k = kernel_new(&cfg);
    kernel_bind(k);
    return k;
}

static inline void finish(struct kernel *k) {
    kernel_bind(NULL);
    kernel_delete(k);
}

/* Events of this kind citing clause since the last clear. */
static inline size_t cited(const struct kernel *k, uint8_t kind,
                           const char *clause) {
    size_t n = 0;
    for (size_t i = 0; i < kernel_event_count(k); i++) {
        const struct kernel_event *e = kernel_event_at(k, i);
        n += e->kind == kind && e->clause && strcmp(e->clause, clause) == 0;
    }
    return n;
}

#endif /* VPCERT_KERNEL_TEST_H */
