/*
 * cases: the deterministic case families of a certification, generated
 * from nothing but their options, each program named and tagged with its
 * family, so that any runner can run them (one child each, or many in a
 * batch) and a report can count them per family:
 *
 *   scale        thousands of live buffers and pool blocks on one device,
 *                tens of thousands of calls in one program (repeat)
 *   sizes        2^k - 64 .. 2^k + 64 for k = 0..32 and every size from
 *                4096 - 64 to 4096 + 64, as buffers and as blocks of each
 *                pool type, under quotas and pools that grant them
 *   quotas       quotas 0, 1, 2^32 +- d, 2^63, 2^64 - 2 and unlimited, with
 *                allocations at the exact boundary where a ULONG can reach it
 *   exhaustive   every program of up to 3 operations (4 over the buffer
 *                alphabet) over a boundary alphabet, duplicates removed by
 *                the model's trace (cases_exhaustive.c)
 *   random       random bytes through the total decoder, from a seed
 *
 * The conformance vectors and the regressions are families too, but they
 * come from files (the caller loads them); they are named here so that a
 * report names every family the same way. Library code: no I/O.
 */
#ifndef VPCERT_CASES_H
#define VPCERT_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "program.h"

enum cases_family {
    CASES_CONFORMANCE = 0, /* corpus/conformance (files) */
    CASES_REGRESSIONS = 1, /* corpus/regressions (files) */
    CASES_SCALE = 2,
    CASES_SIZES = 3,
    CASES_QUOTAS = 4,
    CASES_EXHAUSTIVE = 5,
    CASES_RANDOM = 6,
    CASES_FAMILY_COUNT = 7
};

struct cases_options {
    int pool;        /* 1: AllocatePool/FreePool are declared (and run) */
    uint64_t seed;   /* random family seed */
    unsigned random; /* random family: programs */
};

/* One program of a family, handed to the caller in the family's order. p
 * is the generator's: copy what is kept. A non-zero return stops the
 * generation and is returned by cases_generate. */
typedef int (*cases_emit_fn)(void *ctx, enum cases_family f, const char *name,
                             const struct program *p);

/* Generate family f (the generated ones: scale .. random; the file
 * families give 0 programs). Returns 0, a non-zero value emit returned, or
 * -1 when the generator could not allocate its state. */
int cases_generate(enum cases_family f, const struct cases_options *o,
                   cases_emit_fn emit, void *ctx);
/* "conformance", "regressions", "scale", "sizes", "quotas", "exhaustive",
 * "random"; "?" out of range. */
const char *cases_family_name(unsigned f);

#endif /* VPCERT_CASES_H */
