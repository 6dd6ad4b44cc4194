/* cases: the family table and the program builder the families share. */
#include "cases_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One row per family: its name and its generator (NULL: files). */
static const struct {
    const char *name;   /* as reports name it */
    cases_family_fn fn; /* generator, NULL for a family of files */
} families[CASES_FAMILY_COUNT] = {
    {"conformance", NULL},    {"regressions", NULL},
    {"scale", cases_scale},   {"sizes", cases_sizes},
    {"quotas", cases_quotas}, {"exhaustive", cases_exhaustive},
    {"random", cases_random}, {"concurrent", cases_concurrent},
};

const char *cases_family_name(unsigned f) {
    return f < CASES_FAMILY_COUNT ? families[f].name : "?";
}

int cases_generate(enum cases_family f, const struct cases_options *o,
                   cases_emit_fn emit, void *ctx) {
    if ((unsigned)f >= CASES_FAMILY_COUNT || !families[f].fn)
        return 0;
    struct program *scratch = malloc(sizeof *scratch);
    if (!scratch)
        return -1;
    int rc = families[f].fn(o, scratch, emit, ctx);
    free(scratch);
    return rc;
}

/* ---- the builder ---- */

void cb_begin(struct cb *b, struct program *p, uint64_t paged,
              uint64_t nonpaged, unsigned ndevices, const uint64_t *quotas) {
    prog_init(p);
    p->capacity[0] = paged;
    p->capacity[1] = nonpaged;
    p->ndevices = ndevices;
    for (unsigned d = 0; d < ndevices && d < PROG_MAX_DEVICES; d++)
        p->quota[d] = quotas[d];
    b->p = p;
    b->dropped = 0;
}

/* A new operation of code, zeroed, or NULL when the program is full. */
static struct prog_op *cb_new(struct cb *b, unsigned code) {
    if (b->p->nops >= PROG_MAX_OPS) {
        b->dropped++;
        return NULL;
    }
    struct prog_op *op = &b->p->ops[b->p->nops++];
    memset(op, 0, sizeof *op);
    op->code = (uint8_t)code;
    op->clause = UINT16_MAX;
    return op;
}

void cb_op(struct cb *b, const struct prog_op *op) {
    struct prog_op *o = cb_new(b, op->code);
    if (o)
        *o = *op;
}

void cb_alloc(struct cb *b, unsigned dev, uint64_t size) {
    struct prog_op *op = cb_new(b, PROG_OP_ALLOC_BUFFER);
    if (!op)
        return;
    op->dev = (uint8_t)dev;
    op->size.value = size > 0xFFFFFFFFull ? 0xFFFFFFFFull : size;
}

void cb_alloc_quota(struct cb *b, unsigned dev, int delta) {
    struct prog_op *op = cb_new(b, PROG_OP_ALLOC_BUFFER);
    if (!op)
        return;
    op->dev = (uint8_t)dev;
    op->size.kind = PROG_SZ_QUOTA;
    op->size.delta = delta;
}

void cb_release(struct cb *b, uint32_t index) {
    struct prog_op *op = cb_new(b, PROG_OP_RELEASE_BUFFER);
    if (op)
        op->index = index;
}

void cb_touch(struct cb *b, uint32_t index) {
    struct prog_op *op = cb_new(b, PROG_OP_TOUCH);
    if (op)
        op->index = index;
}

void cb_pool(struct cb *b, unsigned dev, unsigned type, uint64_t size,
             int dispatch) {
    struct prog_op *op = cb_new(b, PROG_OP_ALLOC_POOL);
    if (!op)
        return;
    op->dev = (uint8_t)dev;
    op->pool_type = (uint8_t)type;
    op->dispatch = (uint8_t)(dispatch && (type == 0 || type == 4));
    op->tag = CB_TAG;
    op->size.value = size;
}

void cb_free(struct cb *b, uint32_t index, int dispatch) {
    struct prog_op *op = cb_new(b, PROG_OP_FREE_POOL);
    if (!op)
        return;
    op->index = index;
    op->dispatch = (uint8_t)(dispatch != 0);
}

void cb_inject_next(struct cb *b, unsigned n) {
    struct prog_op *op = cb_new(b, PROG_OP_INJECT);
    if (!op)
        return;
    op->inject = PROG_INJ_NEXT;
    op->value = n;
}

void cb_inject_clear(struct cb *b) {
    struct prog_op *op = cb_new(b, PROG_OP_INJECT);
    if (op)
        op->inject = PROG_INJ_CLEAR;
}

void cb_start(struct cb *b, unsigned dev) {
    struct prog_op *op = cb_new(b, PROG_OP_START);
    if (op)
        op->dev = (uint8_t)dev;
}

void cb_stop(struct cb *b, unsigned dev) {
    struct prog_op *op = cb_new(b, PROG_OP_STOP);
    if (op)
        op->dev = (uint8_t)dev;
}

void cb_repeat(struct cb *b, uint32_t last, uint64_t times) {
    uint32_t before = b->p->nops;
    struct prog_op *op = cb_new(b, PROG_OP_REPEAT);
    if (!op)
        return;
    op->index = last < before ? last : before;
    op->value = times;
}

int cb_emit_seeded(const struct cases_options *o, enum cases_family f,
                   unsigned i, struct program *p, cases_emit_fn emit,
                   void *ctx) {
    for (uint32_t k = 0; k < p->nops; k++) {
        struct prog_op *op = &p->ops[k];
        if (!o->pool &&
            (op->code == PROG_OP_ALLOC_POOL || op->code == PROG_OP_FREE_POOL))
            op->code = PROG_OP_TOUCH;
    }
    char name[64];
    snprintf(name, sizeof name, "%s/seed-%llu-%u", cases_family_name(f),
             (unsigned long long)o->seed, i);
    return emit(ctx, f, name, p);
}
