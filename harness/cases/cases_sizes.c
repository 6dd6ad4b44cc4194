/*
 * cases_sizes: every size class. For k = 0..32 the sizes 2^k + d and 2^k - d
 * for d in {0, 1, 8, 16, 32, 64}, and every size from 4096 - 64 to
 * 4096 + 64 (a page minus a header, and just above): each as a buffer on a
 * device without a quota and on one whose quota (2^32 + 64) grants any
 * ULONG, then touched and released; with the pool services, each as a block
 * of every pool type (up to 2^32 + 64 bytes, as SIZE_T allows). The pools
 * hold 16 GiB, so sizes of 2^31 and more are granted (the kernel stand-in
 * maps large blocks lazily: they cost a few pages each).
 */
#include "cases_internal.h"

#include <stdio.h>

#define POOL_BYTES (16ull << 30)
#define TWO32 (1ull << 32)

static const unsigned deltas[6] = {0, 1, 8, 16, 32, 64};
static const unsigned vp_types[4] = {0, 1, 4, 5};

/* One size: as a buffer on both devices, and as a block of every type. */
static void one_size(struct cb *b, uint64_t s, int pool) {
    if (s <= 0xFFFFFFFFull) {
        cb_alloc(b, 0, s);
        cb_alloc(b, 1, s);
        cb_touch(b, 0);
        cb_release(b, 1);
        cb_release(b, 0);
    }
    for (unsigned t = 0; pool && t < 4; t++) {
        cb_pool(b, 0, vp_types[t], s, t & 1 ? 0 : (unsigned)s & 1);
        cb_free(b, 0, 1);
    }
}

/* 2^k +- d for d in deltas, each size once, ascending. */
static void power_sizes(struct cb *b, unsigned k, int pool) {
    uint64_t base = 1ull << k;
    for (int i = 5; i >= 1; i--)
        if (deltas[i] <= base)
            one_size(b, base - deltas[i], pool);
    for (int i = 0; i < 6; i++)
        if (i == 0 || deltas[i] > 0)
            one_size(b, base + deltas[i], pool);
}

static void begin(struct cb *b, struct program *p) {
    const uint64_t q[2] = {PROG_QUOTA_UNLIMITED, TWO32 + 64};
    cb_begin(b, p, POOL_BYTES, POOL_BYTES, 2, q);
}

int cases_sizes(const struct cases_options *o, struct program *scratch,
                cases_emit_fn emit, void *ctx) {
    char name[64];
    struct cb b;
    int rc;
    /* k = 0..31 in groups of four, then 32 alone (the largest blocks) */
    for (unsigned k0 = 0; k0 <= 32; k0 += 4) {
        unsigned k1 = k0 < 32 ? k0 + 3 : 32;
        begin(&b, scratch);
        for (unsigned k = k0; k <= k1; k++)
            power_sizes(&b, k, o->pool);
        snprintf(name, sizeof name, "sizes/2^%u..2^%u+-64", k0, k1);
        if ((rc = emit(ctx, CASES_SIZES, name, scratch)) != 0)
            return rc;
    }
    /* every size from a page - 64 to a page + 64 */
    begin(&b, scratch);
    for (uint64_t s = 4096 - 64; s <= 4096 + 64; s++)
        one_size(&b, s, o->pool);
    return emit(ctx, CASES_SIZES, "sizes/4032..4160", scratch);
}
