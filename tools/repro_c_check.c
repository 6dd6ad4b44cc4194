/*
 * repro_c_check: the check a C reproducer makes where vpcert found its
 * clause (repro_gen.h): the model's allowed sets as recorded, the kernel
 * stand-in's events (after a call, or after the sweeps of a device's stop
 * or of the end), the contents written (BUF-4), or the executor's own check
 * of the clause, written as a C condition from the table below.
 */
#include "repro_gen.h"

#include "clauses.h"
#include "vpcert/pool_types.h"
#include "vpm.h"

#include <string.h>

/* The executor's own checks, as C conditions over P (the allocation the
 * call returned), S (its size), A (the pool type's alignment) and T (the
 * tag asked for); st is the call's status. */
static const struct {
    const char *clause; /* the clause the executor checks */
    const char *cond;   /* when it is broken */
    const char *what;   /* said when it is */
} own_checks[] = {
    {"AB-RES-2", "st == NO_ERROR && P == NULL", "NO_ERROR without a buffer"},
    {"AB-OUT-1", "st != NO_ERROR && P != NULL && P != repro_sentinel()",
     "a failed call wrote a pointer into *Buffer"},
    {"AB-OUT-2", "st != NO_ERROR && P == repro_sentinel()",
     "a failed call left *Buffer unchanged"},
    {"AB-LEAK-1", "st != NO_ERROR && repro_call_kept_block(r)",
     "the call failed but kept a pool block it allocated"},
    {"AP-LEAK-1", "P == NULL && repro_call_kept_block(r)",
     "the call failed but kept a pool block it allocated"},
    {"QU-8", "st == ERROR_INSUFFICIENT_BUFFER && repro_pool_asked(r)",
     "the pool was asked for an over-quota request"},
    {"DEV-1", "st != NO_ERROR", "VpcertDeviceStart failed"},
    {"BUF-1", "st == NO_ERROR && P != NULL && (uintptr_t)P % 16 != 0",
     "the buffer is not 16-byte aligned"},
    {"BUF-2", "st == NO_ERROR && P != NULL && !repro_in_one_block(r, P, S)",
     "the buffer does not lie in one live pool block"},
    {"BUF-3", "st == NO_ERROR && P != NULL && repro_overlaps(r, P, S)",
     "the buffer overlaps a live allocation"},
    {"BUF-5",
     "st == NO_ERROR && P != NULL && repro_in_one_block(r, P, S) && "
     "!repro_paged(r, P)",
     "the buffer is backed by nonpaged pool"},
    {"AP-ALIGN-1", "P != NULL && (uintptr_t)P % A != 0",
     "the block is misaligned for its pool type"},
    {"AP-RES-2", "P != NULL && !repro_in_one_block(r, P, S)",
     "the block does not lie in one live pool block"},
    {"AP-TYPE-1",
     "P != NULL && repro_in_one_block(r, P, S) && repro_paged(r, P)",
     "a nonpaged block comes from paged pool"},
    {"AP-TYPE-2",
     "P != NULL && repro_in_one_block(r, P, S) && !repro_paged(r, P)",
     "a paged block comes from nonpaged pool"},
    {"AP-TAG-1",
     "P != NULL && repro_in_one_block(r, P, S) && repro_tag(r, P) != T",
     "the caller's tag was not passed on"},
    {"RB-1", "repro_still_backed(r, P)",
     "the buffer was released but its pool block was not"},
    {"AP-FREE-1", "repro_still_backed(r, P)",
     "the block was freed but its pool block was not"},
    {"HOST-2", "repro_stray_calls(r)",
     "a thread the implementation started called the kernel"},
};

/* The allowed set as names: "REPRO_NO_ERROR | REPRO_INSUFFICIENT_BUFFER",
 * "0" for none. */
static void allowed_names(struct sbuf *b, uint32_t allowed, int pool) {
    static const char *const buf_names[] = {
        "REPRO_NO_ERROR", "REPRO_NOT_ENOUGH_MEMORY",
        "REPRO_INSUFFICIENT_BUFFER", "REPRO_INVALID_PARAMETER"};
    static const char *const pool_names[] = {"REPRO_BLOCK", "REPRO_NULL"};
    const char *const *names = pool ? pool_names : buf_names;
    unsigned count = pool ? VPM_P_NULL + 1 : VPM_R_INVALID + 1, n = 0;
    for (unsigned i = 0; i < count; i++)
        if (allowed & VPM_ALLOW(i))
            sb_add(b, "%s%s", n++ ? " | " : "", names[i]);
    if (!n)
        sb_add(b, "0");
}

/* The model's judgement as the check. */
static void model_check(struct repro_gen *g) {
    const struct exec_trace *j = g->judge;
    int pool = g->call->call == EXEC_CALL_ALLOC_POOL;
    uint32_t plain = j->refused ? j->allowed_other : j->allowed;
    uint32_t refused = j->refused ? j->allowed : j->allowed_other;
    sb_add(g->b, "    /* the model allows, when no pool request of the "
                 "call is refused / when one is: */\n");
    if (pool)
        sb_add(g->b,
               "    repro_check(r, !repro_block_allowed(r, a[%d] != NULL,\n"
               "        ",
               g->slot);
    else
        sb_add(g->b,
               "    repro_check(r, !repro_status_allowed(r, st,\n        ");
    allowed_names(g->b, plain, pool);
    sb_add(g->b, ",\n        ");
    allowed_names(g->b, refused, pool);
    sb_add(g->b, "),\n        \"%s\");\n",
           pool ? "the block or NULL is not what the model allows"
                : "the status is not one the model allows");
}

/* Write template cond with P, S, A and T replaced. */
static void expand(struct repro_gen *g, const char *cond) {
    const struct exec_trace *c = g->call;
    const struct vpcert_pool_type *type = vpcert_pool_type_of(c->pool_type);
    for (const char *s = cond; *s; s++) {
        int alone =
            (s == cond || !(s[-1] == '_' || (s[-1] >= 'A' && s[-1] <= 'Z'))) &&
            !(s[1] == '_' || (s[1] >= 'A' && s[1] <= 'Z'));
        if (alone && *s == 'P')
            sb_add(g->b, "a[%d]", g->slot);
        else if (alone && *s == 'S')
            sb_add(g->b, "%lluu", (unsigned long long)c->size);
        else if (alone && *s == 'A')
            sb_add(g->b, "%uu", type ? type->align : VPCERT_POOL_ALIGN);
        else if (alone && *s == 'T')
            sb_add(g->b, "0x%08lXu", (unsigned long)c->tag);
        else
            sb_add(g->b, "%c", *s);
    }
}

int repro_gen_check(struct repro_gen *g, const struct exec_trace *f) {
    const struct exec_trace *x = g->ctx;
    const char *id = g->in->clause;
    sb_add(g->b, "\n%s/* vpcert found %s here; the check it made: */\n",
           repro_gen_ind(g), id);
    if (g->judge && !g->judge->flag && x == g->judge) {
        model_check(g);
    } else if (f->flag && x && x->kind == EXEC_TR_SWEEP) {
        sb_add(g->b,
               "    repro_check(r, repro_sweep_seen(r, %d),\n        "
               "\"the kernel stand-in's checks at the %s found it\");\n",
               x->dev == EXEC_TRACE_END ? -1 : (int)x->dev,
               x->dev == EXEC_TRACE_END ? "end of the run" : "device's stop");
    } else if (f->flag) {
        sb_add(g->b,
               "%srepro_check(r, repro_event_seen(r),\n%s    "
               "\"the kernel stand-in recorded it broken\");\n",
               repro_gen_ind(g), repro_gen_ind(g));
    } else if (x && x->kind == EXEC_TR_VERIFY &&
               repro_gen_slot(g, x->ptr) >= 0) {
        sb_add(g->b,
               "%srepro_check(r, !repro_intact(r, a[%d]),\n%s    \"the "
               "contents written into it changed\");\n",
               repro_gen_ind(g), repro_gen_slot(g, x->ptr), repro_gen_ind(g));
    } else {
        size_t i = 0, n = sizeof own_checks / sizeof own_checks[0];
        while (i < n && strcmp(own_checks[i].clause, id))
            i++;
        if (i == n || !g->call ||
            (g->slot < 0 && strchr(own_checks[i].cond, 'P')))
            return -1;
        sb_add(g->b, "%srepro_check(r, ", repro_gen_ind(g));
        expand(g, own_checks[i].cond);
        sb_add(g->b, ",\n%s    \"%s\");\n", repro_gen_ind(g),
               own_checks[i].what);
    }
    repro_gen_close(g);
    return 0;
}
