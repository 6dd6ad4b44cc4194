/*
 * exec: the lockstep executor. For each operation: resolve its arguments
 * against the current state, call the implementation over the kernel
 * shim, read the shim's events, ask the model whether the result is
 * allowed, then check the memory returned. See exec.h.
 */
#include "clauses.h"
#include "exec_internal.h"
#include "vpcert/pool_types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Pre-filled into *Buffer so that "left unchanged" is visible (AB-OUT-1). */
static const unsigned char out_sentinel[16];
#define SENTINEL ((void *)(uintptr_t)out_sentinel)

void exec_options_default(struct exec_options *o) {
    memset(o, 0, sizeof *o);
    ics_default(&o->ics);
    o->check_expect = 1;
    o->max_steps = PROG_MAX_STEPS;
    o->write_limit = 8u << 10; /* as the kernel stand-in's whole fill */
    o->check_imports = 1;
    o->check_state = VPCERT_EXPENSIVE_CHECKS;
}

/* After an operation: count it, check vpcert's own state (always the O(1)
 * counts; everything when check_state, sampled on long programs), tell
 * on_step. */
void exec_step_done(struct executor *x, struct exec_step *s) {
    s->escaped = x->escaped;
    if (s->skipped)
        x->r->ops_skipped++;
    else
        x->r->ops_run++;
    exec_check_counts(x);
    if (x->o->check_state && exec_check_due(x->o->check_state, s->step))
        exec_check_state(x);
    if (x->o->on_step)
        x->o->on_step(x->o->step_ctx, s);
}

static uint64_t sat_add(uint64_t base, int32_t delta, uint64_t max) {
    if (delta < 0)
        return base < (uint64_t) - (int64_t)delta
                   ? 0
                   : base - (uint64_t) - (int64_t)delta;
    if (base > max || max - base < (uint64_t)delta)
        return max;
    return base + (uint64_t)delta;
}

static uint64_t resolve_size(struct executor *x, const struct prog_op *op,
                             uint64_t max) {
    const struct prog_size *sz = &op->size;
    uint64_t base;
    if (sz->kind == PROG_SZ_LITERAL)
        return sz->value > max ? max : sz->value;
    if (sz->kind == PROG_SZ_QUOTA) {
        base = vpm_quota_remaining(&x->model, op->dev);
    } else {
        enum kernel_pool pl =
            sz->kind == PROG_SZ_PAGED ? KN_PAGED : KN_NONPAGED;
        base = kernel_capacity(x->k, pl) - kernel_used(x->k, pl);
    }
    return sat_add(base, sz->delta, max);
}

/* The call an operation makes into the implementation, in the words of
 * the clause table's CHARGED column. Touch and inject make none: they
 * never announce. */
static enum spec_call call_of(const struct prog_op *op, uint64_t size) {
    switch (op->code) {
    case PROG_OP_ALLOC_BUFFER:
        return size == 0 ? SPEC_CALL_ALLOC_BUFFER_0 : SPEC_CALL_ALLOC_BUFFER;
    case PROG_OP_RELEASE_BUFFER:
        return SPEC_CALL_RELEASE_BUFFER;
    case PROG_OP_ALLOC_POOL:
        return op->dispatch ? SPEC_CALL_ALLOC_POOL_DISPATCH
                            : SPEC_CALL_ALLOC_POOL;
    case PROG_OP_FREE_POOL:
        return SPEC_CALL_FREE_POOL;
    case PROG_OP_START:
        return SPEC_CALL_START;
    default:
        return SPEC_CALL_STOP;
    }
}

/* Say which operation is running and which clause the call about to be
 * made exercises, for attributing a crash, hang or runaway memory to a
 * verdict (clauses.def, CHARGED): op is the operation making the call,
 * NULL for a release vpcert makes for the current one (or after the last
 * one). */
static void announce(struct executor *x, const struct prog_op *op,
                     uint64_t size) {
    struct exec_progress *pr = x->o->progress;
    if (!op && x->op < x->p->nops)
        op = &x->p->ops[x->op];
    /* The clause the step cites, unless the ICS makes it NOT-APPLICABLE:
     * a crash there is still a crash, charged to what the call exercises. */
    const struct spec_clause *cited =
        op && op->expect && op->clause != UINT16_MAX
            ? spec_clause_at(op->clause)
            : NULL;
    const struct spec_clause *c =
        cited && !ics_not_applicable(&x->o->ics, cited)
            ? cited
            : spec_charged(op ? call_of(op, size) : SPEC_CALL_END);
    VPCERT_INVARIANT(c != NULL); /* every call is charged to a clause */
    x->charged = c->id;
    if (!pr)
        return;
    pr->op = x->op;
    pr->clause = c->id;
    pr->calls++;
}

/* The `expect` annotation of op, under the declared ICS (ics_expected),
 * against what was seen. Called only once the model and the checks have
 * accepted the result: an unmet annotation then breaks no clause (the
 * model allows what happened), so it is counted, never a finding. */
static void check_expect(struct executor *x, const struct prog_op *op,
                         unsigned seen, int pool_refused) {
    unsigned want = ics_expected(&x->o->ics, op);
    if (!x->o->check_expect || !want)
        return;
    if (want & (1u << seen)) {
        x->r->expect_met++;
        return;
    }
    if (x->r->expect_unmet++ == 0) {
        struct exec_expect_miss *m = &x->r->first_unmet;
        m->op = x->op;
        m->step = x->step;
        m->expected = want;
        m->observed = seen;
        m->pool_refused = pool_refused;
    }
}

/* The model's judgement of the call, when traced: v, and other, what it
 * would allow had a pool request been refused, or not, the other way. */
static void trace_judge(struct executor *x, const struct vpm_verdict *v,
                        uint32_t other, int refused) {
    struct exec_trace t = {.kind = EXEC_TR_JUDGE,
                           .flag = (uint8_t)v->ok,
                           .refused = (uint8_t)refused,
                           .allowed = v->allowed,
                           .allowed_other = other};
    exec_trace(x, &t);
}

static unsigned expect_of_status(int32_t st) {
    switch (st) {
    case NO_ERROR:
        return PROG_EX_NO_ERROR;
    case ERROR_NOT_ENOUGH_MEMORY:
        return PROG_EX_NOT_ENOUGH_MEMORY;
    case ERROR_INSUFFICIENT_BUFFER:
        return PROG_EX_INSUFFICIENT_BUFFER;
    case ERROR_INVALID_PARAMETER:
        return PROG_EX_INVALID_PARAMETER;
    default:
        return PROG_EX_NONE;
    }
}

/* ---- a new allocation handed to the caller ---- */

/* Write its pattern, then check its block's guard (new events only are
 * scanned): the guard of a block allocated during this call was already
 * checked when the call's events were scanned, before vpcert wrote
 * anything, so an overrun found there is the implementation's; this check
 * covers a block it allocated in an earlier call and sub-allocates. */
static void settle(struct executor *x, struct exec_live *l,
                   const struct kernel_block_info *b) {
    exec_pattern_write(x, l);
    kernel_check_guard(x->k, b->addr);
    exec_scan_events(x);
}

/* Keep l live once the model has recorded it (committed == VPM_E_OK).
 * Otherwise vpcert cannot vouch for the run: the model refused an
 * allocation it allowed (a bug), or vpcert ran out of memory. */
static void keep(struct executor *x, struct exec_liveset *set,
                 struct exec_live *l, int committed, struct exec_step *s) {
    if (committed == VPM_E_OK && exec_live_add(set, l) == 0) {
        s->target = l->pos;
        return;
    }
    exec_handed_del(&x->handed, l);
    exec_live_retire(x, l);
    if (committed == VPM_E_CALLER)
        exec_fail(x, EXEC_ERR_BUG,
                  "the model refused to record an allocation it allowed");
    else
        exec_fail(x, EXEC_ERR_HOST, "vpcert ran out of memory");
}

/* ---- AllocateBuffer ---- */

static void buffer_failed(struct executor *x, void *out) {
    char obs[96];
    if (out != NULL && out != SENTINEL) {
        snprintf(obs, sizeof obs, "*Buffer = %p", out);
        exec_find(x, "AB-OUT-1", "*Buffer NULL or unchanged", obs,
                  "a failed call wrote a pointer into *Buffer");
    } else if (out == SENTINEL) {
        exec_find(x, "AB-OUT-2", "*Buffer = NULL", "*Buffer left unchanged",
                  "a failed call should set *Buffer to NULL");
    }
    exec_check_call_leaks(x, "AB-LEAK-1");
}

/* A pointer as text, for a finding (formatted only when one is raised). */
struct ptr_text {
    char s[32]; /* "0x..." */
};

static struct ptr_text ptr_text(const void *p) {
    struct ptr_text t;
    snprintf(t.s, sizeof t.s, "%p", p);
    return t;
}

static void buffer_memory(struct executor *x, unsigned dev, void *out,
                          uint64_t size, struct exec_step *s) {
    struct kernel_block_info b;
    if (!out) {
        exec_find(x, "AB-RES-2", "non-NULL *Buffer", "NULL",
                  "NO_ERROR without a buffer");
        return;
    }
    if ((uintptr_t)out % 16) {
        exec_find(x, "BUF-1", "16-byte aligned", ptr_text(out).s,
                  "misaligned buffer");
        return;
    }
    if (!exec_contained(x, out, size, &b)) {
        exec_find(x, "BUF-2", "Size bytes inside one live pool block",
                  ptr_text(out).s,
                  "the buffer is not backed by a live pool block of its size");
        return;
    }
    if (b.pool != KN_PAGED)
        exec_find(x, "BUF-5", "paged pool", "nonpaged pool",
                  "the buffer is backed by nonpaged pool");
    struct exec_live *l = exec_hand_out(x, out, size, &b);
    if (!l)
        return;
    l->dev = (uint8_t)dev;
    settle(x, l, &b);
    keep(x, &x->bufs, l,
         vpm_buffer_commit(&x->model, dev, (uint32_t)size, VPM_R_OK, &l->model),
         s);
}

/* Did the implementation make a pool request during this call? */
static int pool_asked(const struct executor *x) {
    const struct kernel_event *e;
    for (size_t i = 0; (e = exec_call_event(x, &i)) != NULL;)
        if (e->kind == KN_EV_ALLOC || e->kind == KN_EV_REFUSE)
            return 1;
    return 0;
}

/* An AllocateBuffer that overlapped another call on its device: its quota
 * is judged with theirs (CONC-1, exec_lin.c); here only a result that no
 * charge at all would allow fails, on the model's own clause. */
static struct vpm_verdict judge_overlapped(const struct executor *x,
                                           unsigned dev, uint32_t size,
                                           int refused, enum vpm_result res) {
    uint32_t any =
        vpm_buffer_allowed(&x->model, dev, 0, size, refused) |
        vpm_buffer_allowed(&x->model, dev, UINT64_MAX, size, refused);
    struct vpm_verdict v = {any, 1, NULL, NULL};
    if ((unsigned)res < VPM_R_OTHER && (any & VPM_ALLOW(res)))
        return v;
    v = vpm_buffer_judge(&x->model, dev, size, refused, res);
    v.allowed = any;
    return v;
}

static void op_alloc_buffer(struct executor *x, const struct prog_op *op,
                            struct exec_step *s) {
    unsigned dev = op->dev;
    uint32_t size = (uint32_t)resolve_size(x, op, 0xFFFFFFFFu);
    struct exec_call c = {.kind = EXEC_CALL_ALLOC_BUFFER,
                          .dev = dev,
                          .irql = PASSIVE_LEVEL,
                          .size = size};
    c.out = SENTINEL;
    s->size = size;
    announce(x, op, size);
    uint32_t lin = exec_lin_enter(x, dev, size, 0);
    int escaped = exec_invoke(x, &c);
    int32_t st = c.status;
    void *out = c.out;
    s->status = st;
    s->ptr = out;
    s->pool_refused = exec_scan_events(x);
    if (escaped)
        return;
    enum vpm_result res = vpm_result_of_status(st);
    s->overlapped = lin != UINT32_MAX && !exec_lin_alone(x, dev, lin);
    if (lin != UINT32_MAX)
        exec_lin_return(x, dev, lin, s->pool_refused, (int)res);
    struct vpm_verdict v =
        s->overlapped
            ? judge_overlapped(x, dev, size, s->pool_refused, res)
            : vpm_buffer_judge(&x->model, dev, size, s->pool_refused, res);
    s->allowed = v.allowed;
    if (x->o->on_trace)
        trace_judge(
            x, &v,
            vpm_buffer_judge(&x->model, dev, size, !s->pool_refused, res)
                .allowed,
            s->pool_refused);
    if (!v.ok) {
        char exp[96], obs[32];
        exec_allowed_text(v.allowed, 0, " or ", exp, sizeof exp);
        snprintf(obs, sizeof obs, "status %ld", (long)st);
        exec_find(x, v.clause, exp, obs, v.why);
        return;
    }
    if (size == 0 && (res == VPM_R_OK || res == VPM_R_INVALID))
        x->r->zero_form = res == VPM_R_OK ? 1 : 2;
    if (res == VPM_R_QUOTA && x->o->ics.quota_first &&
        kernel_event_count(x->k) && pool_asked(x))
        exec_find(x, "QU-8", "the quota consulted before the pool",
                  "the pool was asked for an over-quota request",
                  "quota-first: an over-quota request must not reach the pool");
    if (res == VPM_R_OK)
        buffer_memory(x, dev, out, size, s);
    else
        buffer_failed(x, out);
    if (res != VPM_R_OK &&
        vpm_buffer_commit(&x->model, dev, size, res, &s->target) != VPM_E_OK)
        exec_fail(x, EXEC_ERR_BUG,
                  "the model refused to record a failed call it allowed");
    if (!exec_stopped(x))
        check_expect(x, op, expect_of_status(st), s->pool_refused);
}

/* ---- ReleaseBuffer / FreePool ---- */

/* Give one live allocation back, ReleaseBuffer (block = 0) or FreePool
 * (block = 1), with its checks: contents intact until then (BUF-4), the
 * backing block freed (RB-1 / AP-FREE-1), the model's refund. */
static void give_back(struct executor *x, struct exec_live *l, int block,
                      KIRQL irql) {
    if (!exec_pattern_verify(x, l))
        return;
    struct exec_call c = {.kind = block ? EXEC_CALL_FREE_POOL
                                        : EXEC_CALL_RELEASE_BUFFER,
                          .dev = l->dev,
                          .irql = irql};
    c.ptr = l->ptr;
    l->claimed = 1; /* CO-7: no other thread picks it now */
    announce(x, NULL, l->size);
    uint32_t lin =
        block ? UINT32_MAX : exec_lin_enter(x, l->dev, (uint32_t)l->size, 1);
    if (exec_invoke(x, &c) == 0 && lin != UINT32_MAX)
        exec_lin_return(x, l->dev, lin, 0, 0);
    exec_scan_events(x);
    if (exec_stopped(x))
        return;
    /* Out of the handed-out map first, so that l itself does not count as
     * another allocation still backed by its block. */
    exec_handed_del(&x->handed, l);
    exec_check_given_back(x, l, block ? "AP-FREE-1" : "RB-1");
    int rc = block ? vpm_pool_free(&x->model, l->model, irql)
                   : vpm_buffer_release(&x->model, l->model);
    if (rc != VPM_E_OK)
        exec_find(x, "CO-1", "a live allocation", "not live in the model",
                  "vpcert gave back an allocation the model does not hold");
    exec_live_del(block ? &x->blocks : &x->bufs, l);
    exec_live_retire(x, l);
}

static void release_one(struct executor *x, struct exec_live *l) {
    give_back(x, l, 0, PASSIVE_LEVEL);
}

static void free_one(struct executor *x, struct exec_live *l, int dispatch) {
    /* CO-3: a paged block is always freed below DISPATCH_LEVEL. */
    give_back(x, l, 1,
              dispatch && !vpcert_pool_type_paged(l->pool_type)
                  ? DISPATCH_LEVEL
                  : PASSIVE_LEVEL);
}

/* Live allocation index (modulo the number live), the next one not
 * claimed by another thread giving it back (CO-7). */
static struct exec_live *pick(struct exec_liveset *set, uint32_t index,
                              struct exec_step *s) {
    for (uint32_t k = 0; k < set->n; k++) {
        uint32_t at = (index + k) % set->n;
        if (set->v[at]->claimed)
            continue;
        s->target = at;
        return set->v[at];
    }
    s->skipped = 1;
    s->why = "nothing live";
    return NULL;
}

static void op_release_buffer(struct executor *x, const struct prog_op *op,
                              struct exec_step *s) {
    struct exec_live *l = pick(&x->bufs, op->index, s);
    if (l) {
        s->ptr = l->ptr;
        s->size = l->size;
        release_one(x, l);
    }
}

static void op_free_pool(struct executor *x, const struct prog_op *op,
                         struct exec_step *s) {
    struct exec_live *l = pick(&x->blocks, op->index, s);
    if (l) {
        s->ptr = l->ptr;
        s->size = l->size;
        free_one(x, l, op->dispatch);
    }
}

static void op_touch(struct executor *x, const struct prog_op *op,
                     struct exec_step *s) {
    struct exec_live *l = pick(&x->bufs, op->index, s);
    if (l && exec_pattern_verify(x, l))
        exec_pattern_write(x, l);
}

/* ---- AllocatePool ---- */

static void pool_memory(struct executor *x, const struct prog_op *op, void *p,
                        uint64_t size, struct exec_step *s) {
    struct kernel_block_info b;
    char want[32];
    const struct vpcert_pool_type *type = vpcert_pool_type_of(op->pool_type);
    int paged = type && type->paged;
    unsigned align = type ? type->align : VPCERT_POOL_ALIGN;
    if ((uintptr_t)p % align) {
        snprintf(want, sizeof want, "%u-byte aligned", align);
        exec_find(x, "AP-ALIGN-1", want, ptr_text(p).s,
                  "misaligned pool block");
        return;
    }
    if (!exec_contained(x, p, size, &b)) {
        exec_find(x, "AP-RES-2", "NumberOfBytes inside one live pool block",
                  ptr_text(p).s,
                  "the block is not backed by a live pool block of its size");
        return;
    }
    if (paged != (b.pool == KN_PAGED))
        exec_find(x, paged ? "AP-TYPE-2" : "AP-TYPE-1",
                  paged ? "paged pool" : "nonpaged pool",
                  b.pool == KN_PAGED ? "paged pool" : "nonpaged pool",
                  "the block comes from the other pool");
    if (b.tag != op->tag) {
        char want[16], got[16];
        prog_tag_format(op->tag, want);
        prog_tag_format(b.tag, got);
        exec_find(x, "AP-TAG-1", want, got,
                  "the caller's tag was not passed on");
    }
    if (exec_stopped(x))
        return;
    struct exec_live *l = exec_hand_out(x, p, size, &b);
    if (!l)
        return;
    l->dev = op->dev;
    l->pool_type = op->pool_type;
    settle(x, l, &b);
    keep(x, &x->blocks, l,
         vpm_pool_commit(&x->model, op->dev, op->pool_type, size, VPM_P_BLOCK,
                         &l->model),
         s);
}

static void op_alloc_pool(struct executor *x, const struct prog_op *op,
                          struct exec_step *s) {
    KIRQL irql = op->dispatch ? DISPATCH_LEVEL : PASSIVE_LEVEL;
    uint64_t size = resolve_size(x, op, SIZE_MAX);
    s->size = size;
    struct exec_call c = {.kind = EXEC_CALL_ALLOC_POOL,
                          .dev = op->dev,
                          .irql = irql,
                          .size = size,
                          .pool_type = op->pool_type,
                          .tag = op->tag};
    announce(x, op, size);
    int escaped = exec_invoke(x, &c);
    void *p = c.ret;
    s->ptr = p;
    s->pool_refused = exec_scan_events(x);
    if (escaped)
        return;
    enum vpm_pool_result res = p ? VPM_P_BLOCK : VPM_P_NULL;
    struct vpm_verdict v = vpm_pool_judge(&x->model, op->dev, op->pool_type,
                                          size, irql, s->pool_refused, res);
    s->allowed = v.allowed;
    if (x->o->on_trace)
        trace_judge(x, &v,
                    vpm_pool_judge(&x->model, op->dev, op->pool_type, size,
                                   irql, !s->pool_refused, res)
                        .allowed,
                    s->pool_refused);
    if (!v.ok) {
        exec_find(x, v.clause,
                  v.allowed & (1u << VPM_P_NULL) ? "block or NULL" : "a block",
                  p ? "a block" : "NULL", v.why);
        return;
    }
    if (p)
        pool_memory(x, op, p, size, s);
    else
        exec_check_call_leaks(x, "AP-LEAK-1");
    if (!exec_stopped(x))
        check_expect(x, op, p ? PROG_EX_BLOCK : PROG_EX_NULL, s->pool_refused);
}

/* ---- injection and device lifecycle ---- */

static void op_inject(struct executor *x, const struct prog_op *op) {
    struct exec_trace t = {.kind = EXEC_TR_INJECT,
                           .inject = op->inject,
                           .value = op->value,
                           .tag = op->tag};
    exec_trace(x, &t);
    switch (op->inject) {
    case PROG_INJ_NEXT:
        kernel_inject_next(x->k, (uint32_t)op->value);
        break;
    case PROG_INJ_ABOVE:
        kernel_inject_above(x->k, op->value);
        break;
    case PROG_INJ_TAG:
        kernel_inject_tag(x->k, op->tag, 1);
        break;
    default:
        kernel_inject_clear(x->k);
    }
}

static void device_start(struct executor *x, unsigned dev,
                         struct exec_step *s) {
    if (x->started[dev]) {
        s->skipped = 1;
        s->why = "device already started";
        return;
    }
    static const struct prog_op start_op = {.code = PROG_OP_START,
                                            .clause = UINT16_MAX};
    struct exec_call c = {
        .kind = EXEC_CALL_START, .dev = dev, .irql = PASSIVE_LEVEL};
    c.status = NO_ERROR;
    announce(x, &start_op, 0);
    int escaped = exec_invoke(x, &c);
    VP_STATUS st = c.status;
    s->status = st;
    exec_scan_events(x);
    if (escaped)
        return;
    if (st != NO_ERROR) {
        char obs[32];
        snprintf(obs, sizeof obs, "status %ld", (long)st);
        exec_find(x, "DEV-1", "NO_ERROR", obs, "VpcertDeviceStart failed");
    }
    if (vpm_device_start(&x->model, dev, x->p->quota[dev]) != VPM_E_OK)
        exec_find(x, "CO-5", "a stopped device", "started",
                  "vpcert started a started device");
    x->started[dev] = 1;
}

/* Release everything of dev (each release fully checked), then stop it and
 * check that nothing allocated on its behalf is left (KP-LEAK-1). */
static void device_stop(struct executor *x, unsigned dev, struct exec_step *s) {
    if (!x->started[dev]) {
        s->skipped = 1;
        s->why = "device not started";
        return;
    }
    /* From the last to the first (a release moves the last entry into the
     * freed slot); i counts down to 1 without wrapping below 0. */
    for (uint32_t i = x->bufs.n; i > 0 && !exec_stopped(x); i--)
        if (i <= x->bufs.n && x->bufs.v[i - 1]->dev == dev)
            release_one(x, x->bufs.v[i - 1]);
    for (uint32_t i = x->blocks.n; i > 0 && !exec_stopped(x); i--)
        if (i <= x->blocks.n && x->blocks.v[i - 1]->dev == dev)
            free_one(x, x->blocks.v[i - 1], 0);
    if (exec_stopped(x))
        return;
    static const struct prog_op stop_op = {.code = PROG_OP_STOP,
                                           .clause = UINT16_MAX};
    struct exec_call c = {
        .kind = EXEC_CALL_STOP, .dev = dev, .irql = PASSIVE_LEVEL};
    announce(x, &stop_op, 0);
    exec_invoke(x, &c);
    exec_scan_events(x);
    if (exec_stopped(x))
        return;
    struct exec_trace t = {.kind = EXEC_TR_SWEEP, .dev = (uint8_t)dev};
    exec_trace(x, &t);
    exec_events_clear(x);
    kernel_report_device_leaks(x->k, dev);
    exec_scan_events(x);
    if (vpm_device_stop(&x->model, dev) != VPM_E_OK)
        exec_find(x, "CO-5", "nothing live on the device", "still live",
                  "vpcert stopped a device with live allocations");
    x->started[dev] = 0;
}

/* ---- the run ---- */

static int device_ok(struct executor *x, const struct prog_op *op,
                     struct exec_step *s) {
    if (x->started[op->dev])
        return 1;
    s->skipped = 1;
    s->why = "device stopped";
    return 0;
}

void exec_run_op(struct executor *x, const struct prog_op *op,
                 struct exec_step *s) {
    int pool = op->code == PROG_OP_ALLOC_POOL || op->code == PROG_OP_FREE_POOL;
    if (pool && (!x->impl->alloc_pool || !x->impl->free_pool)) {
        s->skipped = 1;
        s->why = "pool services not exported";
        return;
    }
    switch (op->code) {
    case PROG_OP_ALLOC_BUFFER:
        if (device_ok(x, op, s))
            op_alloc_buffer(x, op, s);
        break;
    case PROG_OP_RELEASE_BUFFER:
        op_release_buffer(x, op, s);
        break;
    case PROG_OP_ALLOC_POOL:
        if (device_ok(x, op, s))
            op_alloc_pool(x, op, s);
        break;
    case PROG_OP_FREE_POOL:
        op_free_pool(x, op, s);
        break;
    case PROG_OP_TOUCH:
        op_touch(x, op, s);
        break;
    case PROG_OP_INJECT:
        op_inject(x, op);
        break;
    case PROG_OP_START:
        device_start(x, op->dev, s);
        break;
    case PROG_OP_STOP:
        device_stop(x, op->dev, s);
        break;
    default: /* repeat: followed by prog_run_next, never run */
        break;
    }
}

/* The operations one at a time, in program order. */
static void run_serialized(struct executor *x, struct prog_run *run) {
    int64_t at;
    while (!exec_stopped(x) && (at = prog_run_next(run)) >= 0) {
        struct exec_step s = {0};
        x->op = (uint32_t)at;
        s.op = x->op;
        s.step = x->step;
        s.o = &x->p->ops[at];
        exec_run_op(x, s.o, &s);
        exec_step_done(x, &s);
        x->step++;
    }
}

/* The operations in the order the run executes them (repeats unrolled),
 * at most max_steps. */
static void run_ops(struct executor *x) {
    struct prog_run run;
    uint64_t max = x->o->max_steps ? x->o->max_steps : PROG_MAX_STEPS;
    if (prog_run_init(&run, x->p, max) != 0) {
        exec_fail(x, EXEC_ERR_HOST, "vpcert ran out of memory");
        return;
    }
    x->in_ops = 1;
    /* CO-7: concurrently only what the ICS declares thread-safe */
    if (x->o->ics.thread_safe && prog_threads(x->p) > 1) {
        if (exec_run_threads(x, &run) != 0)
            exec_fail(x, EXEC_ERR_HOST, "vpcert ran out of memory");
    } else {
        run_serialized(x, &run);
    }
    x->in_ops = 0;
    x->r->steps = x->step;
    x->r->truncated = !exec_stopped(x) && run.pc < x->p->nops;
    prog_run_fini(&run);
}

static int setup(struct executor *x) {
    const struct program *p = x->p;
    struct vpm_config mc = {{p->capacity[0], p->capacity[1]},
                            p->ndevices,
                            x->o->ics.quota_enabled,
                            x->o->ics.quota_first,
                            (enum vpm_zero_size)x->o->ics.zero_size};
    struct kernel_config kc = {{p->capacity[0], p->capacity[1]}, 0, 0, 1};
    if (vpm_init(&x->model, &mc) != VPM_E_OK)
        return -1;
    x->k = kernel_new(&kc);
    if (!x->k)
        return -1;
    kernel_set_fast_free(x->k, x->o->fast_free);
    for (unsigned d = 0; d < p->ndevices; d++) {
        x->ext[d] = aligned_alloc(16, VPCERT_DEVICE_EXTENSION_SIZE);
        if (!x->ext[d])
            return -1;
        memset(x->ext[d], 0, VPCERT_DEVICE_EXTENSION_SIZE);
    }
    kernel_bind(x->k);
    x->stray = kernel_stray_calls(NULL);
    return 0;
}

/* HOST-1: memory the implementation takes from the host escapes every
 * check; the loader found the imports, the run reports them. */
static void check_host_imports(struct executor *x) {
    char obs[96];
    if (!x->o->check_imports || !x->impl->host_imports[0])
        return;
    snprintf(obs, sizeof obs, "imports %.87s", x->impl->host_imports);
    exec_find(x, "HOST-1", "memory from the pool only", obs,
              "memory taken from the host escapes every pool check");
}

static void teardown(struct executor *x) {
    if (x->k)
        kernel_debug_text(x->k, x->r->debug, sizeof x->r->debug);
    kernel_bind(NULL);
    exec_sched_free(x);
    exec_lin_free(x);
    exec_live_free_all(&x->bufs);
    exec_live_free_all(&x->blocks);
    exec_handed_free(&x->handed);
    exec_live_free_spares(x);
    if (x->k)
        kernel_delete(x->k);
    vpm_fini(&x->model);
    for (unsigned d = 0; d < PROG_MAX_DEVICES; d++)
        free(x->ext[d]);
}

/* Stop every device, then nothing may be left (KP-LEAK-2, KP-OVR-1). */
static void finish(struct executor *x) {
    struct exec_step s;
    x->op = x->p->nops;
    for (unsigned d = 0; d < x->p->ndevices && !exec_stopped(x); d++) {
        memset(&s, 0, sizeof s);
        s.op = x->op;
        device_stop(x, d, &s);
    }
    if (exec_stopped(x))
        return;
    struct exec_trace t = {.kind = EXEC_TR_SWEEP, .dev = EXEC_TRACE_END};
    exec_trace(x, &t);
    exec_events_clear(x);
    kernel_check_all_guards(x->k);
    kernel_report_all_leaks(x->k);
    exec_scan_events(x);
}

int exec_run(const struct program *p, const struct impl *impl,
             const struct exec_options *o, struct exec_result *r) {
    struct executor x;
    memset(&x, 0, sizeof x);
    memset(r, 0, sizeof *r);
    x.p = p;
    x.impl = impl;
    x.o = o;
    x.r = r;
    exec_watch_invariants(o->progress);
    if (setup(&x) != 0)
        exec_fail(&x, EXEC_ERR_HOST, "vpcert ran out of memory");
    check_host_imports(&x);
    for (unsigned d = 0; d < p->ndevices && !exec_stopped(&x); d++) {
        struct exec_step s = {0};
        device_start(&x, d, &s); /* every device starts with the program */
    }
    if (!exec_stopped(&x))
        run_ops(&x);
    if (o->check_state) /* after the last step, whatever the sampling */
        exec_check_state(&x);
    if (!exec_stopped(&x))
        finish(&x);
    exec_check_counts(&x);
    teardown(&x);
    exec_watch_invariants(NULL);
    return r->error != EXEC_OK ? -1 : r->nfindings ? 1 : 0;
}
