/*
 * certify_run: the certification run. Phases: loading the library in a
 * worker process (runner.h: never in vpcert), the export check (ICS-1),
 * then every case (certify_cases.c) in batches of child processes under
 * a time and memory limit; a crash, hang, exit or runaway memory is a
 * verdict on the clause the case was exercising (certify_tally.c). Then
 * the reproducers (certify_minimize.c) and the verdicts
 * (certify_grade.c). The whole run, loading included, ends by the
 * deadline of --time; a run cut short is never CERTIFIED.
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
#include <sys/mman.h>

void cert_case_options(const struct cert_run *c, const struct cert_case *cs,
                       struct exec_options *o) {
    exec_options_default(o);
    o->ics = c->cfg.ics;
    o->check_expect = cs->cites != NULL; /* vectors and text regressions */
    /* HOST-1 is a fact about the library, reported once (check_imports
     * below): a finding in every case would end every batch. */
    o->check_imports = 0;
}

void cert_run_case(struct cert_run *c, const struct cert_case *cs,
                   const struct program *p, struct child_result *res) {
    struct exec_options o;
    cert_case_options(c, cs, &o);
    runner_one(&c->runner, p, &o, res);
}

/* runner_program_fn: case i, decoded into scratch in the child (the
 * cases were loaded before the workers were started, so they are in its
 * memory). NULL if it cannot be decoded (it can: vpcert encoded it). */
static const struct program *program_at(void *ctx, unsigned i,
                                        struct program *scratch,
                                        struct exec_options *o) {
    const struct cert_run *c = ctx;
    cert_case_options(c, &c->cases[i], o);
    return cert_case_program(&c->cases[i], scratch) == 0 ? scratch : NULL;
}

static void progress(const struct cert_run *c, int force) {
    static double last;
    double t = os_now();
    if (c->cfg.quiet || (!force && t - last < 2.0))
        return;
    last = t;
    unsigned failing = 0;
    for (size_t k = 0; k < spec_clause_count(); k++)
        failing += c->clauses[k].failed != 0;
    fprintf(stderr, "certify: %u/%u cases, %.1f s, %u clauses failing so far\n",
            c->ran, c->ncases, t - c->t0, failing);
}

/* runner_result_fn: one case's result. */
static void on_result(void *ctx, unsigned i, const struct child_result *res,
                      int carried) {
    struct cert_run *c = ctx;
    cert_tally(c, i, res, res->seconds);
    c->ran++;
    c->family[c->cases[i].family].done++;
    if (carried && c->ncarried++ < CERT_MAX_NOTES)
        c->carried[c->ncarried - 1] = i;
    cert_conc_next(c, i, res);
    progress(c, 0);
}

static int setup(struct cert_run *c) {
    c->cases = calloc(CERT_MAX_CASES, sizeof *c->cases);
    c->clauses = calloc(spec_clause_count(), sizeof *c->clauses);
    if (!c->cases || !c->clauses) {
        fprintf(stderr, "vpcert certify: out of memory\n");
        return -1;
    }
    for (size_t k = 0; k < spec_clause_count(); k++)
        c->clauses[k].first_case = -1;
    c->zero_case = -1;
    if (sha256_file(c->cfg.lib, c->sha256) != 0)
        snprintf(c->sha256, sizeof c->sha256, "unreadable");
    return 0;
}

static void check_exports(struct cert_run *c) {
    struct cert_clause *g = &c->clauses[spec_clause_index("ICS-1")];
    char names[128];
    c->missing = impl_missing_of(c->runner.services, ics_required(&c->cfg.ics));
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

/* HOST-1: the library's host-memory imports, found by the loader. */
static void check_imports(struct cert_run *c) {
    struct cert_clause *g = &c->clauses[spec_clause_index("HOST-1")];
    if (!c->runner.host_imports[0]) {
        g->run++;
        return;
    }
    g->failed++;
    snprintf(g->expected, sizeof g->expected, "memory from the pool only");
    snprintf(g->observed, sizeof g->observed, "imports %.140s",
             c->runner.host_imports);
    snprintf(g->detail, sizeof g->detail,
             "memory taken from the host escapes every pool check");
}

/* Load the library in a worker. 0 loaded; 1 the run was cut short while
 * loading (c->cut says why); -1 it cannot be loaded (printed). */
static int start_runner(struct cert_run *c) {
    struct runner_config rc = {c->cfg.lib,
                               c->cfg.case_seconds,
                               c->cfg.case_rss,
                               c->deadline,
                               c->cfg.batch,
                               c->cfg.lanes,
                               0,
                               0,
                               program_at,
                               c,
                               NULL};
    char err[IMPL_ERR_MAX + 700];
    int rc_start = runner_start(&c->runner, &rc, err, sizeof err);
    if (rc_start == -1) {
        fprintf(stderr, "vpcert certify: %s\n", cli_show(err));
        return -1;
    }
    if (rc_start == -2) {
        snprintf(c->cut, sizeof c->cut, "%.150s", err);
        return 1;
    }
    return 0;
}

static void free_cases(struct cert_run *c) {
    for (unsigned i = 0; c->cases && i < c->ncases; i++) {
        free(c->cases[i].bin);
        free(c->cases[i].cites);
        free(c->cases[i].points);
    }
    c->ncases = 0;
    memset(c->family, 0, sizeof c->family);
}

/* The services the ICS declares but the library does not export cannot
 * be exercised: the cases are made again without them, and the workers,
 * which hold the cases as they were when forked, start again. 0, or -1. */
static int drop_missing(struct cert_run *c) {
    if (!c->missing)
        return 0;
    free_cases(c);
    if (cert_cases_load(c) != 0)
        return -1;
    runner_reload(&c->runner);
    return 0;
}

/* The record buffer of certify_repro.c, shared with the workers' children.
 * 0, or -1 (printed). */
static int map_trace(struct cert_run *c) {
    c->trace_len = cert_trace_size();
    void *m = mmap(NULL, c->trace_len, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        fprintf(stderr, "vpcert certify: out of memory\n");
        return -1;
    }
    c->trace = m;
    return 0;
}

/* The cases added while the others ran (the concurrent family's PCT
 * schedules, certify_conc.c), from case `from` on, one after the other,
 * each alone in a fresh child: each is made from the result of the one
 * before, and the workers hold only the cases made before they started. */
static void run_schedules(struct cert_run *c, unsigned from) {
    struct program *p = malloc(sizeof *p);
    for (unsigned i = from; p && i < c->ncases && !c->runner.stopped; i++) {
        struct child_result res;
        if (cert_case_program(&c->cases[i], p) != 0)
            continue;
        cert_run_case(c, &c->cases[i], p, &res);
        if (res.out != CH_STOPPED)
            on_result(c, i, &res, 0);
    }
    free(p);
}

/* Every case, in batches over the workers. The cases get the first 80% of
 * the budget, minimizing the reproducers the rest (an unminimized
 * reproducer is written when no time is left); a run cut short says why. */
static void run_cases(struct cert_run *c) {
    runner_set_deadline(&c->runner, c->t0 + 0.8 * c->cfg.time_budget);
    unsigned made = c->ncases;
    if (runner_all(&c->runner, made, on_result, c) == made)
        run_schedules(c, made);
    if (c->runner.stopped)
        snprintf(c->cut, sizeof c->cut, "%s", c->runner.why);
    runner_set_deadline(&c->runner, c->deadline);
}

int cert_run(struct cert_run *c) {
    c->t0 = os_now();
    c->deadline = c->t0 + c->cfg.time_budget;
    if (setup(c) != 0)
        return -1;
    /* The cases are loaded before the workers start: they inherit them,
     * and the record buffer of the C reproducers. */
    if (cert_cases_load(c) != 0 || map_trace(c) != 0)
        return -1;
    int loaded = start_runner(c);
    if (loaded < 0)
        return -1;
    if (!c->cfg.quiet)
        fprintf(stderr, "certify: %s (sha256 %.16s...), %u cases, seed %llu\n",
                cli_show(c->cfg.lib), c->sha256, c->ncases,
                (unsigned long long)c->cfg.seed);
    if (loaded == 0) {
        check_exports(c);
        if (drop_missing(c) != 0)
            return -1;
        check_imports(c);
        run_cases(c);
    }
    progress(c, 1);
    cert_grade(c);
    for (size_t k = 0; k < spec_clause_count(); k++)
        if (c->clauses[k].first_case >= 0 && c->clauses[k].verdict != CV_NA) {
            double t = os_now();
            cert_write_reproducer(c, k, c->deadline);
            c->clauses[k].seconds += os_now() - t;
        }
    runner_stop(&c->runner);
    c->seconds = os_now() - c->t0;
    return 0;
}

void cert_free(struct cert_run *c) {
    free_cases(c);
    free(c->cases);
    free(c->clauses);
    runner_stop(&c->runner);
    if (c->trace)
        munmap(c->trace, c->trace_len);
    c->trace = NULL;
}
