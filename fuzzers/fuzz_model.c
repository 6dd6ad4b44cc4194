/*
 * fuzz_model: the reference model alone (model/vpm.h), driven through a
 * decoded program by a small simulated environment: a kernel pool with
 * capacities and the program's injections (which decide the "pool
 * refused" fact), and a simulated implementation that behaves as SPEC.md
 * says for the ICS chosen by the input's last byte. The simulation keeps
 * its own quota and pool accounting, independent of the model's.
 *
 * After every step: vpm_check_invariants, and the model must agree with
 * the simulation (quota remaining, pool remaining). Laws checked per call:
 *   - judge is pure (same verdict twice) and consistent (ok iff the
 *     observed result is in the allowed set; a rejection names a SPEC
 *     clause and a reason); the allowed set is never empty, never holds
 *     an undefined status, INVALID only for Size 0, QUOTA only over quota,
 *     NOMEM / NULL only after a refusal;
 *   - the model accepts the simulated implementation's result;
 *   - quota remaining never exceeds the quota; a grant lowers it by Size,
 *     a failure leaves it (QU-5); a charge then a release restores it and
 *     the pool exactly;
 *   - caller errors (double release, double free, paged free at DISPATCH,
 *     bad pool type, start twice, stop with live allocations, calls on a
 *     stopped device) are refused and leave the model unchanged.
 * A violation prints the law and the program up to the step, then abort().
 */
#include "clauses.h"
#include "fuzz_common.h"
#include "vpcert/pool_types.h"
#include "vpm.h"

#define BUF_TAG 0x62707644u /* 'Dvpb': the tag the simulated buffers use */
#define DISPATCH 2u
#define MAX_OBJS (PROG_MAX_OPS + 1)

struct obj {
    uint32_t h;    /* model handle */
    uint64_t size; /* bytes */
    uint8_t dev;   /* device */
    uint8_t pool;  /* enum vpm_pool */
};

struct sim {
    struct vpm m;
    struct vpm_config cfg;
    uint64_t cap[2], used[2]; /* simulated pools, payload bytes */
    uint32_t inj_next;        /* refuse the next n requests */
    uint64_t inj_above;       /* refuse requests above (UINT64_MAX: off) */
    uint32_t tags[32];        /* refuse requests with these tags */
    unsigned ntags;
    int started[PROG_MAX_DEVICES];
    uint64_t quota[PROG_MAX_DEVICES], charged[PROG_MAX_DEVICES];
    struct obj bufs[MAX_OBJS], blks[MAX_OBJS];
    uint32_t nbufs, nblks;
    uint32_t op; /* current operation (nops: the end) */
    int oom;     /* the model could not grow its tables */
};

static struct sim S;
static struct program prog, scratch;

/* The name of a vpm_result: the program's expectation of that status. */
static const char *res_name(unsigned r) {
    return r <= VPM_R_INVALID ? prog_expect_name(PROG_EX_NO_ERROR + r)
                              : "another status";
}

static void violated(const char *fmt, ...) {
    va_list ap;
    fprintf(stderr,
            "vpcert-fuzz-model: LAW BROKEN at op %u (%s): ", (unsigned)S.op,
            S.op < prog.nops ? prog_op_name(prog.ops[S.op].code) : "end");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n  ICS: quota %s, %s, zero-size %s\n",
            S.cfg.quota_enabled ? "per-device" : "none",
            S.cfg.quota_first ? "quota-first" : "pool-first",
            S.cfg.zero_size == VPM_ZERO_ALLOCATE ? "allocate"
            : S.cfg.zero_size == VPM_ZERO_REJECT ? "reject"
                                                 : "any");
    fuzz_print_program("program up to the step", &prog, S.op + 1, &scratch);
    abort();
}

#define LAW(cond, ...)                                                         \
    do {                                                                       \
        if (!(cond))                                                           \
            violated(__VA_ARGS__);                                             \
    } while (0)

static uint64_t sat_sub(uint64_t a, uint64_t b) {
    return a > b ? a - b : 0;
}

static uint64_t sat_add_delta(uint64_t base, int32_t delta, uint64_t max) {
    if (delta < 0)
        return sat_sub(base, (uint64_t) - (int64_t)delta);
    if (base > max || max - base < (uint64_t)delta)
        return max;
    return base + (uint64_t)delta;
}

static int quota_applies(unsigned d) {
    return S.cfg.quota_enabled && S.quota[d] != VPM_UNLIMITED;
}

/* What vpm_quota_remaining must say, from the simulation's accounting. */
static uint64_t want_remaining(unsigned d) {
    if (!S.started[d])
        return 0;
    if (!quota_applies(d))
        return VPM_UNLIMITED;
    return sat_sub(S.quota[d], S.charged[d]);
}

static void check_state(void) {
    const char *why = vpm_check_invariants(&S.m);
    LAW(why == NULL, "vpm_check_invariants: %s", why);
    for (unsigned d = 0; d < prog.ndevices; d++) {
        uint64_t r = vpm_quota_remaining(&S.m, d);
        LAW(r == want_remaining(d),
            "device %u: quota remaining %llu, simulation says %llu", d,
            (unsigned long long)r, (unsigned long long)want_remaining(d));
        LAW(!quota_applies(d) || r <= S.quota[d],
            "device %u: quota remaining %llu exceeds the quota %llu", d,
            (unsigned long long)r, (unsigned long long)S.quota[d]);
    }
    for (unsigned p = 0; p < 2; p++) {
        uint64_t r = vpm_pool_remaining(&S.m, (enum vpm_pool)p);
        LAW(r == sat_sub(S.cap[p], S.used[p]),
            "%s pool remaining %llu, simulation says %llu",
            p ? "nonpaged" : "paged", (unsigned long long)r,
            (unsigned long long)sat_sub(S.cap[p], S.used[p]));
    }
}

static int same_verdict(struct vpm_verdict a, struct vpm_verdict b) {
    return a.allowed == b.allowed && a.ok == b.ok && a.clause == b.clause &&
           a.why == b.why;
}

static void check_rejection(struct vpm_verdict v, const char *call) {
    LAW(v.clause && spec_clause_find(v.clause) && v.why && *v.why,
        "%s: a rejection without a SPEC clause and reason (clause %s)", call,
        v.clause ? v.clause : "NULL");
}

/* The simulated kernel pool: does it refuse this request? Injections in
 * the kernel stand-in's order (next, above, tag), then capacity. */
static int env_refuse(unsigned pool, uint64_t size, uint32_t tag) {
    if (S.inj_next) {
        S.inj_next--;
        return 1;
    }
    if (size > S.inj_above)
        return 1;
    for (unsigned i = 0; i < S.ntags; i++)
        if (S.tags[i] == tag)
            return 1;
    return size > sat_sub(S.cap[pool], S.used[pool]);
}

static uint64_t resolve(const struct prog_op *op, uint64_t max) {
    const struct prog_size *sz = &op->size;
    uint64_t base;
    if (sz->kind == PROG_SZ_LITERAL)
        return sz->value > max ? max : sz->value;
    if (sz->kind == PROG_SZ_QUOTA)
        base = want_remaining(op->dev);
    else {
        unsigned p = sz->kind == PROG_SZ_PAGED ? VPM_PAGED : VPM_NONPAGED;
        base = sat_sub(S.cap[p], S.used[p]);
    }
    return sat_add_delta(base, sz->delta, max);
}

static void obj_del(struct obj *v, uint32_t *n, uint32_t k) {
    v[k] = v[--*n];
}

/* ---- AllocateBuffer ---- */

/* The judge on all five results: pure, consistent, SPEC-shaped. */
static uint32_t judge_buffer_all(unsigned d, uint32_t size, int refused,
                                 int over) {
    struct vpm_verdict v0 = vpm_buffer_judge(&S.m, d, size, refused, VPM_R_OK);
    uint32_t a = v0.allowed;
    for (unsigned r = 0; r <= VPM_R_OTHER; r++) {
        struct vpm_verdict v =
            vpm_buffer_judge(&S.m, d, size, refused, (enum vpm_result)r);
        struct vpm_verdict w =
            vpm_buffer_judge(&S.m, d, size, refused, (enum vpm_result)r);
        LAW(same_verdict(v, w), "buffer judge is not pure (%s)", res_name(r));
        LAW(v.allowed == a, "buffer judge: allowed set depends on the result");
        LAW(v.ok == !!(a & VPM_ALLOW(r)),
            "buffer judge: ok=%d for %s, allowed mask %#x", v.ok, res_name(r),
            (unsigned)a);
        if (!v.ok)
            check_rejection(v, "buffer judge");
    }
    LAW(a != 0 && !(a & ~0xFu), "buffer judge: allowed mask %#x", (unsigned)a);
    LAW(!(a & VPM_ALLOW(VPM_R_INVALID)) || size == 0,
        "buffer judge allows ERROR_INVALID_PARAMETER for Size %u", size);
    LAW(!(a & VPM_ALLOW(VPM_R_QUOTA)) || over,
        "buffer judge allows ERROR_INSUFFICIENT_BUFFER within the quota");
    LAW(!(a & VPM_ALLOW(VPM_R_NOMEM)) || refused,
        "buffer judge allows ERROR_NOT_ENOUGH_MEMORY without a refusal");
    LAW(!(a & VPM_ALLOW(VPM_R_OK)) || !over,
        "buffer judge allows NO_ERROR over the quota");
    return a;
}

static void op_buffer(const struct prog_op *op, unsigned choice) {
    unsigned d = op->dev;
    uint32_t size = (uint32_t)resolve(op, 0xFFFFFFFFu);
    if (!S.started[d]) {
        struct vpm_verdict v = vpm_buffer_judge(&S.m, d, size, 0, VPM_R_OK);
        uint32_t h;
        LAW(!v.ok && v.clause && strcmp(v.clause, "CO-5") == 0,
            "AllocateBuffer on a stopped device not refused with CO-5");
        LAW(vpm_buffer_commit(&S.m, d, size, VPM_R_OK, &h) == VPM_E_CALLER,
            "commit on a stopped device accepted");
        return;
    }
    int over = size > 0 && quota_applies(d) &&
               size > sat_sub(S.quota[d], S.charged[d]);
    int refused = 0;
    enum vpm_result res;
    if (size == 0) {
        int alloc = S.cfg.zero_size == VPM_ZERO_ALLOCATE ||
                    (S.cfg.zero_size == VPM_ZERO_ANY && (choice & 1));
        refused = alloc && env_refuse(VPM_PAGED, 0, BUF_TAG);
        res = !alloc ? VPM_R_INVALID : refused ? VPM_R_NOMEM : VPM_R_OK;
    } else if (S.cfg.quota_first && over) {
        res = VPM_R_QUOTA; /* the pool is never asked */
    } else {
        refused = env_refuse(VPM_PAGED, size, BUF_TAG);
        res = refused ? VPM_R_NOMEM : over ? VPM_R_QUOTA : VPM_R_OK;
    }
    judge_buffer_all(d, size, refused, over);
    struct vpm_verdict v = vpm_buffer_judge(&S.m, d, size, refused, res);
    LAW(v.ok,
        "the model rejects a conforming AllocateBuffer(Size %u) = %s "
        "(pool refused %d, over quota %d): %s %s",
        size, res_name(res), refused, over, v.clause ? v.clause : "",
        v.why ? v.why : "");
    uint32_t h;
    int rc = vpm_buffer_commit(&S.m, d, size, res, &h);
    if (rc == VPM_E_NOMEM) {
        S.oom = 1;
        return;
    }
    LAW(rc == VPM_E_OK, "vpm_buffer_commit(%s) failed: %d", res_name(res), rc);
    if (res != VPM_R_OK) {
        LAW(h == UINT32_MAX, "a failed AllocateBuffer got a handle");
        return;
    }
    LAW(vpm_buffer_size(&S.m, h) == size && vpm_buffer_device(&S.m, h) == d,
        "a new buffer's size or device is wrong");
    for (uint32_t i = 0; i < S.nbufs; i++)
        LAW(S.bufs[i].h != h, "handle %u handed out twice", (unsigned)h);
    S.bufs[S.nbufs++] = (struct obj){h, size, (uint8_t)d, VPM_PAGED};
    S.used[VPM_PAGED] += size;
    S.charged[d] += size;
}

static void release_buffer(uint32_t k) {
    struct obj o = S.bufs[k];
    LAW(vpm_buffer_size(&S.m, o.h) == o.size &&
            vpm_buffer_device(&S.m, o.h) == o.dev,
        "a live buffer's size or device changed");
    LAW(vpm_buffer_release(&S.m, o.h) == VPM_E_OK,
        "releasing a live buffer failed");
    obj_del(S.bufs, &S.nbufs, k);
    S.used[VPM_PAGED] -= o.size;
    S.charged[o.dev] -= o.size;
    LAW(vpm_buffer_release(&S.m, o.h) == VPM_E_CALLER,
        "a second release of the same buffer was accepted (CO-1)");
}

/* A charge then a release restores quota remaining and pool exactly. */
static void probe_charge_release(const struct prog_op *op) {
    unsigned d = op->index % prog.ndevices;
    if (!S.started[d])
        return;
    uint64_t rem = vpm_quota_remaining(&S.m, d);
    uint64_t pool = vpm_pool_remaining(&S.m, VPM_PAGED);
    uint32_t size =
        (op->index & 1) && rem != VPM_UNLIMITED && rem <= 0xFFFFFFFFu
            ? (uint32_t)rem
            : (uint32_t)(op->index >> 1) * 97u + 1u;
    int over = quota_applies(d) && size > sat_sub(S.quota[d], S.charged[d]);
    struct vpm_verdict v = vpm_buffer_judge(&S.m, d, size, 0, VPM_R_OK);
    LAW(v.ok == (size == 0 ? S.cfg.zero_size != VPM_ZERO_REJECT : !over),
        "buffer judge on NO_ERROR(Size %u): ok=%d, over quota %d", size, v.ok,
        over);
    if (!v.ok)
        return;
    uint32_t h;
    int rc = vpm_buffer_commit(&S.m, d, size, VPM_R_OK, &h);
    if (rc == VPM_E_NOMEM) {
        S.oom = 1;
        return;
    }
    if (rc == VPM_E_CALLER) { /* the pool total would pass 2^64 bytes */
        LAW(S.used[VPM_PAGED] > UINT64_MAX - size,
            "commit refused a grant that fits");
        return;
    }
    uint64_t mid = vpm_quota_remaining(&S.m, d);
    LAW(rem == VPM_UNLIMITED ? mid == VPM_UNLIMITED : mid == rem - size,
        "a grant of %u bytes took quota remaining from %llu to %llu", size,
        (unsigned long long)rem, (unsigned long long)mid);
    LAW(vpm_buffer_release(&S.m, h) == VPM_E_OK, "release of the probe failed");
    LAW(vpm_quota_remaining(&S.m, d) == rem &&
            vpm_pool_remaining(&S.m, VPM_PAGED) == pool,
        "charge then release of %u bytes did not restore quota/pool remaining",
        size);
}

/* ---- AllocatePool / FreePool ---- */

static void op_pool(const struct prog_op *op, unsigned choice) {
    unsigned d = op->dev, irql = op->dispatch ? DISPATCH : 0;
    int type = op->pool_type;
    unsigned pool = vpcert_pool_type_paged(type) ? VPM_PAGED : VPM_NONPAGED;
    uint64_t size = resolve(op, UINT64_MAX);
    uint32_t h;
    struct vpm_verdict v;
    if (!S.started[d]) {
        v = vpm_pool_judge(&S.m, d, type, size, irql, 0, VPM_P_BLOCK);
        LAW(!v.ok && v.clause && strcmp(v.clause, "CO-5") == 0,
            "AllocatePool on a stopped device not refused with CO-5");
        LAW(vpm_pool_commit(&S.m, d, type, size, VPM_P_BLOCK, &h) ==
                VPM_E_CALLER,
            "pool commit on a stopped device accepted");
        return;
    }
    /* caller errors: a bad type, a paged type at DISPATCH_LEVEL */
    v = vpm_pool_judge(&S.m, d, 2 + (int)(choice & 1), size, irql, 0,
                       VPM_P_BLOCK);
    LAW(!v.ok && v.clause && strcmp(v.clause, "CO-4") == 0,
        "pool type 2/3 not refused with CO-4");
    LAW(vpm_pool_commit(&S.m, d, 3, size, VPM_P_BLOCK, &h) == VPM_E_CALLER,
        "pool commit with type 3 accepted");
    v = vpm_pool_judge(&S.m, d, 1, size, DISPATCH, 0, VPM_P_BLOCK);
    LAW(!v.ok && v.clause && strcmp(v.clause, "CO-3") == 0,
        "paged pool at DISPATCH_LEVEL not refused with CO-3");
    if (pool == VPM_PAGED && irql >= DISPATCH)
        return; /* the decoder never makes this; the check above covers it */

    int refused = 0;
    enum vpm_pool_result res;
    if (size == 0 && (choice & 1)) {
        res = VPM_P_NULL; /* ZERO-2: NULL without asking the pool */
    } else {
        refused = env_refuse(pool, size, op->tag);
        res = refused ? VPM_P_NULL : VPM_P_BLOCK;
    }
    uint32_t a =
        vpm_pool_judge(&S.m, d, type, size, irql, refused, VPM_P_BLOCK).allowed;
    for (unsigned r = 0; r <= VPM_P_NULL; r++) {
        v = vpm_pool_judge(&S.m, d, type, size, irql, refused,
                           (enum vpm_pool_result)r);
        struct vpm_verdict w = vpm_pool_judge(&S.m, d, type, size, irql,
                                              refused, (enum vpm_pool_result)r);
        LAW(same_verdict(v, w), "pool judge is not pure");
        LAW(v.allowed == a && v.ok == !!(a & (1u << r)),
            "pool judge: ok=%d for %s, allowed %#x", v.ok,
            r ? "NULL" : "a block", (unsigned)a);
        if (!v.ok)
            check_rejection(v, "pool judge");
    }
    LAW(a & (1u << VPM_P_BLOCK), "pool judge does not allow a block");
    LAW(!!(a & (1u << VPM_P_NULL)) == (refused || size == 0),
        "pool judge: NULL allowed=%d, pool refused %d, size %llu",
        !!(a & (1u << VPM_P_NULL)), refused, (unsigned long long)size);
    int rc = vpm_pool_commit(&S.m, d, type, size, res, &h);
    if (rc == VPM_E_NOMEM) {
        S.oom = 1;
        return;
    }
    LAW(rc == VPM_E_OK, "vpm_pool_commit failed: %d", rc);
    if (res == VPM_P_NULL) {
        LAW(h == UINT32_MAX, "a NULL AllocatePool got a handle");
        return;
    }
    for (uint32_t i = 0; i < S.nblks; i++)
        LAW(S.blks[i].h != h, "block handle %u handed out twice", (unsigned)h);
    S.blks[S.nblks++] = (struct obj){h, size, (uint8_t)d, (uint8_t)pool};
    S.used[pool] += size;
}

static void free_block(uint32_t k, unsigned irql) {
    struct obj o = S.blks[k];
    if (o.pool == VPM_PAGED && irql >= DISPATCH) {
        LAW(vpm_pool_free(&S.m, o.h, irql) == VPM_E_CALLER,
            "a paged block freed at DISPATCH_LEVEL (CO-3) was accepted");
        check_state(); /* and the block is still live, unchanged */
        irql = 0;
    }
    LAW(vpm_pool_free(&S.m, o.h, irql) == VPM_E_OK,
        "freeing a live block failed");
    obj_del(S.blks, &S.nblks, k);
    S.used[o.pool] -= o.size;
    LAW(vpm_pool_free(&S.m, o.h, 0) == VPM_E_CALLER,
        "a second free of the same block was accepted (CO-1)");
}

/* ---- devices, injections ---- */

static void op_start(unsigned d) {
    if (S.started[d]) {
        LAW(vpm_device_start(&S.m, d, S.quota[d]) == VPM_E_CALLER,
            "starting a started device was accepted (CO-5)");
        return;
    }
    LAW(vpm_device_start(&S.m, d, S.quota[d]) == VPM_E_OK,
        "starting a stopped device failed");
    S.started[d] = 1;
    S.charged[d] = 0; /* QU-9 */
}

static void op_stop(unsigned d) {
    if (!S.started[d]) {
        LAW(vpm_device_stop(&S.m, d) == VPM_E_CALLER,
            "stopping a stopped device was accepted (CO-5)");
        return;
    }
    int live = 0;
    for (uint32_t i = 0; i < S.nbufs; i++)
        live |= S.bufs[i].dev == d;
    for (uint32_t i = 0; i < S.nblks; i++)
        live |= S.blks[i].dev == d;
    if (live)
        LAW(vpm_device_stop(&S.m, d) == VPM_E_CALLER,
            "stopping a device with live allocations was accepted (CO-5)");
    for (uint32_t i = S.nbufs; i > 0; i--) /* last first, no wrap below 0 */
        if (S.bufs[i - 1].dev == d)
            release_buffer(i - 1);
    for (uint32_t i = S.nblks; i > 0; i--)
        if (S.blks[i - 1].dev == d)
            free_block(i - 1, 0);
    LAW(S.charged[d] == 0 && vpm_quota_remaining(&S.m, d) == want_remaining(d),
        "device %u: quota not fully refunded after releasing everything", d);
    LAW(vpm_device_stop(&S.m, d) == VPM_E_OK, "stopping device %u failed", d);
    S.started[d] = 0;
    LAW(vpm_quota_remaining(&S.m, d) == 0,
        "a stopped device has quota remaining");
}

static void op_inject(const struct prog_op *op) {
    switch (op->inject) {
    case PROG_INJ_NEXT:
        S.inj_next = (uint32_t)op->value;
        break;
    case PROG_INJ_ABOVE:
        S.inj_above = op->value;
        break;
    case PROG_INJ_TAG:
        for (unsigned i = 0; i < S.ntags; i++)
            if (S.tags[i] == op->tag)
                return;
        if (S.ntags < 32)
            S.tags[S.ntags++] = op->tag;
        break;
    default:
        S.inj_next = 0;
        S.inj_above = UINT64_MAX;
        S.ntags = 0;
    }
}

static void step(const struct prog_op *op) {
    unsigned choice = op->expect + (op->clause == UINT16_MAX ? 0u : op->clause);
    switch (op->code) {
    case PROG_OP_ALLOC_BUFFER:
        op_buffer(op, choice);
        break;
    case PROG_OP_RELEASE_BUFFER:
        if (S.nbufs)
            release_buffer(op->index % S.nbufs);
        break;
    case PROG_OP_ALLOC_POOL:
        op_pool(op, choice);
        break;
    case PROG_OP_FREE_POOL:
        if (S.nblks)
            free_block(op->index % S.nblks, op->dispatch ? DISPATCH : 0);
        break;
    case PROG_OP_TOUCH:
        probe_charge_release(op);
        break;
    case PROG_OP_INJECT:
        op_inject(op);
        break;
    case PROG_OP_START:
        op_start(op->dev);
        break;
    case PROG_OP_STOP:
        op_stop(op->dev);
        break;
    default: /* repeat: followed by prog_run_next, never a step */
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (prog_decode(data, size, &prog) == PROG_DECODE_NEWER)
        return 0;
    memset(&S, 0, sizeof S);
    uint8_t ics = size ? data[size - 1] : 0;
    S.cfg.capacity[0] = S.cap[0] = prog.capacity[0];
    S.cfg.capacity[1] = S.cap[1] = prog.capacity[1];
    S.cfg.ndevices = prog.ndevices;
    S.cfg.quota_enabled = (ics & 7) != 0;
    S.cfg.quota_first = (ics >> 3) & 1;
    S.cfg.zero_size = (enum vpm_zero_size)((ics >> 4) % 3);
    S.inj_above = UINT64_MAX;
    for (unsigned d = 0; d < PROG_MAX_DEVICES; d++)
        S.quota[d] = prog.quota[d];
    LAW(vpm_init(&S.m, &S.cfg) == VPM_E_OK, "vpm_init failed");
    for (unsigned d = 0; d < prog.ndevices; d++)
        op_start(d);
    check_state();
    /* Repeats unrolled, at most PROG_MAX_OPS steps: as many live objects
     * as MAX_OBJS holds. */
    struct prog_run run;
    int64_t at;
    LAW(prog_run_init(&run, &prog, PROG_MAX_OPS) == 0, "prog_run_init failed");
    while (!S.oom && (at = prog_run_next(&run)) >= 0) {
        S.op = (uint32_t)at;
        step(&prog.ops[S.op]);
        if (!S.oom)
            check_state();
    }
    prog_run_fini(&run);
    if (!S.oom) {
        S.op = prog.nops;
        for (unsigned d = 0; d < prog.ndevices; d++)
            if (S.started[d])
                op_stop(d);
        check_state();
        LAW(vpm_pool_remaining(&S.m, VPM_PAGED) == S.cap[0] &&
                vpm_pool_remaining(&S.m, VPM_NONPAGED) == S.cap[1],
            "pools not whole after every device stopped");
    }
    vpm_fini(&S.m);
    return 0;
}
