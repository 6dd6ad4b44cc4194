/* certify_tally: what one case's result says about each clause: a failure
 * (its first one kept), a run that exercised the clause, or a run that
 * ended early for another clause. */
#include "certify.h"

#include "clauses.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The operations the case ran and skipped, and whether vpcert could not
 * vouch for it, in its family's counts. */
static void count_family(struct cert_run *c, const struct cert_case *cs,
                         const struct child_result *res) {
    struct cert_family *fam = &c->family[cs->family];
    if (res->out == CH_PASS || res->out == CH_FAIL) {
        fam->ops_run += res->r.ops_run;
        fam->ops_skipped += res->r.ops_skipped;
    }
    fam->errors += res->out == CH_ERROR;
}

/* Does case cs exercise clause k? Vectors cite their clauses; otherwise
 * what the program holds decides (clauses.def, EXERCISED), its pool
 * operations only when the pool services run (the executor skips them
 * otherwise). */
static int exercises(const struct cert_run *c, const struct cert_case *cs,
                     size_t k) {
    const unsigned pool = SVC_ALLOCATE_POOL | SVC_FREE_POOL;
    unsigned holds = cs->holds;
    if (cs->cites && cs->cites[k])
        return 1;
    if ((c->cfg.ics.services & pool) != pool)
        holds &= ~(unsigned)(SPEC_HAS_POOL | SPEC_HAS_DISPATCH);
    return spec_exercised_by(spec_clause_at(k), holds);
}

static void record_failure(struct cert_run *c, unsigned ci, int k,
                           const char *exp, const char *obs, const char *det,
                           const char *debug) {
    struct cert_clause *cl = &c->clauses[k];
    cl->failed++;
    /* Results may come in any order (runner.h): the first case is the
     * one with the lowest index, whatever the speed. */
    if (cl->first_case >= 0 && (unsigned)cl->first_case < ci)
        return;
    cl->first_case = (int)ci;
    snprintf(cl->expected, sizeof cl->expected, "%s", exp);
    snprintf(cl->observed, sizeof cl->observed, "%s", obs);
    snprintf(cl->detail, sizeof cl->detail, "%s", det);
    snprintf(cl->debug, sizeof cl->debug, "%s", debug);
}

/* A crash, hang, exit or runaway memory: a failure of the clause the call
 * was exercising. */
static void record_abnormal(struct cert_run *c, unsigned ci,
                            const struct child_result *res,
                            unsigned char *hit) {
    int k = spec_clause_index(res->clause);
    char obs[200];
    snprintf(obs, sizeof obs, "%s: %.150s (op %u)",
             child_outcome_name(res->out), res->what, res->op);
    hit[k] = 1;
    record_failure(c, ci, k, "the call returns", obs,
                   "the implementation did not return normally from the call",
                   "");
}

/* Share a case's seconds among the clauses it exercised or hit. */
static void share_time(struct cert_run *c, const struct cert_case *cs,
                       const unsigned char *hit, double seconds) {
    size_t n = spec_clause_count(), shares = 0;
    for (size_t k = 0; k < n; k++)
        shares += hit[k] || exercises(c, cs, k);
    for (size_t k = 0; shares && k < n; k++)
        if (hit[k] || exercises(c, cs, k))
            c->clauses[k].seconds += seconds / (double)shares;
}

void cert_tally(struct cert_run *c, unsigned ci, const struct child_result *res,
                double seconds) {
    const struct cert_case *cs = &c->cases[ci];
    size_t n = spec_clause_count();
    unsigned char *hit = calloc(n, 1);
    if (!hit)
        return;
    count_family(c, cs, res);
    if (res->out == CH_PASS || res->out == CH_FAIL) {
        for (uint32_t i = 0; i < res->r.nfindings; i++) {
            const struct exec_finding *f = &res->r.f[i];
            int k = spec_clause_index(f->clause);
            if (k < 0)
                continue;
            hit[k] = 1;
            record_failure(c, ci, k, f->expected, f->observed, f->detail,
                           res->r.debug);
        }
        if (res->r.zero_form && (c->zero_case < 0 || (int)ci < c->zero_case)) {
            c->zero_form = res->r.zero_form;
            c->zero_case = (int)ci;
        }
    } else if (child_abnormal(res) && res->clause &&
               spec_clause_index(res->clause) >= 0) {
        record_abnormal(c, ci, res, hit);
    }
    share_time(c, cs, hit, seconds);
    for (size_t k = 0; k < n; k++) {
        if (hit[k] || !exercises(c, cs, k))
            continue;
        if (res->out == CH_PASS)
            c->clauses[k].run++;
        else
            c->clauses[k].unfinished++;
    }
    free(hit);
}
