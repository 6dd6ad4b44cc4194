/*
 * vpcert-bench-conc: how many schedules certify's concurrent family
 * explores before it finds an implementation's concurrency bug. For each
 * seed, the family's programs run as certify runs them (harness/cases: the
 * base run, then PCT schedules drawn from its switch points, until one
 * fails), in process; the count is every run up to and including the
 * first whose findings name one of the clauses given. Prints one line per
 * seed and the median.
 *
 *   vpcert-bench-conc [--seeds N] [--programs P] [--schedules S]
 *                     [--depth D] [--print 1] LIB.so ICS CLAUSE...
 */
#include "cases.h"
#include "exec.h"
#include "impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bench {
    struct impl impl;      /* the library */
    struct exec_options o; /* its ICS, thread-safe */
    char **clauses;        /* what counts as found */
    int nclauses;          /* how many */
    unsigned programs;     /* family programs per seed */
    unsigned schedules;    /* PCT schedules per program */
    unsigned depth;        /* PCT depth */
    unsigned print;        /* 1: print each program that found it */
};

static struct program base, prog;
static struct exec_result res;

/* Did this run find one of the clauses? */
static int found(const struct bench *b) {
    for (uint32_t i = 0; i < res.nfindings; i++)
        for (int k = 0; k < b->nclauses; k++)
            if (strcmp(res.f[i].clause, b->clauses[k]) == 0)
                return 1;
    return 0;
}

/* The program that found it, and what it found, to stdout. */
static void print_finding(const struct program *p) {
    static char text[1 << 16];
    prog_text_write(p, text, sizeof text);
    printf("%s", text);
    for (uint32_t i = 0; i < res.nfindings; i++)
        printf("# [%s] op %u: expected %s; observed %s; %s\n", res.f[i].clause,
               res.f[i].op, res.f[i].expected, res.f[i].observed,
               res.f[i].detail);
}

/* The concurrent family's program i of seed, into base (the last one the
 * generator emits when asked for i + 1). */
static int keep_last(void *ctx, enum cases_family f, const char *name,
                     const struct program *p) {
    (void)ctx, (void)f, (void)name;
    base = *p;
    return 0;
}

static void family_program(const struct bench *b, uint64_t seed, unsigned i) {
    const unsigned pool = SVC_ALLOCATE_POOL | SVC_FREE_POOL;
    struct cases_options co = {(b->o.ics.services & pool) == pool, seed, 0,
                               i + 1};
    cases_generate(CASES_CONCURRENT, &co, keep_last, NULL);
}

/* Runs until the family of seed finds the bug, 0 if it never does; the
 * program and schedule that did in *where. */
static unsigned explore(const struct bench *b, uint64_t seed, char *where,
                        size_t cap) {
    unsigned runs = 0;
    uint8_t points[EXEC_OP_POINTS];
    for (unsigned i = 0; i < b->programs; i++) {
        family_program(b, seed, i);
        for (unsigned s = 0; s <= b->schedules; s++) {
            prog = base;
            if (s)
                cases_pct(&prog, seed * 0x100000001ull + i, s, b->depth, points,
                          EXEC_OP_POINTS);
            int rc = exec_run(&prog, &b->impl, &b->o, &res);
            runs++;
            if (s == 0)
                memcpy(points, res.op_points, sizeof points);
            if (found(b)) {
                snprintf(where, cap, "program %u schedule %u: %s", i, s,
                         res.f[res.nfindings - 1].clause);
                if (b->print)
                    print_finding(&prog);
                return runs;
            }
            if (rc != 0 && res.must_failed)
                break; /* another failure: the program is done */
        }
    }
    return 0;
}

static int cmp(const void *a, const void *b) {
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    struct bench b;
    unsigned seeds = 9;
    char err[IMPL_ERR_MAX];
    int a = 1;
    memset(&b, 0, sizeof b);
    b.programs = 16;
    b.schedules = 24;
    b.depth = CASES_PCT_DEPTH;
    for (; a + 1 < argc && strncmp(argv[a], "--", 2) == 0; a += 2) {
        unsigned v = (unsigned)strtoul(argv[a + 1], NULL, 10);
        if (!strcmp(argv[a], "--seeds"))
            seeds = v;
        else if (!strcmp(argv[a], "--programs"))
            b.programs = v;
        else if (!strcmp(argv[a], "--schedules"))
            b.schedules = v;
        else if (!strcmp(argv[a], "--depth"))
            b.depth = v;
        else if (!strcmp(argv[a], "--print"))
            b.print = v;
    }
    if (argc - a < 3 || seeds == 0 || seeds > 1000) {
        fprintf(stderr, "usage: vpcert-bench-conc [--seeds N] [--programs P] "
                        "[--schedules S] [--depth D] [--print 1] LIB.so ICS "
                        "CLAUSE...\n");
        return 2;
    }
    exec_options_default(&b.o);
    if (impl_open(&b.impl, argv[a], err, sizeof err) != 0 ||
        ics_load(argv[a + 1], &b.o.ics, err, sizeof err) != 0) {
        fprintf(stderr, "vpcert-bench-conc: %s\n", err);
        return 2;
    }
    b.o.check_expect = 0;
    b.o.check_imports = 0;
    b.clauses = argv + a + 2;
    b.nclauses = argc - a - 2;
    unsigned *runs = calloc(seeds, sizeof *runs), missed = 0;
    for (unsigned s = 0; runs && s < seeds; s++) {
        char where[128] = "not found";
        runs[s] = explore(&b, s + 1, where, sizeof where);
        printf("seed %u: %u schedules (%s)\n", s + 1, runs[s], where);
        if (!runs[s]) {
            missed++;
            runs[s] = b.programs * (b.schedules + 1) + 1; /* past the cap */
        }
    }
    if (runs) {
        qsort(runs, seeds, sizeof *runs, cmp);
        printf("median %u schedules over %u seeds (%u not found within %u)\n",
               runs[seeds / 2], seeds, missed, b.programs * (b.schedules + 1));
    }
    free(runs);
    impl_unload(&b.impl);
    return 0;
}
