/*
 * cases_internal.h: what the family generators share: a program builder
 * and the generator signature. Private to harness/cases/.
 */
#ifndef VPCERT_CASES_INTERNAL_H
#define VPCERT_CASES_INTERNAL_H

#ifndef VPCERT_IN_CASES
#error "cases_internal.h is private to harness/cases/"
#endif

#include "cases.h"

/* A program being built: operations past PROG_MAX_OPS are dropped and
 * counted, so a family that outgrows a program is caught by its test. */
struct cb {
    struct program *p; /* the program, header set by cb_begin */
    unsigned dropped;  /* operations that did not fit */
};

/* The tag of every pool block the families allocate ('Dcas'). */
#define CB_TAG 0x73616344u

/* A fresh program: pools of paged and nonpaged bytes, ndevices devices
 * with the quotas given (PROG_QUOTA_UNLIMITED: none). */
void cb_begin(struct cb *b, struct program *p, uint64_t paged,
              uint64_t nonpaged, unsigned ndevices, const uint64_t *quotas);
void cb_alloc(struct cb *b, unsigned dev, uint64_t size);
/* alloc_buffer with size = the device's quota remaining + delta. */
void cb_alloc_quota(struct cb *b, unsigned dev, int delta);
void cb_release(struct cb *b, uint32_t index);
void cb_touch(struct cb *b, uint32_t index);
/* alloc_pool of a VP pool type (0, 1, 4, 5); dispatch only for the
 * nonpaged types (CO-3). */
void cb_pool(struct cb *b, unsigned dev, unsigned type, uint64_t size,
             int dispatch);
void cb_free(struct cb *b, uint32_t index, int dispatch);
void cb_inject_next(struct cb *b, unsigned n);
void cb_inject_clear(struct cb *b);
void cb_start(struct cb *b, unsigned dev);
void cb_stop(struct cb *b, unsigned dev);
/* The last operations before it, times more times. */
void cb_repeat(struct cb *b, uint32_t last, uint64_t times);
/* Append op as it is (the exhaustive family's alphabet). */
void cb_op(struct cb *b, const struct prog_op *op);

/* Emit p, program number i of a seeded family f (random, concurrent), as
 * "FAMILY/seed-SEED-I"; without the pool services (o->pool 0) its pool
 * operations become touches. What emit returns. */
int cb_emit_seeded(const struct cases_options *o, enum cases_family f,
                   unsigned i, struct program *p, cases_emit_fn emit,
                   void *ctx);

/* One family: emit each program through emit(ctx, family, name, p), p
 * being scratch, a program the generator may overwrite. */
typedef int (*cases_family_fn)(const struct cases_options *o,
                               struct program *scratch, cases_emit_fn emit,
                               void *ctx);
int cases_scale(const struct cases_options *o, struct program *scratch,
                cases_emit_fn emit, void *ctx);
int cases_sizes(const struct cases_options *o, struct program *scratch,
                cases_emit_fn emit, void *ctx);
int cases_quotas(const struct cases_options *o, struct program *scratch,
                 cases_emit_fn emit, void *ctx);
int cases_exhaustive(const struct cases_options *o, struct program *scratch,
                     cases_emit_fn emit, void *ctx);
int cases_random(const struct cases_options *o, struct program *scratch,
                 cases_emit_fn emit, void *ctx);
int cases_concurrent(const struct cases_options *o, struct program *scratch,
                     cases_emit_fn emit, void *ctx);

#endif /* VPCERT_CASES_INTERNAL_H */
