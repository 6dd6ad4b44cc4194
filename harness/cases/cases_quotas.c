/*
 * cases_quotas: quotas at the edges of the arithmetic: 0, 1, 2^32 - d and
 * 2^32 + d for d in {0, 1, 8, 16, 32, 64}, 2^63, 2^64 - 2 and unlimited,
 * each on device 0 with allocations at the exact boundary (the exact fit,
 * one byte over, the full mark, after a refund) wherever a ULONG Size can
 * reach it: above 2^32 the charge is first raised by a 0xFFFFFFFF buffer.
 * Where it cannot (2^63, 2^64 - 2, unlimited), buffers of 0xFFFFFFFF bytes
 * pile up beyond 2^32 to catch a quota or charge kept in 32 bits. Device 1,
 * unlimited, allocates in between: the other device's quota never shows.
 */
#include "cases_internal.h"

#include <stdio.h>

#define POOL_BYTES (64ull << 30)
#define ULONG_MAX_ 0xFFFFFFFFull

/* A quota a ULONG can reach in one call: exact fit, over, full, refund. */
static void reachable(struct cb *b) {
    cb_alloc_quota(b, 0, 1); /* one byte over */
    cb_alloc_quota(b, 0, 0); /* the exact fit */
    cb_alloc(b, 1, 1);
    cb_alloc(b, 0, 1); /* at the full mark */
    cb_release(b, 0);
    cb_alloc_quota(b, 0, 0); /* the refund made room for all of it */
    cb_alloc_quota(b, 0, 1);
}

/* A quota just above 2^32: a 0xFFFFFFFF buffer first, then the boundary
 * with what is left (1 .. 65 bytes), then the big one again. */
static void above_2_32(struct cb *b) {
    cb_alloc(b, 0, ULONG_MAX_);
    reachable(b);
    cb_alloc(b, 0, ULONG_MAX_); /* over: a 32-bit charge would wrap */
    cb_release(b, 0);           /* the 0xFFFFFFFF buffer */
    cb_alloc(b, 0, ULONG_MAX_);
    cb_alloc_quota(b, 0, 1);
}

/* A quota no ULONG reaches: 0xFFFFFFFF buffers beyond 2^32 and more. */
static void unreachable(struct cb *b) {
    cb_alloc(b, 0, ULONG_MAX_);
    cb_alloc(b, 1, 7);
    cb_repeat(b, 2, 2);
    cb_alloc_quota(b, 0, 0);
    cb_release(b, 2);
    cb_alloc(b, 0, ULONG_MAX_);
}

static int one_quota(struct program *scratch, uint64_t q, const char *label,
                     cases_emit_fn emit, void *ctx) {
    const uint64_t quotas[2] = {q, PROG_QUOTA_UNLIMITED};
    struct cb b;
    char name[64];
    cb_begin(&b, scratch, POOL_BYTES, 1ull << 20, 2, quotas);
    if (q <= ULONG_MAX_)
        reachable(&b);
    else if (q <= (1ull << 32) + 64)
        above_2_32(&b);
    else
        unreachable(&b);
    snprintf(name, sizeof name, "quotas/%s", label);
    return emit(ctx, CASES_QUOTAS, name, scratch);
}

int cases_quotas(const struct cases_options *o, struct program *scratch,
                 cases_emit_fn emit, void *ctx) {
    static const unsigned d[6] = {0, 1, 8, 16, 32, 64};
    char label[32];
    int rc;
    (void)o;
    if ((rc = one_quota(scratch, 0, "0", emit, ctx)) != 0 ||
        (rc = one_quota(scratch, 1, "1", emit, ctx)) != 0)
        return rc;
    for (int i = 5; i >= 1; i--) {
        snprintf(label, sizeof label, "2^32-%u", d[i]);
        if ((rc = one_quota(scratch, (1ull << 32) - d[i], label, emit, ctx)))
            return rc;
    }
    for (int i = 0; i < 6; i++) {
        snprintf(label, sizeof label, "2^32+%u", d[i]);
        if ((rc = one_quota(scratch, (1ull << 32) + d[i], i ? label : "2^32",
                            emit, ctx)))
            return rc;
    }
    if ((rc = one_quota(scratch, 1ull << 63, "2^63", emit, ctx)) != 0 ||
        (rc = one_quota(scratch, UINT64_MAX - 1, "2^64-2", emit, ctx)) != 0)
        return rc;
    return one_quota(scratch, PROG_QUOTA_UNLIMITED, "unlimited", emit, ctx);
}
