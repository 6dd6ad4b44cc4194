/*
 * cases_scale: depth in state. Each program keeps at least 4,096 buffers
 * (or pool blocks) live on one device and runs at least 10,000 operations,
 * through repeat: fixed-size tables, counters, periodic compaction and
 * caches in an implementation show here, and nowhere in short programs.
 * The quotas are the exact sums, so thousands of calls run at the quota
 * boundary, with one byte over probed at the full mark.
 */
#include "cases_internal.h"

#include <stdio.h>

#define MIB (1ull << 20)
#define LIVE 4096u  /* live allocations a program reaches on one device */
#define CHURN 2500u /* release + allocate rounds at the full mark */

/* Four size classes around powers of two (the body of the fill loop). */
static const uint64_t fill_sizes[4] = {8, 24, 56, 120};
#define FILL_SUM (8u + 24u + 56u + 120u)

/* 4,096 buffers of four sizes on device 0, whose quota is their exact
 * sum: full, one byte over, churn at the full mark, then released one by
 * one from the middle. */
static void buffers_exact(struct cb *b) {
    const uint64_t q[1] = {(uint64_t)FILL_SUM * (LIVE / 4)};
    cb_begin(b, b->p, 64 * MIB, 64 * MIB, 1, q);
    for (unsigned i = 0; i < 4; i++)
        cb_alloc(b, 0, fill_sizes[i]);
    cb_repeat(b, 4, LIVE / 4 - 1);
    cb_alloc(b, 0, 1); /* one byte over the full quota */
    cb_release(b, 77);
    cb_alloc_quota(b, 0, 0); /* the exact fit the release made room for */
    cb_touch(b, 3001);
    cb_repeat(b, 3, CHURN);
    cb_alloc_quota(b, 0, 1);
    cb_release(b, 1);
    cb_repeat(b, 1, LIVE - 1);
    cb_alloc_quota(b, 0, 0); /* the whole quota, again free */
}

/* Two devices with 4,096 buffers each, interleaved, device 0 at an exact
 * quota, device 1 unlimited; releases pick from either device. */
static void buffers_two_devices(struct cb *b) {
    const uint64_t q[2] = {48ull * LIVE, PROG_QUOTA_UNLIMITED};
    cb_begin(b, b->p, 64 * MIB, 64 * MIB, 2, q);
    cb_alloc(b, 0, 48);
    cb_alloc(b, 1, 4000);
    cb_repeat(b, 2, LIVE - 1);
    cb_alloc(b, 0, 1);
    cb_release(b, 4095);
    cb_alloc(b, 0, 48);
    cb_alloc(b, 1, 16);
    cb_repeat(b, 3, CHURN / 2);
    cb_stop(b, 1); /* everything of device 1 released by vpcert, then stop */
    cb_start(b, 1);
    cb_alloc(b, 1, 1);
    cb_release(b, 0);
    cb_repeat(b, 1, 2 * LIVE);
}

/* 70,000 calls on one device (16-bit counters wrap at 65,536), with a
 * buffer live throughout, so that whatever a wrap forgets shows: the rest
 * of the quota allocated and released, 35,000 times, then the exact fit
 * and one byte over. */
static void calls(struct cb *b) {
    const uint64_t q[1] = {100};
    cb_begin(b, b->p, 1 * MIB, 1 * MIB, 1, q);
    cb_alloc(b, 0, 40);
    cb_alloc_quota(b, 0, 0);
    cb_release(b, 1);
    cb_repeat(b, 2, 34999);
    cb_alloc_quota(b, 0, 0);
    cb_alloc(b, 0, 1);
}

/* 4,096 pool blocks of the four types on device 0 (nonpaged ones at
 * DISPATCH_LEVEL), churn, then freed one by one. */
static void blocks(struct cb *b) {
    const uint64_t q[1] = {PROG_QUOTA_UNLIMITED};
    static const unsigned types[4] = {0, 1, 4, 5};
    cb_begin(b, b->p, 64 * MIB, 64 * MIB, 1, q);
    for (unsigned i = 0; i < 4; i++)
        cb_pool(b, 0, types[i], 16u << i, 1);
    cb_repeat(b, 4, LIVE / 4 - 1);
    cb_free(b, 1234, 1);
    cb_pool(b, 0, 4, 200, 1);
    cb_free(b, 17, 0);
    cb_pool(b, 0, 5, 72, 0);
    cb_repeat(b, 4, CHURN / 2);
    cb_free(b, 1, 1);
    cb_repeat(b, 1, LIVE - 1);
}

/* Buffers and pool blocks together, 4,096 of each live on device 0. */
static void mixed(struct cb *b) {
    const uint64_t q[1] = {32ull * LIVE};
    cb_begin(b, b->p, 64 * MIB, 64 * MIB, 1, q);
    cb_alloc(b, 0, 32);
    cb_pool(b, 0, 0, 32, 1);
    cb_repeat(b, 2, LIVE - 1);
    cb_alloc(b, 0, 1);
    cb_release(b, 9);
    cb_free(b, 9, 1);
    cb_alloc(b, 0, 32);
    cb_pool(b, 0, 1, 48, 0);
    cb_repeat(b, 4, CHURN / 2);
}

int cases_scale(const struct cases_options *o, struct program *scratch,
                cases_emit_fn emit, void *ctx) {
    static const struct {
        const char *name;           /* program name */
        void (*build)(struct cb *); /* its builder */
        int pool;                   /* 1: needs AllocatePool/FreePool */
    } progs[] = {
        {"buffers-4096-exact-quota", buffers_exact, 0},
        {"buffers-2x4096-two-devices", buffers_two_devices, 0},
        {"calls-70000", calls, 0},
        {"blocks-4096-four-types", blocks, 1},
        {"buffers-and-blocks-4096", mixed, 1},
    };
    for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
        struct cb b = {scratch, 0};
        if (progs[i].pool && !o->pool)
            continue;
        progs[i].build(&b);
        char name[64];
        snprintf(name, sizeof name, "scale/%s", progs[i].name);
        int rc = emit(ctx, CASES_SCALE, name, scratch);
        if (rc)
            return rc;
    }
    return 0;
}
