/*
 * cases_concurrent: the concurrent family (SPEC.md "Threads"): programs
 * whose operations run on 2 to 4 threads, each thread a few allocations
 * and releases of buffers and blocks around a small quota, on one or two
 * devices, sometimes in two phases; no yields, so that a base run has the
 * threads in priority order, each until it waits or finishes. And the
 * seeded PCT schedules of such a program (cases_pct, cases.h).
 */
#include "cases_internal.h"

#include <string.h>

/* splitmix64: a stream of numbers from one 64-bit state. */
static uint64_t next(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A state for stream `what` number i of seed. */
static uint64_t stream(uint64_t seed, uint64_t i, uint64_t what) {
    uint64_t s = seed ^ (i + 1) * 0xD1B54A32D192ED03ull ^ what;
    (void)next(&s);
    return s;
}

/* A Size that matters for the quota q: over half of it (two do not fit),
 * half, all of it, what is left (+0/+1), a little, nothing. */
static void pick_size(uint64_t *r, uint64_t q, struct prog_size *sz) {
    uint64_t base = q == PROG_QUOTA_UNLIMITED ? 4096 : q;
    memset(sz, 0, sizeof *sz);
    switch (next(r) % 7) {
    case 0:
    case 1:
        sz->value = base / 2 + 1;
        break;
    case 2:
        sz->value = base / 2;
        break;
    case 3:
        sz->value = base;
        break;
    case 4:
        sz->kind = PROG_SZ_QUOTA;
        sz->delta = (int32_t)(next(r) % 2);
        break;
    case 5:
        sz->value = 100;
        break;
    default:
        sz->value = 0;
    }
}

/* An operation of thread t with this code: its device, Size, live index,
 * pool type and IRQL drawn. */
static void make_op(uint64_t *r, const struct program *p, unsigned t,
                    uint8_t code, struct prog_op *op) {
    memset(op, 0, sizeof *op);
    op->clause = UINT16_MAX;
    op->code = code;
    op->thread = (uint8_t)t;
    op->index = (uint32_t)(next(r) % 4);
    if (code == PROG_OP_ALLOC_BUFFER) {
        op->dev = (uint8_t)(next(r) % p->ndevices);
        pick_size(r, p->quota[op->dev], &op->size);
    } else if (code == PROG_OP_ALLOC_POOL) {
        op->dev = (uint8_t)(next(r) % p->ndevices);
        op->pool_type = (uint8_t)(next(r) % 2 ? 0 : 1); /* nonpaged, paged */
        op->dispatch = op->pool_type == 0 && next(r) % 2;
        op->tag = 0x74737444u; /* 'Dtst' */
        op->size.value = 1 + next(r) % 256;
    } else if (code == PROG_OP_FREE_POOL) {
        op->dispatch = (uint8_t)(next(r) % 2);
    }
}

/* Any operation: an allocation or a release of a buffer (three in four),
 * or of a pool block. */
static uint8_t pick_code(uint64_t *r) {
    unsigned kind = (unsigned)(next(r) % 20);
    return kind < 10   ? PROG_OP_ALLOC_BUFFER
           : kind < 15 ? PROG_OP_RELEASE_BUFFER
           : kind < 18 ? PROG_OP_ALLOC_POOL
                       : PROG_OP_FREE_POOL;
}

static void add(struct program *p, const struct prog_op *op) {
    if (p->nops < CASES_CONC_OPS)
        p->ops[p->nops++] = *op;
}

/* Thread t's operations of a phase, in one of three shapes: churn (an
 * allocation, a release, an allocation: room given back while others
 * allocate), growth (two allocations: the quota filled from two sides),
 * or one to three operations of any kind. */
static void add_thread(uint64_t *r, struct program *p, unsigned t) {
    static const uint8_t churn[] = {
        PROG_OP_ALLOC_BUFFER, PROG_OP_RELEASE_BUFFER, PROG_OP_ALLOC_BUFFER};
    struct prog_op op;
    unsigned shape = (unsigned)(next(r) % 3);
    unsigned n = shape == 0 ? 3 : shape == 1 ? 2 : 1 + (unsigned)(next(r) % 3);
    for (unsigned k = 0; k < n; k++) {
        uint8_t code = shape == 0   ? churn[k]
                       : shape == 1 ? (uint8_t)PROG_OP_ALLOC_BUFFER
                                    : pick_code(r);
        make_op(r, p, t, code, &op);
        add(p, &op);
    }
}

/* The stop and start that end a phase: device 0 restarts. */
static void add_restart(struct program *p) {
    struct prog_op op;
    memset(&op, 0, sizeof op);
    op.clause = UINT16_MAX;
    op.code = PROG_OP_STOP;
    add(p, &op);
    op.code = PROG_OP_START;
    add(p, &op);
}

static void conc_program(uint64_t seed, unsigned i, struct program *p) {
    static const uint64_t quotas[] = {4096, 4096, 8192, 1000,
                                      PROG_QUOTA_UNLIMITED};
    uint64_t r = stream(seed, i, 0x636F6E63ull /* "conc" */);
    prog_init(p);
    unsigned threads = 2 + (unsigned)(next(&r) % 3);
    unsigned phases = next(&r) % 3 == 0 ? 2 : 1;
    p->ndevices = next(&r) % 3 == 0 ? 2 : 1;
    for (unsigned d = 0; d < p->ndevices; d++)
        p->quota[d] = quotas[next(&r) % 5];
    if (next(&r) % 4 == 0)
        p->capacity[0] = 16384; /* paged pool that refuses too */
    for (unsigned ph = 0; ph < phases; ph++) {
        if (ph)
            add_restart(p);
        for (unsigned t = 0; t < threads; t++)
            add_thread(&r, p, t);
    }
}

int cases_concurrent(const struct cases_options *o, struct program *scratch,
                     cases_emit_fn emit, void *ctx) {
    for (unsigned i = 0; i < o->concurrent; i++) {
        conc_program(o->seed, i, scratch);
        int rc = cb_emit_seeded(o, CASES_CONCURRENT, i, scratch, emit, ctx);
        if (rc)
            return rc;
    }
    return 0;
}

/* Switch points of operation op a yield can name. */
static unsigned yieldable(const struct program *p, const uint8_t *points,
                          size_t npoints, uint32_t op) {
    if (op >= npoints || !prog_op_calls(p->ops[op].code))
        return 0;
    return points[op] < PROG_YIELD_POINTS ? points[op] : PROG_YIELD_POINTS;
}

unsigned cases_pct(struct program *p, uint64_t seed, unsigned s, unsigned d,
                   const uint8_t *points, size_t npoints) {
    uint64_t r = stream(seed, s, 0x706374ull /* "pct" */), total = 0;
    unsigned placed = 0;
    prog_priority_of((unsigned)(next(&r) % 24), p->priority);
    for (uint32_t op = 0; op < p->nops; op++) {
        p->ops[op].yield = 0;
        total += yieldable(p, points, npoints, op);
    }
    /* each change point uniform over the points, distinct: a point drawn
     * again is drawn anew (at most a few times) */
    for (unsigned c = 0; c + 1 < d && placed < total; c++) {
        for (unsigned tries = 0; tries < 8; tries++) {
            uint64_t g = next(&r) % total;
            uint32_t op = 0;
            while (g >= yieldable(p, points, npoints, op))
                g -= yieldable(p, points, npoints, op++);
            uint16_t bit = (uint16_t)(1u << g);
            if (p->ops[op].yield & bit)
                continue;
            p->ops[op].yield |= bit;
            placed++;
            break;
        }
    }
    return placed;
}
