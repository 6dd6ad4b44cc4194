/*
 * certify_conc: the PCT schedules of the concurrent case family under
 * `concurrency = thread-safe` (SPEC.md "Threads"). The family's programs
 * (harness/cases, cases_concurrent.c) run first without yields (the base
 * run), which says how many switch points each call passed; then, one
 * after the other, seeded PCT schedules drawn from those points, each a
 * case of the same family, until one fails or the program has had
 * cert_config.conc_schedules of them. A schedule's program carries its
 * schedule: it is its own reproducer.
 */
#include "certify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Schedule s of the program of base case b (its switch points: points),
 * as a case. */
static void add_schedule(struct cert_run *c, unsigned b, unsigned s,
                         const uint8_t *points) {
    struct program *p = malloc(sizeof *p);
    uint8_t *pts = malloc(EXEC_OP_POINTS);
    int conc = c->cases[b].conc, at = -1;
    char name[160];
    if (p && pts && cert_case_program(&c->cases[b], p) == 0) {
        memcpy(pts, points, EXEC_OP_POINTS);
        cases_pct(p, c->cfg.seed * 0x100000001ull + (uint64_t)conc, s,
                  CASES_PCT_DEPTH, pts, EXEC_OP_POINTS);
        snprintf(name, sizeof name, "concurrent/seed-%llu-%d/schedule-%u",
                 (unsigned long long)c->cfg.seed, conc, s);
        at = cert_add_case(c, CASES_CONCURRENT, name, p, NULL);
    }
    free(p);
    if (at < 0) {
        free(pts);
        return;
    }
    c->cases[at].conc = conc;
    c->cases[at].schedule = s;
    c->cases[at].points = pts;
    c->family[CASES_CONCURRENT].schedules++;
}

void cert_conc_next(struct cert_run *c, unsigned ci,
                    const struct child_result *res) {
    const struct cert_case *cs = &c->cases[ci];
    if (cs->conc < 0)
        return;
    /* a program that failed once is done: its failing schedule is kept */
    if (res->out != CH_PASS || cs->schedule >= c->cfg.conc_schedules)
        return;
    add_schedule(c, ci, cs->schedule + 1,
                 cs->points ? cs->points : res->r.op_points);
}
