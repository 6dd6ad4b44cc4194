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
 *   concurrent   programs on 2 to 4 threads (only when asked for: the ICS
 *                declares thread-safe), each the base of the seeded PCT
 *                schedules cases_pct writes into it (SPEC.md "Threads")
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
    CASES_CONCURRENT = 7,
    CASES_FAMILY_COUNT = 8
};

struct cases_options {
    int pool;            /* 1: AllocatePool/FreePool are declared (and run) */
    uint64_t seed;       /* random family seed */
    unsigned random;     /* random family: programs */
    unsigned concurrent; /* concurrent family: programs (0 under serialized) */
};

#define CASES_PCT_DEPTH 3u /* PCT bug depth d: d - 1 priority change points */
#define CASES_CONC_OPS 32u /* operations of a concurrent program at most */

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
 * "random", "concurrent"; "?" out of range. */
const char *cases_family_name(unsigned f);

/* PCT schedule number s (from 1) of depth d of a concurrent program p,
 * into p (probabilistic concurrency testing, Burckhardt et al., ASPLOS
 * 2010; certify's depth is CASES_PCT_DEPTH): a priority order drawn from
 * the 24, and d - 1 distinct change points drawn uniformly from the switch
 * points p's base run passed (points[op]: the switch points of operation op's
 * call, for op < npoints; 0 for one that made no call), each a yield of that
 * operation at that point. A schedule is written into the program (its
 * `threads` order and `yield=` points), so a schedule that fails is its own
 * reproducer. Returns the change points placed (fewer when the run passed
 * fewer). */
unsigned cases_pct(struct program *p, uint64_t seed, unsigned s, unsigned d,
                   const uint8_t *points, size_t npoints);

#endif /* VPCERT_CASES_H */
