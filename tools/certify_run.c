/*
 * certify_run: the certification run. Phases: the export check (ICS-1), the
 * conformance vectors that apply under the ICS, the regression corpus, then
 * seeded random programs from the differential generator
 * (certify_cases.c). Every case runs in a child process under a time and
 * memory limit; a crash, hang, exit or runaway memory is a verdict on the
 * clause the case was exercising (certify_tally.c). Then the reproducers
 * (certify_minimize.c) and the verdicts (certify_grade.c).
 */
#include "certify.h"

#include "clauses.h"
#include "cli.h"
#include "os.h"
#include "sha256.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void cert_case_options(const struct cert_run *c, const struct cert_case *cs,
                       struct exec_options *o) {
    exec_options_default(o);
    o->ics = c->cfg.ics;
    o->check_expect = cs->cites != NULL; /* vectors and text regressions */
}

void cert_run_case(const struct cert_run *c, const struct cert_case *cs,
                   const struct program *p, struct child_result *res) {
    struct exec_options o;
    struct child_limits lim = {c->cfg.case_seconds, c->cfg.case_rss, 0};
    cert_case_options(c, cs, &o);
    child_run(p, &c->impl, &o, &lim, res);
}

static void progress(const struct cert_run *c, unsigned i, double t0,
                     int force) {
    static double last;
    double t = os_now();
    if (c->cfg.quiet || (!force && t - last < 2.0))
        return;
    last = t;
    unsigned failing = 0;
    for (size_t k = 0; k < spec_clause_count(); k++)
        failing += c->clauses[k].failed != 0;
    fprintf(stderr, "certify: %u/%u cases, %.1f s, %u clauses failing so far\n",
            i, c->ncases, t - t0, failing);
}

/* 0 when path is an existing directory (mkdir said EEXIST). */
/* mkdir that accepts an existing directory. 0, or -1. */
static int make_dir(const char *path) {
    return mkdir(path, 0755) == 0 || os_is_dir(path) ? 0 : -1;
}

static int setup(struct cert_run *c) {
    char err[IMPL_ERR_MAX + PATH_MAX], dir[1100];
    if (impl_open(&c->impl, c->cfg.lib, err, sizeof err) != 0) {
        fprintf(stderr, "vpcert certify: %s\n", err);
        return -1;
    }
    if (sha256_file(c->cfg.lib, c->sha256) != 0)
        snprintf(c->sha256, sizeof c->sha256, "unreadable");
    snprintf(dir, sizeof dir, "%s/reproducers", c->cfg.out_dir);
    if (make_dir(c->cfg.out_dir) != 0 || make_dir(dir) != 0) {
        fprintf(stderr, "vpcert certify: cannot create %s\n", dir);
        return -1;
    }
    c->cases = calloc(CERT_MAX_CASES, sizeof *c->cases);
    c->clauses = calloc(spec_clause_count(), sizeof *c->clauses);
    if (!c->cases || !c->clauses)
        return -1;
    for (size_t k = 0; k < spec_clause_count(); k++)
        c->clauses[k].first_case = -1;
    return 0;
}

static void check_exports(struct cert_run *c) {
    struct cert_clause *g = &c->clauses[spec_clause_index("ICS-1")];
    char names[128];
    c->missing = impl_missing(&c->impl, ics_required(&c->cfg.ics));
    if (!c->missing) {
        g->run++;
        return;
    }
    impl_service_names(c->missing, " ", names, sizeof names);
    g->failed++;
    snprintf(g->expected, sizeof g->expected,
             "every service the ICS declares is exported");
    snprintf(g->observed, sizeof g->observed, "declared but not exported: %s",
             names);
    /* Declared pool services that are missing cannot be exercised. */
    c->cfg.ics.services &= ~c->missing;
}

int cert_run(struct cert_run *c) {
    double t0 = os_now(), deadline = t0 + c->cfg.time_budget;
    if (setup(c) != 0)
        return -1;
    check_exports(c);
    struct program *p = malloc(sizeof *p);
    if (!p || cert_cases_load(c) != 0) {
        free(p);
        return -1;
    }
    if (!c->cfg.quiet)
        fprintf(stderr, "certify: %s (sha256 %.16s...), %u cases, seed %llu\n",
                c->cfg.lib, c->sha256, c->ncases,
                (unsigned long long)c->cfg.seed);
    /* The whole run stays within the budget: cases get the first 80% of
     * it, minimizing the reproducers the rest (an unminimized reproducer
     * is written when no time is left). */
    double cases_end = t0 + 0.8 * c->cfg.time_budget;
    for (unsigned i = 0; i < c->ncases && os_now() < cases_end; i++) {
        struct child_result res;
        if (cert_case_program(&c->cases[i], p) != 0)
            continue;
        double t = os_now();
        cert_run_case(c, &c->cases[i], p, &res);
        cert_tally(c, i, &res, os_now() - t);
        c->ran = i + 1;
        c->family[c->cases[i].family].done++;
        progress(c, c->ran, t0, 0);
    }
    free(p);
    progress(c, c->ran, t0, 1);
    for (size_t k = 0; k < spec_clause_count(); k++)
        if (c->clauses[k].first_case >= 0) {
            double t = os_now();
            cert_write_reproducer(c, k, deadline);
            c->clauses[k].seconds += os_now() - t;
        }
    cert_grade(c);
    c->seconds = os_now() - t0;
    return 0;
}

void cert_free(struct cert_run *c) {
    for (unsigned i = 0; c->cases && i < c->ncases; i++) {
        free(c->cases[i].bin);
        free(c->cases[i].cites);
    }
    free(c->cases);
    free(c->clauses);
    impl_unload(&c->impl);
}
